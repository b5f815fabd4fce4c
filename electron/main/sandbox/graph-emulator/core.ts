import type { OffsetClock } from '../clock';
import type { IdFactory } from '../ids';
import type { Random } from '../random';
import {
  buildCustomerEvent,
  buildEcho,
  type CustomerEvent,
  type WebhookItem,
} from '../webhook-simulator/events';
import type { DeliveryAttempt, DeliveryTarget, WebhookDelivery } from '../webhook-simulator/delivery';
import { verifyCallback, type VerificationResult } from '../webhook-simulator/verify';
import { FaultBook } from './faults';
import { RateMeter, type SendCounters } from './rate-meter';
import {
  DEFAULT_SCOPES,
  LONG_LIVED_TOKEN_MS,
  SandboxState,
  type LoginType,
  type RateLimits,
  type SandboxAccount,
  type SandboxApp,
  type SandboxCustomer,
  type SentRecord,
  type TokenRecord,
} from './state';

/** Input to create a Meta app. */
export interface CreateAppInput {
  id?: string;
  name?: string;
  secret?: string;
  instagramAppSecret?: string;
  signWith?: SandboxApp['signWith'];
  callbackUrl?: string | null;
  verifyToken?: string | null;
}

/** Input to create an account (and its app, unless `appId` names an existing one). */
export interface CreateAccountInput {
  loginType: LoginType;
  id?: string;
  pageId?: string;
  username?: string;
  name?: string;
  appId?: string;
  app?: CreateAppInput;
  humanAgentEnabled?: boolean;
  /** Webhook fields the account is subscribed to. Default: none (as on Meta, until `subscribed_apps` POST). */
  subscribedFields?: string[];
  rateLimits?: Partial<RateLimits>;
  scopes?: string[];
  /** Age of the first token, in seconds (default 0: just issued). */
  tokenAgeSeconds?: number;
}

/** What creating an account returns: everything a client needs to talk to the emulator. */
export interface CreatedAccount {
  account: SandboxAccount;
  token: string;
  tokenExpiresAt: number | null;
  app: SandboxApp;
}

/** Input to create a customer of an account. */
export interface CreateCustomerInput {
  igsid?: string;
  username?: string;
  name?: string | null;
  unavailable?: boolean;
  /** Pretend the customer last wrote this many seconds ago (opens the window and gives profile consent). */
  lastInboundSecondsAgo?: number | null;
  followerCount?: number;
  isVerifiedUser?: boolean;
}

/** Result of a customer event. */
export interface CustomerEventResult {
  /** Id of the message the event created, if it created one. */
  mid: string | null;
  /** Id of the comment the event created, for `comment` events. */
  commentId: string | null;
  timestamp: number;
  /** Whether the webhook was queued (false when no callback or the field is not subscribed). */
  queued: boolean;
  skippedReason: string | null;
}

/** Options of a customer event. */
export interface CustomerEventOptions {
  /** Deliver through `standby[]` instead of `messaging[]`. */
  standby?: boolean;
  /** The event happened this long ago (the window counts from then). */
  secondsAgo?: number;
  /** Exact event time (ms); wins over `secondsAgo`. Used by the scenario runner for determinism. */
  timestamp?: number;
  /** Exact message id for events that create a message. */
  mid?: string;
}

/** A skipped delivery: why Meta would not have sent the webhook. */
export interface SkippedDelivery {
  accountId: string;
  field: string;
  reason: string;
  at: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Creates messages: these events carry a new `mid`. */
const MESSAGE_CREATING = new Set<CustomerEvent['type']>([
  'text',
  'attachments',
  'story_mention',
  'story_reply',
  'reply_to',
  'quick_reply',
  'message_referral',
  'unsupported',
  'postback',
]);
/** Events after which the business may answer for 24 h (instagram-api.md §5.4). */
const OPENS_WINDOW = new Set<CustomerEvent['type']>([...MESSAGE_CREATING, 'referral']);

/**
 * The sandbox's domain: state plus the operations both the admin API and the
 * in-process API perform. The HTTP layers only translate to and from it.
 */
export class SandboxCore {
  readonly state: SandboxState;
  readonly meter = new RateMeter();
  readonly faults = new FaultBook();
  readonly skipped: SkippedDelivery[] = [];

