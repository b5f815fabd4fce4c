import type { LoginType } from './graph-version';

/**
 * The port through which the core talks to Meta about one Instagram account.
 *
 * Implemented by `GraphInstagramClient` (HTTP to the Graph API or the local
 * emulator). Every method either resolves with a validated, typed value or
 * rejects with a `GraphApiError`; nothing else escapes. The client never
 * retries: the sender owns retry policy, because a send that timed out may
 * still have been delivered and only the sender knows whether a duplicate is
 * acceptable.
 */
export interface InstagramClient {
  /** The setup this client speaks (decides host, auth and which calls exist). */
  readonly loginType: LoginType;
  /** IG professional account id (Instagram Login) or Page id (Facebook Login). */
  readonly accountId: string;

  /**
   * Who the token belongs to. Instagram Login: `/me?fields=id,user_id,username,name`;
   * Facebook Login: the Page and its linked Instagram account.
   */
  getMe(): Promise<AccountIdentity>;

  /**
   * Facebook Login only: inspect this client's Page token with `debug_token`.
   *
   * @param appAccessToken `APP_ID|APP_SECRET` or another app token; treated as a secret.
   */
  debugToken(appAccessToken: string): Promise<TokenDebugInfo>;

  /** Instagram Login only: exchange the long-lived token for a new one (token must be ≥ 24 h old). */
  refreshLongLivedToken(): Promise<RefreshedToken>;

  /** Send API: a message, a private reply, a reaction or a sender action. */
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;

  /** User Profile API for an IGSID (needs the person's consent: they messaged the account). */
  getUserProfile(igsid: string, fields?: readonly UserProfileField[]): Promise<UserProfile>;

  /** Conversations of the account, newest first; `userId` narrows to the thread with one IGSID. */
  listConversations(options?: ListConversationsOptions): Promise<ConversationPage>;

  /** Ids and times of a conversation's messages (Meta exposes only the 20 most recent). */
  getConversationMessages(conversationId: string): Promise<ConversationMessages>;

  /** One message's details (only for the 20 most recent of its conversation). */
  getMessage(mid: string): Promise<MessageDetails>;

  /** Which apps (with which webhook fields) are subscribed to the account. */
  getSubscribedApps(): Promise<SubscribedApp[]>;

  /** Subscribe the app to the account's webhooks; replaces the field list. */
  subscribeApp(fields: readonly WebhookField[]): Promise<void>;
}

/** What a client needs to act for one account. `accessToken` and `appSecret` are secrets. */
export interface InstagramCredentials {
  loginType: LoginType;
  /** IG professional account id (Instagram Login) or Page id (Facebook Login). */
  accountId: string;
  accessToken: string;
  /** App secret, for `appsecret_proof` on graph.facebook.com (Facebook Login only). */
  appSecret?: string;
}

/** Builds a client for the credentials an account has right now (they change on refresh or reconnect). */
export type InstagramClientFactory = (credentials: InstagramCredentials) => InstagramClient;

// ------------------------------------------------------------------ identity and tokens

/** Result of `getMe()`, per setup. */
export type AccountIdentity =
  | {
      loginType: 'instagram';
      /** `user_id`: the professional account id; webhooks' `entry.id` carries this one. */
      userId: string;
      /** `id`: app-scoped, not the id webhooks carry. */
      appScopedId: string;
      username: string;
      name: string | null;
    }
  | {
      loginType: 'facebook';
      pageId: string;
      pageName: string | null;
      /** The Instagram professional account linked to the Page, if any; webhooks' `entry.id`. */
      instagramAccountId: string | null;
    };

/** `debug_token` data, in our words. */
export interface TokenDebugInfo {
  isValid: boolean;
  appId: string | null;
  /** `USER`, `PAGE`, … */
  type: string | null;
  /** Epoch ms; `null` when the token never expires (Meta reports 0). */
  expiresAt: number | null;
  dataAccessExpiresAt: number | null;
  scopes: string[];
  userId: string | null;
  profileId: string | null;
  /** Why the token is invalid, when Meta says so. */
  error: {
    code: number | null;
    subcode: number | null;
    message: string | null;
    /** Same rule as a failed call with this code (190 → reconnect). */
    needsReconnect: boolean;
    /** Plain words for staff, as `classifyGraphError` would give. */
    explanation: string;
  } | null;
}

/** A refreshed Instagram long-lived token. The caller stores it and builds a new client. */
export interface RefreshedToken {
  accessToken: string;
  tokenType: string;
  expiresInSeconds: number;
  /** Epoch ms, computed from the client's clock when the answer arrived. */
  expiresAt: number;
}

