import type { IdFactory } from '../ids';

/** Which Meta setup an account uses; decides auth shape, error type and ids in paths. */
export type LoginType = 'instagram' | 'facebook';

/** A Meta app: owns the secrets that sign webhooks and the callback they go to. */
export interface SandboxApp {
  id: string;
  name: string;
  /** "App Secret" (App settings > Basic). */
  secret: string;
  /** Separate Instagram app secret of IG-Login apps (see instagram-api.md §2). */
  instagramAppSecret: string;
  /** Which secret signs webhooks for IG-Login accounts; Meta's choice is unverified, so it is configurable. */
  signWith: 'app_secret' | 'instagram_app_secret';
  callbackUrl: string | null;
  verifyToken: string | null;
}

/** An access token the emulator issued. */
export interface TokenRecord {
  token: string;
  accountId: string;
  kind: 'instagram_user' | 'page';
  issuedAt: number;
  /** `null` = never expires (Page token derived from a long-lived user token). */
  expiresAt: number | null;
  scopes: string[];
  /** Set when the admin API invalidated the token; the 190 subcode to answer with. */
  revokedSubcode: number | null;
}

/** Per-account rate limits; `null` disables a limit. */
export interface RateLimits {
  perSecond: number | null;
  perHour: number | null;
}

/** A professional account the emulator serves. */
export interface SandboxAccount {
  /** IG professional account id: webhook `entry.id`, `/me` `user_id`. */
  id: string;
  /** App-scoped id that IG-Login `/me` returns as `id`. */
  appScopedId: string;
  /** Linked Facebook Page id (FB Login uses it in paths and `/me`). */
  pageId: string;
  username: string;
  name: string;
  loginType: LoginType;
  appId: string;
  humanAgentEnabled: boolean;
  subscribedFields: string[];
  rateLimits: RateLimits;
}

/** Someone who talks to an account; their IGSID is scoped to that account. */
export interface SandboxCustomer {
  igsid: string;
  accountId: string;
  username: string;
  name: string | null;
  profilePic: string | null;
  followerCount: number;
  isVerifiedUser: boolean;
  isUserFollowBusiness: boolean;
  isBusinessFollowUser: boolean;
  /** Blocked the business or turned messages off: sends fail with 551. */
  unavailable: boolean;
  /** Last time the customer wrote (or tapped an ice breaker / opened an ig.me link): opens the window. */
  lastInboundAt: number | null;
  /** Whether the customer ever messaged: the user-profile consent rule. */
  consented: boolean;
}

/** One message stored in a conversation (both directions). */
export interface StoredMessage {
  mid: string;
  conversationId: string;
  accountId: string;
  fromId: string;
  toId: string;
  direction: 'inbound' | 'outbound';
  text: string | null;
  attachments: unknown[];
  createdAt: number;
  deleted: boolean;
}

/** A thread between an account and one customer. */
export interface SandboxConversation {
  id: string;
  accountId: string;
  igsid: string;
  updatedAt: number;
  messages: StoredMessage[];
}

/** A comment on the account's media, the target of a private reply. */
export interface SandboxComment {
  id: string;
  accountId: string;
  igsid: string;
  mediaId: string;
  text: string;
  createdAt: number;
  privateReplyMid: string | null;
}

/** One call to the Send API the emulator accepted. */
export interface SentRecord {
  accountId: string;
  recipientId: string;
  /** `null` for sender actions and reactions, which return no message id. */
  messageId: string | null;
  kind: 'message' | 'private_reply' | 'sender_action' | 'reaction';
  /** The request body as received. */
  body: Record<string, unknown>;
  /** The message as Meta would deliver it (quick-reply titles truncated), for message sends. */
  message: { text: string | null; attachments: unknown[]; quickReplies: unknown[] } | null;
  at: number;
}

const DAY = 24 * 60 * 60 * 1000;
/** Long-lived Instagram User tokens and refreshed ones live 60 days (instagram-api.md §7). */
export const LONG_LIVED_TOKEN_MS = 60 * DAY;

