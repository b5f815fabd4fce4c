import { IdFactory } from '../ids';
import { seededRandom, type Random } from '../random';
import type { Sandbox } from '../sandbox';
import type { LoginType } from '../graph-emulator/state';
import { SUBSCRIBABLE_FIELDS } from '../graph-emulator/state';
import {
  buildCustomerEvent,
  buildEnvelope,
  type CustomerEvent,
  type WebhookItem,
} from '../webhook-simulator/events';
import { serializeLikeMeta } from '../webhook-simulator/serialize';
import { signWebhookBody, type SignatureHeaders } from '../webhook-simulator/sign';

/** Event kinds a scenario mix can weight. */
export const SCENARIO_EVENT_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'file',
  'share',
  'ig_reel',
  'like_heart',
  'ephemeral',
  'story_mention',
  'story_reply',
  'reply_to',
  'quick_reply',
  'postback',
  'reaction',
  'unreact',
  'read',
  'delete',
  'edit',
  'referral',
  'ad_referral',
  'comment',
  'unsupported',
] as const;

/** One kind of scenario event. */
export type ScenarioEventKind = (typeof SCENARIO_EVENT_KINDS)[number];

/** "N customers across M accounts send at R per second for T seconds, with this mix." */
export interface ScenarioSpec {
  seed: number;
  accounts: number;
  customers: number;
  ratePerSecond: number;
  durationSeconds: number;
  /** Relative weights; kinds left out never occur. Default: text only. */
  mix?: Partial<Record<ScenarioEventKind, number>>;
  /** Scenario start (ms since epoch). Fixed by default so output never depends on the wall clock. */
  startTime?: number;
  /** Login type of the accounts; 'mixed' alternates. Default 'instagram'. */
  loginType?: LoginType | 'mixed';
}

/** An account of the plan, with the secrets that sign its webhooks. */
export interface ScenarioAccount {
  id: string;
  loginType: LoginType;
  appId: string;
  appSecret: string;
}

export interface ScenarioCustomer {
  accountId: string;
  igsid: string;
  username: string;
}

/** One planned event. */
export interface ScenarioEvent {
  seq: number;
  /** When it happens (ms since epoch). */
  at: number;
  accountId: string;
  customerId: string;
  kind: ScenarioEventKind;
  event: CustomerEvent;
  /** Message id the event creates, if any. */
  mid: string | null;
}

/** A fully determined scenario. */
export interface ScenarioPlan {
  spec: Required<Omit<ScenarioSpec, 'mix'>> & { mix: Partial<Record<ScenarioEventKind, number>> };
  accounts: ScenarioAccount[];
  customers: ScenarioCustomer[];
  events: ScenarioEvent[];
}

/** A signed webhook POST body, ready to send. */
export interface ScenarioPayload {
  appId: string;
  /** Time of the POST (the last event's time). */
  at: number;
  body: string;
  headers: SignatureHeaders;
  itemCount: number;
}

const DEFAULT_START = Date.UTC(2026, 0, 5, 9, 0, 0);
const PHRASES = [
  'Hi! Is this still available?',
  'How much is shipping to Berlin?',
  'Grüße aus München 👋',
  '¿Tienen envío a Madrid?',
  'Merci beaucoup ❤️',
  'こんにちは、在庫はありますか？',
  'Can I book for Saturday at 3pm?',
  'ok 👍',
  'Where is my order #4821?',
  'Love this!! 😍🔥',
  'Préférez-vous un appel?',
  'price?',
];
const EMOJI: Record<string, string> = {
  love: '\u2764\ufe0f',
  like: '\ud83d\udc4d',
  laugh: '\ud83d\ude02',
  wow: '\ud83d\ude2e',
};
const MESSAGE_KINDS = new Set<ScenarioEventKind>([
  'text',
  'image',
  'video',
  'audio',
  'file',
  'share',
  'ig_reel',
  'like_heart',
  'ephemeral',
  'story_mention',
  'story_reply',
  'reply_to',
  'quick_reply',
  'ad_referral',
  'unsupported',
  'postback',
]);

function weightedPick(
  random: Random,
  mix: Array<[ScenarioEventKind, number]>,
  total: number,
): ScenarioEventKind {
  let roll = random.next() * total;
  for (const [kind, weight] of mix) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return mix[mix.length - 1]?.[0] ?? 'text';
}

/**
 * Plan a scenario. Pure and deterministic: the same spec (seed included)
 * always gives the same accounts, customers, ids, texts and times.
 */
