import { inspect } from 'node:util';
import { expect } from 'vitest';
import {
  GraphApiError,
  GraphInstagramClient,
  type GraphTransportOptions,
  type LoginType,
} from '../../electron/main/core/instagram';
import { ManualClock, startSandbox, type CreatedAccount, type Sandbox } from '../../electron/main/sandbox';

/** A fixed base time so nothing depends on the wall clock. */
export const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** A sandbox on a free port with a frozen clock. Always dispose it. */
export function sandboxForTest(): Promise<Sandbox> {
  return startSandbox({ port: 0, seed: 7, clock: new ManualClock(T0) });
}

/** An account in the sandbox and a client for it over real HTTP. */
export interface TestAccount {
  created: CreatedAccount;
  /** The id the client puts in paths: IG account id (IG Login) or Page id (FB Login). */
  nodeId: string;
  client: GraphInstagramClient;
}

export function accountFor(
  sandbox: Sandbox,
  loginType: LoginType,
  options: GraphTransportOptions & {
    appSecret?: boolean;
    scopes?: string[];
    humanAgentEnabled?: boolean;
    tokenAgeSeconds?: number;
  } = {},
): TestAccount {
  const { appSecret, scopes, humanAgentEnabled, tokenAgeSeconds, ...transport } = options;
  const created = sandbox.createAccount({
    loginType,
    ...(scopes === undefined ? {} : { scopes }),
    ...(humanAgentEnabled === undefined ? {} : { humanAgentEnabled }),
    ...(tokenAgeSeconds === undefined ? {} : { tokenAgeSeconds }),
  });
  const nodeId = loginType === 'instagram' ? created.account.id : created.account.pageId;
  const client = new GraphInstagramClient(
    {
      loginType,
      accountId: nodeId,
      accessToken: created.token,
      ...(appSecret ? { appSecret: created.app.secret } : {}),
    },
    { baseUrl: sandbox.url, timeoutMs: 5_000, now: () => sandbox.clock.now(), ...transport },
  );
  return { created, nodeId, client };
}

/** Await a promise that must reject with a GraphApiError, and return it. */
export async function graphFailure(promise: Promise<unknown>): Promise<GraphApiError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GraphApiError);
  return caught as GraphApiError;
}

/** Run a sync action that must throw a GraphApiError, and return it. */
export function graphThrow(action: () => unknown): GraphApiError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(GraphApiError);
  return caught as GraphApiError;
}

/**
 * Every textual form an error can leave the process in: its JSON, message,
 * `toString`, stack, and Node's inspection (what console.error and most
 * loggers print, enumerable own properties included).
 */
export function everyRendering(error: GraphApiError): string {
  return [
    JSON.stringify(error),
    error.message,
    String(error),
    error.stack ?? '',
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(Object.fromEntries(Object.entries(error))),
  ].join('\n');
}

/** Assert no secret, in any common encoding, appears in any rendering of the error. */
export function expectNoSecrets(error: GraphApiError, secrets: readonly string[]): void {
  const bytes = Buffer.from(everyRendering(error), 'utf8');
  for (const secret of secrets) {
    for (const form of [secret, encodeURIComponent(secret), secret.slice(0, 24)]) {
      expect(bytes.includes(Buffer.from(form, 'utf8')), `secret leaked in form ${form.slice(0, 6)}…`).toBe(
        false,
      );
    }
  }
}
