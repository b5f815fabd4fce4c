/**
 * Graph authentication: where the token comes from, whether it is good, what it may do.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxCore } from './core';
import { graphErrors, type ErrorFlavor } from './errors';
import type { GraphAuth, GraphCall } from './graph-types';
import type { SandboxAccount } from './state';

/** The permission names per login type. */
export const SCOPES = {
  instagram: {
    basic: 'instagram_business_basic',
    messages: 'instagram_business_manage_messages',
    comments: ['instagram_business_manage_comments'],
  },
  facebook: {
    basic: 'instagram_basic',
    messages: 'instagram_manage_messages',
    comments: ['instagram_manage_comments', 'pages_messaging'],
  },
} as const;

/** Guess the host's conventions before the token is resolved (token prefix, then auth transport). */
export function flavorHint(headers: IncomingHttpHeaders, query: URLSearchParams): ErrorFlavor {
  const token = tokenFromHeaders(headers) ?? query.get('access_token') ?? '';
  if (token.startsWith('IG')) return 'instagram';
  if (token.startsWith('EAA')) return 'facebook';
  const host = headers.host ?? '';
  if (host.includes('graph.instagram.com')) return 'instagram';
  if (host.includes('graph.facebook.com')) return 'facebook';
  return tokenFromHeaders(headers) !== null ? 'instagram' : 'facebook';
}

export function tokenFromHeaders(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim() ?? null;
}

async function tokenOf(call: GraphCall): Promise<string | null> {
  const fromHeader = tokenFromHeaders(call.headers);
  if (fromHeader) return fromHeader;
  const fromQuery = call.query.get('access_token');
  if (fromQuery) return fromQuery;
  if (call.method === 'POST') {
    try {
      const body = await call.body();
      if (typeof body.access_token === 'string' && body.access_token.length > 0) return body.access_token;
    } catch {
      // An unreadable body simply carries no token; the handler reports the body error later.
    }
  }
  return null;
}

/** Check a token the way Graph does: present, known, not revoked, not expired. */
export function checkToken(core: SandboxCore, token: string | null): GraphAuth {
  if (!token) throw graphErrors.tokenMissing();
  const record = core.state.tokens.get(token);
  if (!record) throw graphErrors.tokenInvalid();
  if (record.revokedSubcode !== null) throw graphErrors.tokenRevoked(record.revokedSubcode);
  const now = core.clock.now();
  if (record.expiresAt !== null && now >= record.expiresAt)
    throw graphErrors.tokenExpired(record.expiresAt, now);
  const account = core.state.accounts.get(record.accountId);
  if (!account) throw graphErrors.tokenInvalid();
  return { token: record, account };
}

/** Resolve the caller's account from its token. */
export async function authenticate(core: SandboxCore, call: GraphCall): Promise<GraphAuth> {
  const auth = checkToken(core, await tokenOf(call));
  call.flavor = auth.account.loginType;
  return auth;
}

export function requireScope(auth: GraphAuth, scope: string, code: 10 | 200): void {
  if (auth.token.scopes.includes(scope)) return;
  throw code === 10
    ? graphErrors.permission(`this action (requires ${scope})`)
    : graphErrors.permission200(`Requires ${scope} permission`);
}

/** `me`, or the id the account's login type uses in paths (IG id for IG Login, Page id for FB Login). */
function isOwnNode(account: SandboxAccount, node: string): boolean {
  if (node === 'me') return true;
  return account.loginType === 'instagram' ? node === account.id : node === account.pageId;
}

export function requireOwnNode(call: GraphCall, auth: GraphAuth, node: string): void {
  if (!isOwnNode(auth.account, node)) throw graphErrors.unsupported(call.method, node);
}