export function generateScenario(spec: ScenarioSpec): ScenarioPlan {
  if (spec.accounts < 1 || spec.customers < spec.accounts)
    throw new Error('need at least one account and one customer per account');
  if (!(spec.ratePerSecond > 0) || !(spec.durationSeconds > 0))
    throw new Error('ratePerSecond and durationSeconds must be positive');
  const random = seededRandom(spec.seed);
  const ids = new IdFactory(seededRandom(spec.seed ^ 0x9e3779b9));
  const mixInput = spec.mix ?? { text: 1 };
  const mix = SCENARIO_EVENT_KINDS.map((k) => [k, mixInput[k] ?? 0] as [ScenarioEventKind, number]).filter(
    ([, w]) => w > 0,
  );
  const total = mix.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) throw new Error('mix needs at least one positive weight');
  const loginType = spec.loginType ?? 'instagram';
  const startTime = spec.startTime ?? DEFAULT_START;

  const accounts: ScenarioAccount[] = [];
  for (let i = 0; i < spec.accounts; i++) {
    accounts.push({
      id: ids.igAccountId(),
      loginType: loginType === 'mixed' ? (i % 2 === 0 ? 'instagram' : 'facebook') : loginType,
      appId: ids.appId(),
      appSecret: ids.appSecret(),
    });
  }
  const customers: ScenarioCustomer[] = [];
  for (let i = 0; i < spec.customers; i++) {
    const account = accounts[i % accounts.length] as ScenarioAccount;
    const igsid = ids.igsid();
    customers.push({ accountId: account.id, igsid, username: `user_${igsid.slice(-6)}` });
  }

  const history = new Map<string, string[]>();
  const events: ScenarioEvent[] = [];
  const count = Math.round(spec.ratePerSecond * spec.durationSeconds);
  for (let seq = 0; seq < count; seq++) {
    const at = startTime + Math.floor((seq * 1000) / spec.ratePerSecond);
    const customer = random.pick(customers);
    const key = `${customer.accountId}:${customer.igsid}`;
    const mids = history.get(key) ?? [];
    let kind = weightedPick(random, mix, total);
    const needsTarget =
      kind === 'reaction' ||
      kind === 'unreact' ||
      kind === 'read' ||
      kind === 'delete' ||
      kind === 'edit' ||
      kind === 'reply_to';
    if (needsTarget && mids.length === 0) kind = 'text';
    const target = mids.length > 0 ? random.pick(mids) : '';
    const text = random.pick(PHRASES);
    const event = eventFor(kind, text, target, random, ids);
    const mid = MESSAGE_KINDS.has(kind) ? ids.messageId(customer.accountId) : null;
    if (mid !== null && kind !== 'postback') mids.push(mid);
    history.set(key, mids);
    events.push({ seq, at, accountId: customer.accountId, customerId: customer.igsid, kind, event, mid });
  }
  return {
    spec: {
      seed: spec.seed,
      accounts: spec.accounts,
      customers: spec.customers,
      ratePerSecond: spec.ratePerSecond,
      durationSeconds: spec.durationSeconds,
      startTime,
      loginType,
      mix: { ...mixInput },
    },
    accounts,
    customers,
    events,
  };
}

