import { z } from 'zod';

/**
 * The closed set of error codes that cross the contract boundary.
 *
 * Every transport (IPC, HTTP) carries these as data; nothing else is ever exposed to a client.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const contractErrorSchema = z
  .object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** Field-level problems for INVALID_INPUT: path (dot-joined) and what to fix. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .strict();

export type ContractError = z.infer<typeof contractErrorSchema>;

/** Errors are values: a call never throws across the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, issues?: ContractError['issues']): Result<never> {
  return { ok: false, error: issues ? { code, message, issues } : { code, message } };
}

/** HTTP status used by the loopback transport for each code. */
export const httpStatusForCode: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNKNOWN_METHOD: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
