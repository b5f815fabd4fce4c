import { z } from 'zod';
import type { CustomerEvent } from '../webhook-simulator/events';
import { SandboxInputError, type SandboxCore } from './core';
import type { FaultSpec } from './faults';
import type { Route } from './router';

/**
 * The admin API (`/__sandbox/…`): how scripts and tests outside the process
 * set the emulator up and look inside it. Documented in docs/sandbox.md.
 */

/** One admin request: params from the path, query, and the parsed JSON body. */
export interface AdminCall {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** An admin handler returns the JSON to answer with (status 200), or throws `SandboxInputError`. */
export type AdminHandler = (core: SandboxCore, call: AdminCall) => unknown;

const id = z.string().regex(/^[0-9]{1,32}$/, 'must be a numeric id');
const referral = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('SHORTLINKS'), ref: z.string() }),
  z.strictObject({
    source: z.literal('ADS'),
    ref: z.string(),
    adId: z.string(),
    adTitle: z.string(),
    photoUrl: z.string(),
    videoUrl: z.string(),
  }),
]);
const attachmentType = z.enum([
  'image',
  'video',
  'audio',
  'file',
  'share',
  'ig_post',
  'ig_reel',
  'reel',
  'story_mention',
  'like_heart',
  'ephemeral',
]);
const handover = { previousOwnerAppId: z.string(), newOwnerAppId: z.string(), metadata: z.string() };

/** Schema of every customer event the simulator can produce. */
export const customerEventSchema: z.ZodType<CustomerEvent> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().min(1) }),
  z.strictObject({
    type: z.literal('attachments'),
    attachments: z.array(z.strictObject({ type: attachmentType, url: z.string().optional() })).min(1),
  }),
  z.strictObject({ type: z.literal('story_mention'), url: z.string() }),
  z.strictObject({
    type: z.literal('story_reply'),
    text: z.string(),
    story: z.strictObject({ id: z.string(), url: z.string() }),
  }),
  z.strictObject({ type: z.literal('reply_to'), text: z.string(), replyToMid: z.string() }),
  z.strictObject({ type: z.literal('quick_reply'), text: z.string(), payload: z.string() }),
  z.strictObject({
    type: z.literal('postback'),
    title: z.string(),
    payload: z.string(),
    referral: referral.optional(),
  }),
  z.strictObject({
    type: z.literal('reaction'),
    targetMid: z.string(),
    reaction: z.string(),
    emoji: z.string(),
  }),
  z.strictObject({ type: z.literal('unreact'), targetMid: z.string() }),
  z.strictObject({ type: z.literal('read'), targetMid: z.string() }),
  z.strictObject({ type: z.literal('delete'), targetMid: z.string() }),
  z.strictObject({
    type: z.literal('edit'),
    targetMid: z.string(),
    text: z.string(),
    numEdit: z.number().int().nonnegative(),
  }),
  z.strictObject({ type: z.literal('referral'), referral }),
  z.strictObject({ type: z.literal('message_referral'), text: z.string().optional(), referral }),
  z.strictObject({ type: z.literal('unsupported') }),
  z.strictObject({ type: z.literal('pass_thread_control'), ...handover }),
  z.strictObject({ type: z.literal('take_thread_control'), ...handover }),
  z.strictObject({
    type: z.literal('comment'),
    text: z.string(),
    commentId: z.string().optional(),
    mediaId: z.string().optional(),
    parentId: z.string().optional(),
    mediaProductType: z.string().optional(),
    ad: z.strictObject({ adId: z.string(), adTitle: z.string(), originalMediaId: z.string() }).optional(),
  }),
  z.strictObject({ type: z.literal('mention'), mediaId: z.string(), commentId: z.string().optional() }),
]);

