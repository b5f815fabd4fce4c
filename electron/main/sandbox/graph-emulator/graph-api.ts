import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxCore } from './core';
import { graphErrors, type ErrorFlavor, GraphError } from './errors';
import { parseSendBody, type SendCommand } from './send-rules';
import {
  SUBSCRIBABLE_FIELDS,
  type SandboxAccount,
  type SandboxCustomer,
  type StoredMessage,
  type TokenRecord,
} from './state';
import type { Route } from './router';

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

const DAY = 24 * 60 * 60 * 1000;
const SCOPES = {
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

function tokenFromHeaders(headers: IncomingHttpHeaders): string | null {
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

function requireScope(auth: GraphAuth, scope: string, code: 10 | 200): void {
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

function requireOwnNode(call: GraphCall, auth: GraphAuth, node: string): void {
  if (!isOwnNode(auth.account, node)) throw graphErrors.unsupported(call.method, node);
}

function fieldsOf(call: GraphCall, defaults: string[]): string[] {
  const raw = call.query.get('fields');
  if (raw === null || raw.trim() === '') return defaults;
  return raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
}

/** Graph's `created_time` format: `2022-07-12T19:11:07+0000`. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function pickFields(
  call: GraphCall,
  nodeType: string,
  available: Record<string, () => unknown>,
  defaults: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(call, defaults)) {
    const get = available[field];
    if (!get)
      throw graphErrors.param(`Tried accessing nonexisting field (${field}) on node type (${nodeType})`);
    out[field] = get();
  }
  return out;
}

// ---------------------------------------------------------------- handlers

const me: GraphHandler = {
  auth: 'account',
  run: (_core, call, _params, auth) => {
    const { account, token } = auth as GraphAuth;
    requireScope(auth as GraphAuth, SCOPES[account.loginType].basic, 10);
    if (account.loginType === 'instagram') {
      return {
        status: 200,
        body: pickFields(
          call,
          'User',
          {
            // IG Login exposes two ids: `id` is app-scoped, `user_id` is the professional account (the webhook entry.id).
            id: () => account.appScopedId,
            user_id: () => account.id,
            username: () => account.username,
            name: () => account.name,
            account_type: () => 'BUSINESS',
            profile_picture_url: () => `https://scontent.cdninstagram.com/v/t51.2885-19/${account.id}.jpg`,
            followers_count: () => 1000,
            follows_count: () => 100,
            media_count: () => 42,
          },
          ['id'],
        ),
      };
    }
    void token;
    return {
      status: 200,
      body: pickFields(
        call,
        'Page',
        {
          id: () => account.pageId,
          name: () => account.name,
          instagram_business_account: () => ({ id: account.id }),
          messaging_feature_status: () => ({ hop_v2: false, msgr_multi_app: false, ig_multi_app: false }),
        },
        ['id', 'name'],
      ),
    };
  },
};

const debugToken: GraphHandler = {
  auth: 'none',
  run: (core, call) => {
    const accessToken = tokenFromHeaders(call.headers) ?? call.query.get('access_token');
    if (!accessToken) throw graphErrors.tokenMissing();
    // An app token `APP_ID|APP_SECRET` or any valid token may inspect tokens.
    const [appId, secret] = accessToken.split('|');
    const app = appId === undefined ? undefined : core.state.apps.get(appId);
    const isAppToken = app !== undefined && secret !== undefined && secret === app.secret;
    if (!isAppToken) {
      const auth = checkToken(core, accessToken);
      call.flavor = auth.account.loginType;
    }
    const input = call.query.get('input_token');
    if (!input) throw graphErrors.param('The parameter input_token is required');
    const record = core.state.tokens.get(input);
    if (!record) {
      return {
        status: 200,
        body: {
          data: { error: { code: 190, message: 'Invalid OAuth access token.' }, is_valid: false, scopes: [] },
        },
      };
    }
    const account = core.account(record.accountId);
    const tokenApp = core.app(account.appId);
    const now = core.clock.now();
    const expired = record.expiresAt !== null && now >= record.expiresAt;
    const valid = !expired && record.revokedSubcode === null;
    const data: Record<string, unknown> = {
      app_id: tokenApp.id,
      type: record.kind === 'page' ? 'PAGE' : 'USER',
      application: tokenApp.name,
      data_access_expires_at: Math.floor((record.issuedAt + 90 * DAY) / 1000),
      expires_at: record.expiresAt === null ? 0 : Math.floor(record.expiresAt / 1000),
      is_valid: valid,
      scopes: [...record.scopes],
      granular_scopes: record.scopes.map((scope) => ({ scope })),
      user_id: account.loginType === 'instagram' ? account.appScopedId : account.pageId,
    };
    if (record.kind === 'page') data.profile_id = account.pageId;
    if (!valid) {
      data.error = expired
        ? { code: 190, subcode: 463, message: 'Error validating access token: Session has expired.' }
        : { code: 190, subcode: record.revokedSubcode, message: 'Error validating access token.' };
    }
    return { status: 200, body: { data } };
  },
};

const refreshAccessToken: GraphHandler = {
  auth: 'none',
  run: (core, call) => {
    call.flavor = 'instagram';
    const auth = checkToken(core, tokenFromHeaders(call.headers) ?? call.query.get('access_token'));
    if (call.query.get('grant_type') !== 'ig_refresh_token')
      throw graphErrors.param('The parameter grant_type must be ig_refresh_token');
    if (auth.token.kind !== 'instagram_user')
      throw graphErrors.param('Only long-lived Instagram User access tokens can be refreshed');
    const now = core.clock.now();
    // Meta refuses to refresh a token younger than 24 hours (instagram-api.md §7).
    if (now - auth.token.issuedAt < DAY)
      throw graphErrors.param('The access token must be at least 24 hours old to be refreshed');
    const fresh = core.issueToken(auth.account.id, { scopes: auth.token.scopes });
    return {
      status: 200,
      body: {
        access_token: fresh.token,
        token_type: 'bearer',
        expires_in: Math.round(((fresh.expiresAt ?? now) - now) / 1000),
      },
    };
  },
};

const subscribedAppsGet: GraphHandler = {
  auth: 'account',
  run: (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    const app = core.app(auth.account.appId);
    const data =
      auth.account.subscribedFields.length === 0
        ? []
        : [
            {
              category: 'Business',
              link: 'https://sandbox.invalid/app',
              name: app.name,
              id: app.id,
              subscribed_fields: [...auth.account.subscribedFields],
            },
          ];
    return { status: 200, body: { data } };
  },
};

const subscribedAppsPost: GraphHandler = {
  auth: 'account',
  run: async (_core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    if (auth.account.loginType === 'facebook') requireScope(auth, 'pages_manage_metadata', 200);
    else requireScope(auth, SCOPES.instagram.basic, 200);
    const body = await call.body();
    const raw =
      call.query.get('subscribed_fields') ??
      (typeof body.subscribed_fields === 'string'
        ? body.subscribed_fields
        : Array.isArray(body.subscribed_fields)
          ? body.subscribed_fields.join(',')
          : null);
    if (raw === null || raw.trim() === '')
      throw graphErrors.param('The parameter subscribed_fields is required');
    const fields = raw.split(',').map((f) => f.trim());
    const allowed = SUBSCRIBABLE_FIELDS[auth.account.loginType];
    fields.forEach((field, i) => {
      if (!allowed.includes(field))
        throw graphErrors.param(
          `Param subscribed_fields[${i}] must be one of {${allowed.join(', ')}} - got "${field}"`,
        );
    });
    auth.account.subscribedFields = [...new Set(fields)];
    return { status: 200, body: { success: true } };
  },
};

const subscribedAppsDelete: GraphHandler = {
  auth: 'account',
  run: (_core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    auth.account.subscribedFields = [];
    return { status: 200, body: { success: true } };
  },
};

function conversationList(
  core: SandboxCore,
  account: SandboxAccount,
): Array<{ id: string; updatedAt: number; igsid: string }> {
  return [...core.state.conversations.values()]
    .filter((c) => c.accountId === account.id)
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

const conversations: GraphHandler = {
  auth: 'account',
  run: (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    requireScope(auth, SCOPES[auth.account.loginType].messages, 10);
    if (call.query.get('platform') !== 'instagram')
      throw graphErrors.param('The parameter platform is required and must be instagram');
    const userId = call.query.get('user_id');
    const list = conversationList(core, auth.account).filter((c) => userId === null || c.igsid === userId);
    const data = list.map((c) => {
      const customer = core.state.customer(auth.account.id, c.igsid);
      return pickFields(
        call,
        'Conversation',
        {
          id: () => c.id,
          updated_time: () => graphTime(c.updatedAt),
          participants: () => ({
            data: [
              { username: auth.account.username, id: auth.account.id },
              { username: customer?.username ?? '', id: c.igsid },
            ],
          }),
        },
        ['id', 'updated_time'],
      );
    });
    return { status: 200, body: { data } };
  },
};

/** Only the 20 most recent messages of a conversation are readable (instagram-api.md §6). */
const READABLE_MESSAGES = 20;

function readableMessages(messages: StoredMessage[]): StoredMessage[] {
  return [...messages].sort((a, b) => b.createdAt - a.createdAt).slice(0, READABLE_MESSAGES);
}

function profile(call: GraphCall, customer: SandboxCustomer): Record<string, unknown> {
  return pickFields(
    call,
    'User',
    {
      id: () => customer.igsid,
      name: () => customer.name,
      username: () => customer.username,
      profile_pic: () => customer.profilePic,
      follower_count: () => customer.followerCount,
      is_user_follow_business: () => customer.isUserFollowBusiness,
      is_business_follow_user: () => customer.isBusinessFollowUser,
      is_verified_user: () => customer.isVerifiedUser,
    },
    ['name', 'username', 'profile_pic'],
  );
}

const node: GraphHandler = {
  auth: 'account',
  run: (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    const id = params.id ?? '';
    const { account } = auth;
    if (id === account.id || id === account.pageId) return me.run(core, call, params, auth);

    const conversation = core.state.conversations.get(id);
    if (conversation && conversation.accountId === account.id) {
      requireScope(auth, SCOPES[account.loginType].messages, 10);
      return {
        status: 200,
        body: pickFields(
          call,
          'Conversation',
          {
            id: () => conversation.id,
            updated_time: () => graphTime(conversation.updatedAt),
            messages: () => ({
              data: readableMessages(conversation.messages).map((m) => ({
                id: m.mid,
                created_time: graphTime(m.createdAt),
              })),
            }),
          },
          ['id'],
        ),
      };
    }

    const message = core.state.messages.get(id);
    if (message && message.accountId === account.id) {
      requireScope(auth, SCOPES[account.loginType].messages, 10);
      const owner = core.state.conversations.get(message.conversationId);
      const readable = owner ? readableMessages(owner.messages).some((m) => m.mid === id) : false;
      // Older messages error as if they did not exist.
      if (!readable || message.deleted) throw graphErrors.unsupported(call.method, id);
      const party = (partyId: string): { username: string; id: string } =>
        partyId === account.id
          ? { username: account.username, id: account.id }
          : { username: core.state.customer(account.id, partyId)?.username ?? '', id: partyId };
      const fields = pickFields(
        call,
        'Message',
        {
          id: () => message.mid,
          created_time: () => graphTime(message.createdAt),
          from: () => party(message.fromId),
          to: () => ({ data: [party(message.toId)] }),
          message: () => message.text ?? '',
        },
        ['id', 'created_time'],
      );
      return { status: 200, body: fields };
    }

    const customer = core.state.customer(account.id, id);
    if (customer && !customer.unavailable) {
      requireScope(auth, SCOPES[account.loginType].basic, 10);
      // Profile data only after the person messaged the account (or tapped an ice breaker).
      if (!customer.consented) throw graphErrors.consentRequired();
      return { status: 200, body: profile(call, customer) };
    }
    throw graphErrors.unsupported(call.method, id);
  },
};

// ---------------------------------------------------------------- send

function resolveRecipient(core: SandboxCore, account: SandboxAccount, igsid: string): SandboxCustomer {
  const customer = core.state.customer(account.id, igsid);
  // IGSIDs are scoped to one professional account: another account's customer is "no matching user".
  if (!customer) throw graphErrors.noMatchingUser();
  if (customer.unavailable) throw graphErrors.userUnavailable();
  return customer;
}

function checkWindow(
  core: SandboxCore,
  account: SandboxAccount,
  customer: SandboxCustomer,
  tag: 'HUMAN_AGENT' | null,
): void {
  if (tag === 'HUMAN_AGENT') {
    if (!account.humanAgentEnabled) throw graphErrors.humanAgentNotEnabled();
    if (!core.windowOpen(customer, 7 * DAY)) throw graphErrors.outsideWindow(account.loginType);
    return;
  }
  if (!core.windowOpen(customer)) throw graphErrors.outsideWindow(account.loginType);
}

function conversationHas(core: SandboxCore, account: SandboxAccount, igsid: string, mid: string): boolean {
  const message = core.state.messages.get(mid);
  if (!message || message.accountId !== account.id) return false;
  const conversation = core.state.conversations.get(message.conversationId);
  return conversation?.igsid === igsid;
}

function execute(
  core: SandboxCore,
  account: SandboxAccount,
  command: SendCommand,
  body: Record<string, unknown>,
): GraphAnswer {
  const now = core.clock.now();
  switch (command.kind) {
    case 'message': {
      const customer = resolveRecipient(core, account, command.recipientId);
      checkWindow(core, account, customer, command.tag);
      if (
        command.replyToMid !== null &&
        !conversationHas(core, account, customer.igsid, command.replyToMid)
      ) {
        throw graphErrors.param('param reply_to[mid] must be a message in this conversation');
      }
      const mid = core.ids.messageId(account.id);
      const { text, attachments } = command.message;
      core.state.addMessage(
        {
          mid,
          accountId: account.id,
          fromId: account.id,
          toId: customer.igsid,
          direction: 'outbound',
          text,
          attachments,
          createdAt: now,
        },
        customer.igsid,
      );
      core.state.sent.push({
        accountId: account.id,
        recipientId: customer.igsid,
        messageId: mid,
        kind: 'message',
        body,
        message: command.message,
        at: now,
      });
      core.echo(account, customer.igsid, mid, text, attachments, now);
      return { status: 200, body: { recipient_id: customer.igsid, message_id: mid } };
    }
    case 'private_reply': {
      const comment = core.state.comments.get(command.commentId);
      if (!comment || comment.accountId !== account.id)
        throw graphErrors.param('Invalid parameter: recipient[comment_id] does not exist');
      if (comment.privateReplyMid !== null)
        throw graphErrors.permission200('Only one private reply can be sent per comment');
      if (now - comment.createdAt > 7 * DAY)
        throw graphErrors.permission200('Private replies can only be sent within 7 days of the comment');
      const customer = resolveRecipient(core, account, comment.igsid);
      const mid = core.ids.messageId(account.id);
      const { text, attachments } = command.message;
      comment.privateReplyMid = mid;
      // The reply does not open the window: the conversation continues only once the person answers.
      core.state.addMessage(
        {
          mid,
          accountId: account.id,
          fromId: account.id,
          toId: customer.igsid,
          direction: 'outbound',
          text,
          attachments,
          createdAt: now,
        },
        customer.igsid,
      );
      core.state.sent.push({
        accountId: account.id,
        recipientId: customer.igsid,
        messageId: mid,
        kind: 'private_reply',
        body,
        message: command.message,
        at: now,
      });
      core.echo(account, customer.igsid, mid, text, attachments, now);
      return { status: 200, body: { recipient_id: customer.igsid, message_id: mid } };
    }
    case 'sender_action': {
      const customer = resolveRecipient(core, account, command.recipientId);
      checkWindow(core, account, customer, null);
      core.state.sent.push({
        accountId: account.id,
        recipientId: customer.igsid,
        messageId: null,
        kind: 'sender_action',
        body,
        message: null,
        at: now,
      });
      return { status: 200, body: { recipient_id: customer.igsid } };
    }
    case 'reaction': {
      const customer = resolveRecipient(core, account, command.recipientId);
      checkWindow(core, account, customer, null);
      if (!conversationHas(core, account, customer.igsid, command.messageId)) {
        throw graphErrors.param('param payload[message_id] must be a message in this conversation');
      }
      core.state.sent.push({
        accountId: account.id,
        recipientId: customer.igsid,
        messageId: null,
        kind: 'reaction',
        body,
        message: null,
        at: now,
      });
      // No echo for the business's own reactions (instagram-api.md §4).
      return { status: 200, body: { recipient_id: customer.igsid } };
    }
  }
}

const messages: GraphHandler = {
  auth: 'account',
  run: async (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    const { account } = auth;
    try {
      requireOwnNode(call, auth, params.node ?? '');
      requireScope(auth, SCOPES[account.loginType].messages, 10);
      const admitted = core.meter.admit(account.id, core.clock.now(), account.rateLimits);
      if (admitted === 'per_second') throw graphErrors.customRateLimit();
      if (admitted === 'per_hour') throw graphErrors.appRateLimit();
      const body = await call.body();
      const command = parseSendBody(body);
      if (command.kind === 'private_reply') {
        for (const scope of SCOPES[account.loginType].comments) requireScope(auth, scope, 200);
      }
      const answer = execute(core, account, command, body);
      core.meter.recordAccepted(account.id, core.clock.now());
      return answer;
    } catch (error) {
      if (error instanceof GraphError) core.meter.recordRejected(account.id);
      throw error;
    }
  },
};

/** The Graph API surface, matched in order (`/:id` last). */
export const graphRoutes: ReadonlyArray<Route<GraphHandler>> = [
  { method: 'GET', path: '/debug_token', handler: debugToken },
  { method: 'GET', path: '/refresh_access_token', handler: refreshAccessToken },
  { method: 'GET', path: '/me', handler: me },
  { method: 'POST', path: '/:node/messages', handler: messages },
  { method: 'GET', path: '/:node/subscribed_apps', handler: subscribedAppsGet },
  { method: 'POST', path: '/:node/subscribed_apps', handler: subscribedAppsPost },
  { method: 'DELETE', path: '/:node/subscribed_apps', handler: subscribedAppsDelete },
  { method: 'GET', path: '/:node/conversations', handler: conversations },
  { method: 'GET', path: '/:id', handler: node },
];