// ------------------------------------------------------------------ send

/** Media types that can be sent by URL. */
export type MediaType = 'image' | 'audio' | 'video' | 'file';

/** Reaction names Instagram Messaging accepts (v12+, instagram-api.md §4; the IG-Login page documents `love`). */
export type ReactionName = 'love' | 'like' | 'laugh' | 'wow' | 'sad' | 'angry' | 'other';

/** A quick-reply button (max 13; titles over 20 characters are truncated by Meta). */
export type QuickReply =
  { contentType: 'text'; title: string; payload: string } | { contentType: 'user_phone_number' };

/** The content of a message. */
export type OutgoingMessage =
  | { type: 'text'; text: string; quickReplies?: readonly QuickReply[] }
  | { type: 'attachment'; mediaType: MediaType; url: string }
  | { type: 'like_heart' };

/**
 * Why the message may be sent now. `RESPONSE` is a reply inside the 24-hour
 * window; `HUMAN_AGENT` is a person answering within 7 days (needs Meta's
 * Human Agent feature on the app).
 */
export type MessagingPolicy = 'RESPONSE' | 'HUMAN_AGENT';

/** One Send API call. */
export type SendMessageInput =
  | {
      kind: 'message';
      recipientId: string;
      message: OutgoingMessage;
      /** Reply to a specific message (`reply_to.mid`). */
      replyToMid?: string;
      /** Default `RESPONSE`. */
      policy?: MessagingPolicy;
    }
  | {
      /** Private reply to a comment: one per comment, within 7 days of it. */
      kind: 'private_reply';
      commentId: string;
      message: OutgoingMessage;
    }
  | { kind: 'react'; recipientId: string; messageId: string; reaction: ReactionName }
  | { kind: 'unreact'; recipientId: string; messageId: string }
  | { kind: 'sender_action'; recipientId: string; action: 'typing_on' | 'typing_off' | 'mark_seen' };

/** What Meta answered to a send. `messageId` is present for messages and private replies only. */
export interface SendMessageResult {
  recipientId: string;
  messageId?: string;
}

// ------------------------------------------------------------------ profiles and conversations

/** Fields the User Profile API serves. */
export type UserProfileField =
  | 'name'
  | 'username'
  | 'profile_pic'
  | 'follower_count'
  | 'is_user_follow_business'
  | 'is_business_follow_user'
  | 'is_verified_user';

/** A customer's profile; a field is `undefined` when not requested, `null` when Meta has no value. */
export interface UserProfile {
  igsid: string;
  name?: string | null;
  username?: string | null;
  /** CDN URL that expires after a few days: store the URL's fetch time, not the URL forever. */
  profilePic?: string | null;
  followerCount?: number | null;
  isUserFollowBusiness?: boolean | null;
  isBusinessFollowUser?: boolean | null;
  isVerifiedUser?: boolean | null;
}

export interface ListConversationsOptions {
  /** Only the conversation with this IGSID. */
  userId?: string;
  /** Also fetch participants (to map a conversation to its IGSID without a second call). */
  withParticipants?: boolean;
  /** Paging cursor from a previous page's `nextCursor`. */
  after?: string;
  limit?: number;
}

export interface ConversationSummary {
  id: string;
  /** Graph time string as Meta sends it (`2026-07-12T19:11:07+0000`). */
  updatedTime: string | null;
  participants: Array<{ id: string; username: string | null }> | null;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  /** Pass as `after` to read the next page; `null` on the last page. */
  nextCursor: string | null;
}

export interface ConversationMessages {
  conversationId: string;
  messages: Array<{ id: string; createdTime: string | null }>;
}

export interface MessageDetails {
  id: string;
  createdTime: string | null;
  from: { id: string; username: string | null } | null;
  to: Array<{ id: string; username: string | null }>;
  /** Text of the message; empty for media-only messages. */
  text: string;
}

// ------------------------------------------------------------------ subscriptions

/** Webhook fields a `subscribed_apps` call may name (instagram-api.md §4, per setup). */
export type WebhookField =
  | 'comments'
  | 'live_comments'
  | 'mentions'
  | 'story_insights'
  | 'message_reactions'
  | 'messages'
  | 'messaging_handover'
  | 'messaging_optins'
  | 'messaging_policy_enforcement'
  | 'messaging_postbacks'
  | 'messaging_referral'
  | 'messaging_seen'
  | 'response_feedback'
  | 'standby';

export interface SubscribedApp {
  /** `null` when Meta leaves the app id out (it is always this client's app). */
  appId: string | null;
  name: string | null;
  subscribedFields: string[];
}