const appInput = z.strictObject({
  id: id.optional(),
  name: z.string().optional(),
  secret: z.string().optional(),
  instagramAppSecret: z.string().optional(),
  signWith: z.enum(['app_secret', 'instagram_app_secret']).optional(),
  callbackUrl: z.url().nullable().optional(),
  verifyToken: z.string().nullable().optional(),
});
const rateLimits = z.strictObject({
  perSecond: z.number().int().positive().nullable().optional(),
  perHour: z.number().int().positive().nullable().optional(),
});
const accountInput = z.strictObject({
  loginType: z.enum(['instagram', 'facebook']),
  id: id.optional(),
  pageId: id.optional(),
  username: z.string().optional(),
  name: z.string().optional(),
  appId: id.optional(),
  app: appInput.omit({ id: true }).optional(),
  humanAgentEnabled: z.boolean().optional(),
  subscribedFields: z.array(z.string()).optional(),
  rateLimits: rateLimits.optional(),
  scopes: z.array(z.string()).optional(),
  tokenAgeSeconds: z.number().nonnegative().optional(),
});
const accountPatch = z.strictObject({
  humanAgentEnabled: z.boolean().optional(),
  subscribedFields: z.array(z.string()).optional(),
  rateLimits: rateLimits.optional(),
  username: z.string().optional(),
});
const tokenInput = z.strictObject({
  ageSeconds: z.number().nonnegative().optional(),
  expiresInSeconds: z.number().nullable().optional(),
  scopes: z.array(z.string()).optional(),
});
const tokenPatch = z.strictObject({
  ageSeconds: z.number().optional(),
  expire: z.boolean().optional(),
  revokeSubcode: z.number().int().nullable().optional(),
  scopes: z.array(z.string()).optional(),
});
const customerInput = z.strictObject({
  igsid: id.optional(),
  username: z.string().optional(),
  name: z.string().nullable().optional(),
  unavailable: z.boolean().optional(),
  lastInboundSecondsAgo: z.number().nonnegative().nullable().optional(),
  followerCount: z.number().int().nonnegative().optional(),
  isVerifiedUser: z.boolean().optional(),
});
const customerPatch = z.strictObject({
  unavailable: z.boolean().optional(),
  lastInboundSecondsAgo: z.number().nonnegative().nullable().optional(),
  consented: z.boolean().optional(),
});
const eventInput = z.strictObject({
  event: customerEventSchema,
  standby: z.boolean().optional(),
  secondsAgo: z.number().nonnegative().optional(),
  /** Wait until the webhook (and its retries) are done before answering. */
  wait: z.boolean().optional(),
});
const faultSpec: z.ZodType<FaultSpec> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('latency'), ms: z.number().int().nonnegative().max(600_000) }),
  z.strictObject({ kind: z.literal('status'), status: z.number().int().min(500).max(599) }),
  z.strictObject({ kind: z.literal('hang') }),
  z.strictObject({ kind: z.literal('lost_answer') }),
  z.strictObject({ kind: z.literal('drop') }),
  z.strictObject({
    kind: z.literal('error'),
    code: z.number().int(),
    subcode: z.number().int().optional(),
    message: z.string().optional(),
    status: z.number().int().min(400).max(599).optional(),
    type: z.string().optional(),
  }),
]);
const faultInput = z.strictObject({
  fault: faultSpec,
  count: z.number().int().positive().nullable().optional(),
});
const clockInput = z.strictObject({ offsetMs: z.number() });
const advanceInput = z.strictObject({ ms: z.number() });
const deliveryPatch = z.strictObject({
  maxItemsPerPost: z.number().int().positive().max(1000).optional(),
  batchWindowMs: z.number().int().nonnegative().optional(),
  timeoutMs: z.number().int().positive().optional(),
  immediateRetries: z.number().int().nonnegative().optional(),
  backoffMs: z.array(z.number().int().nonnegative()).optional(),
  duplicateRate: z.number().min(0).max(1).optional(),
  reorder: z.boolean().optional(),
  escapeSlashes: z.boolean().optional(),
  logBodies: z.boolean().optional(),
});
const verifyInput = z.strictObject({ challenge: z.string().optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new SandboxInputError(`invalid input: ${issues}`, 400);
  }
  return result.data;
}

function param(call: AdminCall, name: string): string {
  return call.params[name] ?? '';
}