/** Default scopes of a freshly created account's token, per login type. */
export const DEFAULT_SCOPES: Record<LoginType, string[]> = {
  instagram: [
    'instagram_business_basic',
    'instagram_business_manage_messages',
    'instagram_business_manage_comments',
  ],
  facebook: [
    'instagram_basic',
    'instagram_manage_messages',
    'instagram_manage_comments',
    'pages_manage_metadata',
    'pages_messaging',
    'pages_show_list',
    'pages_read_engagement',
  ],
};

/** Webhook fields each login type may subscribe (instagram-api.md §4, field availability). */
export const SUBSCRIBABLE_FIELDS: Record<LoginType, readonly string[]> = {
  instagram: [
    'comments',
    'live_comments',
    'message_reactions',
    'messages',
    'messaging_handover',
    'messaging_optins',
    'messaging_postbacks',
    'messaging_referral',
    'messaging_seen',
    'standby',
  ],
  facebook: [
    'comments',
    'live_comments',
    'mentions',
    'story_insights',
    'message_reactions',
    'messages',
    'messaging_handover',
    'messaging_policy_enforcement',
    'messaging_postbacks',
    'messaging_referral',
    'messaging_seen',
    'response_feedback',
    'standby',
  ],
};

/**
 * Everything the emulator remembers. Plain maps: the sandbox is in-memory by
 * design (a demo or a benchmark starts from nothing).
 */
export class SandboxState {
  readonly apps = new Map<string, SandboxApp>();
  readonly accounts = new Map<string, SandboxAccount>();
  readonly tokens = new Map<string, TokenRecord>();
  /** key: `${accountId}:${igsid}` */
  readonly customers = new Map<string, SandboxCustomer>();
  readonly conversations = new Map<string, SandboxConversation>();
  /** key: `${accountId}:${igsid}` -> conversation id */
  readonly conversationByCustomer = new Map<string, string>();
  readonly messages = new Map<string, StoredMessage>();
  readonly comments = new Map<string, SandboxComment>();
  readonly sent: SentRecord[] = [];

  constructor(readonly ids: IdFactory) {}

  /** The account whose IG id or Page id is `id`. */
  accountByAnyId(id: string): SandboxAccount | undefined {
    const direct = this.accounts.get(id);
    if (direct) return direct;
    for (const account of this.accounts.values()) if (account.pageId === id) return account;
    return undefined;
  }

  customer(accountId: string, igsid: string): SandboxCustomer | undefined {
    return this.customers.get(`${accountId}:${igsid}`);
  }

  customersOf(accountId: string): SandboxCustomer[] {
    return [...this.customers.values()].filter((c) => c.accountId === accountId);
  }

  /** The conversation with a customer, created on first use. */
  conversationWith(accountId: string, igsid: string, now: number): SandboxConversation {
    const key = `${accountId}:${igsid}`;
    const existing = this.conversationByCustomer.get(key);
    const found = existing === undefined ? undefined : this.conversations.get(existing);
    if (found) return found;
    const conversation: SandboxConversation = {
      id: this.ids.conversationId(accountId),
      accountId,
      igsid,
      updatedAt: now,
      messages: [],
    };
    this.conversations.set(conversation.id, conversation);
    this.conversationByCustomer.set(key, conversation.id);
    return conversation;
  }

  /** Store a message in its conversation. */
  addMessage(message: Omit<StoredMessage, 'conversationId' | 'deleted'>, igsid: string): StoredMessage {
    const conversation = this.conversationWith(message.accountId, igsid, message.createdAt);
    const stored: StoredMessage = { ...message, conversationId: conversation.id, deleted: false };
    conversation.messages.push(stored);
    conversation.updatedAt = Math.max(conversation.updatedAt, message.createdAt);
    this.messages.set(stored.mid, stored);
    return stored;
  }
}