  constructor(
    readonly clock: OffsetClock,
    readonly ids: IdFactory,
    readonly random: Random,
    readonly delivery: WebhookDelivery,
    readonly defaultRateLimits: RateLimits,
  ) {
    this.state = new SandboxState(ids);
  }

  createApp(input: CreateAppInput = {}): SandboxApp {
    const app: SandboxApp = {
      id: input.id ?? this.ids.appId(),
      name: input.name ?? 'Switchboard Sandbox App',
      secret: input.secret ?? this.ids.appSecret(),
      instagramAppSecret: input.instagramAppSecret ?? this.ids.appSecret(),
      signWith: input.signWith ?? 'app_secret',
      callbackUrl: input.callbackUrl ?? null,
      verifyToken: input.verifyToken ?? null,
    };
    if (this.state.apps.has(app.id)) throw new SandboxInputError(`app ${app.id} already exists`, 409);
    this.state.apps.set(app.id, app);
    return app;
  }

  updateApp(appId: string, patch: Partial<Omit<SandboxApp, 'id'>>): SandboxApp {
    const app = this.app(appId);
    Object.assign(app, stripUndefined(patch));
    return app;
  }

  app(appId: string): SandboxApp {
    const app = this.state.apps.get(appId);
    if (!app) throw new SandboxInputError(`no app ${appId}`, 404);
    return app;
  }

  createAccount(input: CreateAccountInput): CreatedAccount {
    let app: SandboxApp;
    if (input.appId !== undefined && this.state.apps.has(input.appId)) app = this.app(input.appId);
    else app = this.createApp({ ...input.app, ...(input.appId === undefined ? {} : { id: input.appId }) });
    const id = input.id ?? this.ids.igAccountId();
    if (this.state.accounts.has(id)) throw new SandboxInputError(`account ${id} already exists`, 409);
    const account: SandboxAccount = {
      id,
      appScopedId: this.ids.appScopedUserId(),
      pageId: input.pageId ?? this.ids.pageId(),
      username: input.username ?? `sandbox_${id.slice(-6)}`,
      name: input.name ?? `Sandbox ${id.slice(-6)}`,
      loginType: input.loginType,
      appId: app.id,
      humanAgentEnabled: input.humanAgentEnabled ?? false,
      subscribedFields: [...(input.subscribedFields ?? [])],
      rateLimits: { ...this.defaultRateLimits, ...stripUndefined(input.rateLimits ?? {}) },
    };
    this.state.accounts.set(id, account);
    const token = this.issueToken(id, {
      ageSeconds: input.tokenAgeSeconds ?? 0,
      ...(input.scopes === undefined ? {} : { scopes: input.scopes }),
    });
    return { account, token: token.token, tokenExpiresAt: token.expiresAt, app };
  }

  account(accountId: string): SandboxAccount {
    const account = this.state.accounts.get(accountId);
    if (!account) throw new SandboxInputError(`no account ${accountId}`, 404);
    return account;
  }

  updateAccount(
    accountId: string,
    patch: {
      humanAgentEnabled?: boolean;
      subscribedFields?: string[];
      rateLimits?: Partial<RateLimits>;
      username?: string;
    },
  ): SandboxAccount {
    const account = this.account(accountId);
    if (patch.humanAgentEnabled !== undefined) account.humanAgentEnabled = patch.humanAgentEnabled;
    if (patch.subscribedFields !== undefined) account.subscribedFields = [...patch.subscribedFields];
    if (patch.username !== undefined) account.username = patch.username;
    if (patch.rateLimits !== undefined)
      account.rateLimits = { ...account.rateLimits, ...stripUndefined(patch.rateLimits) };
    return account;
  }

  /**
   * Issue a token for an account. IG-Login tokens are long-lived (60 days);
   * FB-Login Page tokens never expire unless `expiresInSeconds` says so.
   */
  issueToken(
    accountId: string,
    options: { ageSeconds?: number; expiresInSeconds?: number | null; scopes?: string[] } = {},
  ): TokenRecord {
    const account = this.account(accountId);
    const issuedAt = this.clock.now() - (options.ageSeconds ?? 0) * 1000;
    const expiresAt =
      options.expiresInSeconds !== undefined
        ? options.expiresInSeconds === null
          ? null
          : this.clock.now() + options.expiresInSeconds * 1000
        : account.loginType === 'instagram'
          ? issuedAt + LONG_LIVED_TOKEN_MS
          : null;
    const record: TokenRecord = {
      token: account.loginType === 'instagram' ? this.ids.instagramToken() : this.ids.pageToken(),
      accountId,
      kind: account.loginType === 'instagram' ? 'instagram_user' : 'page',
      issuedAt,
      expiresAt,
      scopes: [...(options.scopes ?? DEFAULT_SCOPES[account.loginType])],
      revokedSubcode: null,
    };
    this.state.tokens.set(record.token, record);
    return record;
  }