function clean<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/** Admin routes under `/__sandbox`. */
export const adminRoutes: ReadonlyArray<Route<AdminHandler>> = [
  { method: 'GET', path: '/health', handler: () => ({ ok: true }) },
  {
    method: 'GET',
    path: '/clock',
    handler: (core) => ({ now: core.clock.now(), offsetMs: core.clock.offsetMs }),
  },
  {
    method: 'PUT',
    path: '/clock',
    handler: (core, call) => {
      core.clock.setOffset(parse(clockInput, call.body).offsetMs);
      return { now: core.clock.now(), offsetMs: core.clock.offsetMs };
    },
  },
  {
    method: 'POST',
    path: '/clock/advance',
    handler: (core, call) => {
      core.clock.advance(parse(advanceInput, call.body).ms);
      return { now: core.clock.now(), offsetMs: core.clock.offsetMs };
    },
  },
  {
    method: 'POST',
    path: '/apps',
    handler: (core, call) => core.createApp(clean(parse(appInput, call.body))),
  },
  { method: 'GET', path: '/apps/:appId', handler: (core, call) => core.app(param(call, 'appId')) },
  {
    method: 'PATCH',
    path: '/apps/:appId',
    handler: (core, call) =>
      core.updateApp(param(call, 'appId'), clean(parse(appInput.omit({ id: true }), call.body))),
  },
  {
    method: 'POST',
    path: '/apps/:appId/verify',
    handler: (core, call) =>
      core.verifyWebhook(param(call, 'appId'), parse(verifyInput, call.body).challenge),
  },
  {
    method: 'POST',
    path: '/accounts',
    handler: (core, call) => {
      const input = parse(accountInput, call.body);
      return core.createAccount({
        ...clean(input),
        ...(input.app ? { app: clean(input.app) } : {}),
        ...(input.rateLimits ? { rateLimits: clean(input.rateLimits) } : {}),
      });
    },
  },
  { method: 'GET', path: '/accounts', handler: (core) => ({ data: [...core.state.accounts.values()] }) },
  {
    method: 'GET',
    path: '/accounts/:accountId',
    handler: (core, call) => core.account(param(call, 'accountId')),
  },
  {
    method: 'PATCH',
    path: '/accounts/:accountId',
    handler: (core, call) => {
      const patch = parse(accountPatch, call.body);
      return core.updateAccount(param(call, 'accountId'), {
        ...clean(patch),
        ...(patch.rateLimits ? { rateLimits: clean(patch.rateLimits) } : {}),
      });
    },
  },
  {
    method: 'PUT',
    path: '/accounts/:accountId/rate-limits',
    handler: (core, call) =>
      core.updateAccount(param(call, 'accountId'), { rateLimits: clean(parse(rateLimits, call.body)) })
        .rateLimits,
  },
  {
    method: 'POST',
    path: '/accounts/:accountId/tokens',
    handler: (core, call) => core.issueToken(param(call, 'accountId'), clean(parse(tokenInput, call.body))),
  },
  {
    method: 'PATCH',
    path: '/tokens/:token',
    handler: (core, call) => core.updateToken(param(call, 'token'), clean(parse(tokenPatch, call.body))),
  },
  { method: 'GET', path: '/tokens/:token', handler: (core, call) => core.token(param(call, 'token')) },
  {
    method: 'GET',
    path: '/accounts/:accountId/customers',
    handler: (core, call) => ({ data: core.state.customersOf(core.account(param(call, 'accountId')).id) }),
  },
  {
    method: 'POST',
    path: '/accounts/:accountId/customers',
    handler: (core, call) =>
      core.createCustomer(param(call, 'accountId'), clean(parse(customerInput, call.body))),
  },
  {
    method: 'PATCH',
    path: '/accounts/:accountId/customers/:igsid',
    handler: (core, call) =>
      core.updateCustomer(
        param(call, 'accountId'),
        param(call, 'igsid'),
        clean(parse(customerPatch, call.body)),
      ),
  },
  {
    method: 'POST',
    path: '/accounts/:accountId/customers/:igsid/events',
    handler: async (core, call) => {
      const input = parse(eventInput, call.body);
      const start = core.delivery.log.length;
      const result = core.customerEvent(
        param(call, 'accountId'),
        param(call, 'igsid'),
        input.event,
        clean({ standby: input.standby, secondsAgo: input.secondsAgo }),
      );
      if (!input.wait) return result;
      await core.delivery.drain();
      return { ...result, deliveries: core.delivery.log.slice(start) };
    },
  },
  {
    method: 'POST',
    path: '/accounts/:accountId/faults',
    handler: (core, call) => {
      const accountId = core.account(param(call, 'accountId')).id;
      const input = parse(faultInput, call.body);
      core.faults.add(accountId, input.fault, input.count === undefined ? 1 : input.count);
      return { data: core.faults.list(accountId) };
    },
  },
  {
    method: 'GET',
    path: '/accounts/:accountId/faults',
    handler: (core, call) => ({ data: core.faults.list(core.account(param(call, 'accountId')).id) }),
  },
  {
    method: 'DELETE',
    path: '/accounts/:accountId/faults',
    handler: (core, call) => {
      core.faults.clear(core.account(param(call, 'accountId')).id);
      return { data: [] };
    },
  },
  {
    method: 'GET',
    path: '/accounts/:accountId/counters',
    handler: (core, call) => core.counters(param(call, 'accountId')),
  },
  {
    method: 'GET',
    path: '/sent',
    handler: (core, call) => {
      const since = call.query.get('since');
      const accountId = call.query.get('accountId');
      return {
        data: core.sentMessages(
          clean({ accountId: accountId ?? undefined, since: since === null ? undefined : Number(since) }),
        ),
      };
    },
  },
  {
    method: 'GET',
    path: '/conversations',
    handler: (core) => ({ data: [...core.state.conversations.values()] }),
  },
  {
    method: 'GET',
    path: '/deliveries',
    handler: (core, call) => ({
      data: core.deliveries(Number(call.query.get('since') ?? 0) || 0),
      skipped: core.skipped,
    }),
  },
  { method: 'GET', path: '/webhooks/config', handler: (core) => core.delivery.getConfig() },
  {
    method: 'PATCH',
    path: '/webhooks/config',
    handler: (core, call) => core.delivery.configure(clean(parse(deliveryPatch, call.body))),
  },
  {
    method: 'POST',
    path: '/webhooks/flush',
    handler: async (core) => {
      await core.delivery.drain();
      return { ok: true, deliveries: core.delivery.log.length };
    },
  },
];
