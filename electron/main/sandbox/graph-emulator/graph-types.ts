/**
 * The shapes Graph handlers work with: the call, the answer, the authenticated caller.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxCore } from './core';
import type { ErrorFlavor } from './errors';
import type { SandboxAccount, TokenRecord } from './state';

/** One Graph request as the handlers see it. */
export interface GraphCall {
  method: string;
  /** Path segments with the `vXX.X` version removed. */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed body (JSON or form), read once on first use. */
  body: () => Promise<Record<string, unknown>>;
  /** Host conventions for error answers; refined once the token is known. */
  flavor: ErrorFlavor;
}

/** A successful Graph answer. */
export interface GraphAnswer {
  status: number;
  body: unknown;
}

/** The caller, once its token checked out. */
export interface GraphAuth {
  token: TokenRecord;
  account: SandboxAccount;
}

/** A Graph route: whether it needs an account token (so faults and rate limits apply), and its handler. */
export interface GraphHandler {
  auth: 'account' | 'none';
  run: (
    core: SandboxCore,
    call: GraphCall,
    params: Record<string, string>,
    auth: GraphAuth | null,
  ) => Promise<GraphAnswer> | GraphAnswer;
}

/** A day in milliseconds: token lifetimes, the 7-day windows. */
export const DAY = 24 * 60 * 60 * 1000;