  token(token: string): TokenRecord {
    const record = this.state.tokens.get(token);
    if (!record) throw new SandboxInputError('no such token', 404);
    return record;
  }

  /** Age, expire or revoke a token. */
  updateToken(
    token: string,
    patch: { ageSeconds?: number; expire?: boolean; revokeSubcode?: number | null; scopes?: string[] },
  ): TokenRecord {
    const record = this.token(token);
    if (patch.ageSeconds !== undefined) {
      const shift = patch.ageSeconds * 1000;
      record.issuedAt -= shift;
      if (record.expiresAt !== null) record.expiresAt -= shift;
    }
    if (patch.expire) record.expiresAt = this.clock.now() - 1000;
    if (patch.revokeSubcode !== undefined) record.revokedSubcode = patch.revokeSubcode;
    if (patch.scopes !== undefined) record.scopes = [...patch.scopes];
    return record;
  }

  createCustomer(accountId: string, input: CreateCustomerInput = {}): SandboxCustomer {
    this.account(accountId);
    const igsid = input.igsid ?? this.ids.igsid();
    if (this.state.customer(accountId, igsid))
      throw new SandboxInputError(`customer ${igsid} already exists`, 409);
    const last = input.lastInboundSecondsAgo;
    const customer: SandboxCustomer = {
      igsid,
      accountId,
      username: input.username ?? `customer_${igsid.slice(-5)}`,
      name: input.name === undefined ? `Customer ${igsid.slice(-5)}` : input.name,
      profilePic: `https://scontent.cdninstagram.com/v/t51.2885-19/${igsid}.jpg`,
      followerCount: input.followerCount ?? 120,
      isVerifiedUser: input.isVerifiedUser ?? false,
      isUserFollowBusiness: false,
      isBusinessFollowUser: false,
      unavailable: input.unavailable ?? false,
      lastInboundAt: last === undefined || last === null ? null : this.clock.now() - last * 1000,
      consented: last !== undefined && last !== null,
    };
    this.state.customers.set(`${accountId}:${igsid}`, customer);
    return customer;
  }

  customer(accountId: string, igsid: string): SandboxCustomer {
    const customer = this.state.customer(accountId, igsid);
    if (!customer) throw new SandboxInputError(`no customer ${igsid} on account ${accountId}`, 404);
    return customer;
  }

  updateCustomer(
    accountId: string,
    igsid: string,
    patch: { unavailable?: boolean; lastInboundSecondsAgo?: number | null; consented?: boolean },
  ): SandboxCustomer {
    const customer = this.customer(accountId, igsid);
    if (patch.unavailable !== undefined) customer.unavailable = patch.unavailable;
    if (patch.consented !== undefined) customer.consented = patch.consented;
    if (patch.lastInboundSecondsAgo !== undefined) {
      customer.lastInboundAt =
        patch.lastInboundSecondsAgo === null ? null : this.clock.now() - patch.lastInboundSecondsAgo * 1000;
    }
    return customer;
  }

