import type { z } from 'zod';

/** One callable method: what it does, what it takes, what it returns. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
}

/** One pushed event and its payload. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  summary: string;
  payload: P;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

export function event<P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> {
  return spec;
}