function eventFor(
  kind: ScenarioEventKind,
  text: string,
  target: string,
  random: Random,
  ids: IdFactory,
): CustomerEvent {
  const cdn = `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${random.digits(17)}&signature=${random.chars(24, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  switch (kind) {
    case 'text':
      return { type: 'text', text };
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
    case 'share':
    case 'ig_reel':
      return { type: 'attachments', attachments: [{ type: kind, url: cdn }] };
    case 'like_heart':
    case 'ephemeral':
      return { type: 'attachments', attachments: [{ type: kind }] };
    case 'story_mention':
      return { type: 'story_mention', url: cdn };
    case 'story_reply':
      return { type: 'story_reply', text, story: { id: ids.mediaId(), url: cdn } };
    case 'reply_to':
      return { type: 'reply_to', text, replyToMid: target };
    case 'quick_reply':
      return {
        type: 'quick_reply',
        text: random.pick(['Yes', 'No', 'Maybe later']),
        payload: `QR_${random.digits(4)}`,
      };
    case 'postback':
      return { type: 'postback', title: 'What are your opening hours?', payload: 'ICEBREAKER_HOURS' };
    case 'reaction': {
      const reaction = random.pick(['love', 'like', 'laugh', 'wow']);
      return { type: 'reaction', targetMid: target, reaction, emoji: EMOJI[reaction] ?? '\u2764\ufe0f' };
    }
    case 'unreact':
      return { type: 'unreact', targetMid: target };
    case 'read':
      return { type: 'read', targetMid: target };
    case 'delete':
      return { type: 'delete', targetMid: target };
    case 'edit':
      return { type: 'edit', targetMid: target, text: `${text} (edited)`, numEdit: 1 + random.int(3) };
    case 'referral':
      return { type: 'referral', referral: { source: 'SHORTLINKS', ref: `campaign_${random.digits(3)}` } };
    case 'ad_referral':
      return {
        type: 'message_referral',
        text,
        referral: {
          source: 'ADS',
          ref: `ad_ref_${random.digits(3)}`,
          adId: random.digits(17),
          adTitle: 'Spring sale',
          photoUrl: cdn,
          videoUrl: cdn,
        },
      };
    case 'comment':
      return { type: 'comment', text, commentId: ids.commentId(), mediaId: ids.mediaId() };
    case 'unsupported':
      return { type: 'unsupported' };
  }
}

function itemFor(plan: ScenarioPlan, event: ScenarioEvent): WebhookItem {
  const account = plan.accounts.find((a) => a.id === event.accountId) as ScenarioAccount;
  const customer = plan.customers.find(
    (c) => c.igsid === event.customerId && c.accountId === event.accountId,
  ) as ScenarioCustomer;
  let fallbackIds = 0;
  return buildCustomerEvent(
    {
      accountId: account.id,
      customerId: customer.igsid,
      customerUsername: customer.username,
      timestamp: event.at,
      mid: event.mid ?? '',
      loginType: account.loginType,
      // Scenario comments always carry their ids; these only keep the builder total.
      newCommentId: () => `0${event.seq}${fallbackIds++}`,
      newMediaId: () => `0${event.seq}${fallbackIds++}`,
    },
    event.event,
  );
}

/**
 * Build the signed webhook POSTs a scenario produces, without sending
 * anything (benchmarks feed these to the receiver directly).
 */
export function buildScenarioPayloads(
  plan: ScenarioPlan,
  options: { itemsPerPost?: number } = {},
): ScenarioPayload[] {
  const perPost = Math.max(1, options.itemsPerPost ?? 1);
  const payloads: ScenarioPayload[] = [];
  const open = new Map<string, { items: WebhookItem[]; at: number }>();
  const flush = (appId: string): void => {
    const batch = open.get(appId);
    const account = plan.accounts.find((a) => a.appId === appId);
    if (!batch || batch.items.length === 0 || !account) return;
    const body = serializeLikeMeta(buildEnvelope(batch.items, batch.at));
    payloads.push({
      appId,
      at: batch.at,
      body,
      headers: signWebhookBody(body, account.appSecret),
      itemCount: batch.items.length,
    });
    open.delete(appId);
  };
  for (const event of plan.events) {
    const account = plan.accounts.find((a) => a.id === event.accountId) as ScenarioAccount;
    const batch = open.get(account.appId) ?? { items: [], at: event.at };
    batch.items.push(itemFor(plan, event));
    batch.at = event.at;
    open.set(account.appId, batch);
    if (batch.items.length >= perPost) flush(account.appId);
  }
  for (const appId of [...open.keys()]) flush(appId);
  return payloads;
}

/** Create the plan's apps, accounts and customers in a sandbox, all pointing at `callbackUrl`. */
export function installScenario(sandbox: Sandbox, plan: ScenarioPlan, callbackUrl: string): void {
  for (const account of plan.accounts) {
    sandbox.createAccount({
      loginType: account.loginType,
      id: account.id,
      appId: account.appId,
      app: { secret: account.appSecret, callbackUrl },
      subscribedFields: [...SUBSCRIBABLE_FIELDS[account.loginType]],
    });
  }
  for (const customer of plan.customers)
    sandbox.createCustomer(customer.accountId, { igsid: customer.igsid, username: customer.username });
}

/**
 * Deliver a scenario through a sandbox's webhook simulator. With
 * `pace: 'realtime'` events are spread over the scenario's duration;
 * with 'fast' they are queued as quickly as possible (event timestamps stay
 * those of the plan either way). Resolves when every webhook is settled.
 */
export async function runScenario(
  sandbox: Sandbox,
  plan: ScenarioPlan,
  options: { callbackUrl: string; pace?: 'realtime' | 'fast'; install?: boolean; signal?: AbortSignal },
): Promise<{ events: number }> {
  if (options.install ?? true) installScenario(sandbox, plan, options.callbackUrl);
  const started = Date.now();
  let sent = 0;
  for (const event of plan.events) {
    if (options.signal?.aborted) break;
    if (options.pace === 'realtime') {
      const due = started + (event.at - plan.spec.startTime) - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    }
    sandbox.customerEvent(event.accountId, event.customerId, event.event, {
      timestamp: event.at,
      ...(event.mid === null ? {} : { mid: event.mid }),
    });
    sent++;
  }
  await sandbox.drainWebhooks();
  return { events: sent };
}