  /**
   * A customer does something on Instagram: state is updated as Meta would
   * (window, conversation, comments) and the webhook is queued for the
   * account's app callback.
   */
  customerEvent(
    accountId: string,
    igsid: string,
    event: CustomerEvent,
    options: CustomerEventOptions = {},
  ): CustomerEventResult {
    const account = this.account(accountId);
    const customer = this.customer(accountId, igsid);
    const timestamp = options.timestamp ?? this.clock.now() - (options.secondsAgo ?? 0) * 1000;
    const creates = MESSAGE_CREATING.has(event.type);
    const mid = creates ? (options.mid ?? this.ids.messageId(accountId)) : '';
    let commentId: string | null = null;

    const item = buildCustomerEvent(
      {
        accountId,
        customerId: igsid,
        customerUsername: customer.username,
        timestamp,
        mid,
        loginType: account.loginType,
        newCommentId: () => this.ids.commentId(),
        newMediaId: () => this.ids.mediaId(),
        ...(options.standby ? { standby: true } : {}),
      },
      event,
    );

    if (creates && event.type !== 'postback') {
      const text = 'text' in event && typeof event.text === 'string' ? event.text : null;
      const attachments =
        isRecord(item.payload.message) && Array.isArray(item.payload.message.attachments)
          ? item.payload.message.attachments
          : [];
      this.state.addMessage(
        {
          mid,
          accountId,
          fromId: igsid,
          toId: accountId,
          direction: 'inbound',
          text,
          attachments,
          createdAt: timestamp,
        },
        igsid,
      );
    }
    if (OPENS_WINDOW.has(event.type))
      customer.lastInboundAt = Math.max(customer.lastInboundAt ?? 0, timestamp);
    if (creates) customer.consented = true;
    if (event.type === 'delete') {
      const target = this.state.messages.get(event.targetMid);
      if (target) target.deleted = true;
    }
    if (event.type === 'edit') {
      const target = this.state.messages.get(event.targetMid);
      if (target) target.text = event.text;
    }
    if (event.type === 'comment') {
      const value = item.payload.value as Record<string, unknown>;
      commentId = String(value.id ?? value.comment_id);
      const media = value.media as Record<string, unknown>;
      this.state.comments.set(commentId, {
        id: commentId,
        accountId,
        igsid,
        mediaId: String(media.id),
        text: event.text,
        createdAt: timestamp,
        privateReplyMid: null,
      });
    }
    const outcome = this.deliver(account, item);
    return {
      mid: creates ? mid : null,
      commentId,
      timestamp,
      queued: outcome === null,
      skippedReason: outcome,
    };
  }

  /** Queue a webhook item for its account's app; returns why it was skipped, or null. */
  deliver(account: SandboxAccount, item: WebhookItem): string | null {
    const app = this.state.apps.get(account.appId);
    let reason: string | null = null;
    if (!app || !app.callbackUrl) reason = 'app has no callback URL';
    else if (!account.subscribedFields.includes(item.field))
      reason = `account is not subscribed to field "${item.field}"`;
    if (reason !== null || !app || !app.callbackUrl) {
      this.skipped.push({
        accountId: account.id,
        field: item.field,
        reason: reason ?? 'no app',
        at: this.clock.now(),
      });
      return reason;
    }
    const secret =
      account.loginType === 'instagram' && app.signWith === 'instagram_app_secret'
        ? app.instagramAppSecret
        : app.secret;
    const target: DeliveryTarget = { appId: app.id, callbackUrl: app.callbackUrl, secret };
    this.delivery.enqueue(target, [item]);
    return null;
  }

  /** The echo for a message the business sent through the emulator. */
  echo(
    account: SandboxAccount,
    customerId: string,
    mid: string,
    text: string | null,
    attachments: Array<{ type: string; payload?: Record<string, unknown> }>,
    at: number,
  ): void {
    this.deliver(
      account,
      buildEcho({ accountId: account.id, customerId, timestamp: at, mid, text, attachments }),
    );
  }

  sentMessages(filter: { accountId?: string; since?: number } = {}): SentRecord[] {
    return this.state.sent.filter(
      (r) =>
        (filter.accountId === undefined || r.accountId === filter.accountId) &&
        (filter.since === undefined || r.at >= filter.since),
    );
  }

  counters(accountId: string): SendCounters {
    this.account(accountId);
    return this.meter.counters(accountId, this.clock.now());
  }

  deliveries(since = 0): DeliveryAttempt[] {
    return this.delivery.log.slice(since);
  }

  async verifyWebhook(appId: string, challenge?: string): Promise<VerificationResult> {
    const app = this.app(appId);
    if (!app.callbackUrl) throw new SandboxInputError(`app ${appId} has no callback URL`, 400);
    return verifyCallback(
      app.callbackUrl,
      app.verifyToken ?? '',
      challenge === undefined ? {} : { challenge },
    );
  }

  /** Whether the customer's window allows a standard send now. */
  windowOpen(customer: SandboxCustomer, withinMs = DAY): boolean {
    return customer.lastInboundAt !== null && this.clock.now() - customer.lastInboundAt <= withinMs;
  }
}

/** A bad admin/in-process request (not a Graph error): carries an HTTP status. */
export class SandboxInputError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SandboxInputError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
