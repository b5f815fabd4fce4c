import { EXPLANATIONS, classifyGraphError, classifyLocalFailure } from './graph-errors';
import {
  conversationListSchema,
  conversationMessagesSchema,
  debugTokenSchema,
  facebookMeSchema,
  instagramMeSchema,
  messageDetailsSchema,
  refreshTokenSchema,
  sendResultSchema,
  subscribedAppsSchema,
  successSchema,
  userProfileSchema,
} from './graph-schemas';
import { buildSendBody, expectsMessageId, idsOf } from './graph-send-body';
import { GraphTransport, isUnsafe, refuse, segment, type GraphTransportOptions } from './graph-transport';
import { GRAPH_API_VERSION, type LoginType } from './graph-version';
import type {
  AccountIdentity,
  ConversationMessages,
  ConversationPage,
  InstagramClient,
  InstagramClientFactory,
  InstagramCredentials,
  ListConversationsOptions,
  MessageDetails,
  RefreshedToken,
  SendMessageInput,
  SendMessageResult,
  SubscribedApp,
  TokenDebugInfo,
  UserProfile,
  UserProfileField,
  WebhookField,
} from './instagram-client';

export type { GraphTransportOptions } from './graph-transport';

/** All profile fields, the default of `getUserProfile`. */
export const USER_PROFILE_FIELDS: readonly UserProfileField[] = [
  'name',
  'username',
  'profile_pic',
  'follower_count',
  'is_user_follow_business',
  'is_business_follow_user',
  'is_verified_user',
];

/**
 * `InstagramClient` over HTTP with Node's `fetch`, for one account's credentials.
 *
 * Instances are cheap (no sockets of their own: fetch pools connections), so
 * services take an `InstagramClientFactory` and build a client from the
 * credentials stored right now; a refreshed or reconnected token is then
 * picked up without invalidating long-lived objects. Credentials live in
 * private fields, invisible to `JSON.stringify` and `util.inspect`.
 *
 * @throws GraphApiError (`invalid_request`) when the credentials or base URL are malformed.
 */
export class GraphInstagramClient implements InstagramClient {
  readonly loginType: LoginType;
  readonly accountId: string;
  readonly #transport: GraphTransport;

  constructor(credentials: InstagramCredentials, options: GraphTransportOptions = {}) {
    this.#transport = new GraphTransport(credentials, options);
    this.loginType = credentials.loginType;
    this.accountId = credentials.accountId;
    segment('account id', credentials.accountId);
  }

  /** Never the token: a client printed by accident says which account it is for, nothing more. */
  toJSON(): Record<string, string> {
    return { loginType: this.loginType, accountId: this.accountId, baseUrl: this.#transport.baseUrl };
  }

  toString(): string {
    return `GraphInstagramClient(${this.loginType}:${this.accountId})`;
  }

  private get node(): string {
    return encodeURIComponent(this.accountId);
  }

  async getMe(): Promise<AccountIdentity> {
    if (this.loginType === 'instagram') {
      // `id` is asked for explicitly: it is the app-scoped id, which must not be mistaken for `user_id`.
      const me = await this.#transport.call({
        method: 'GET',
        path: 'me',
        query: { fields: 'id,user_id,username,name' },
        schema: instagramMeSchema,
      });
      return {
        loginType: 'instagram',
        userId: me.user_id,
        appScopedId: me.id,
        username: me.username,
        name: me.name ?? null,
      };
    }
    const page = await this.#transport.call({
      method: 'GET',
      path: 'me',
      query: { fields: 'id,name,instagram_business_account' },
      schema: facebookMeSchema,
    });
    return {
      loginType: 'facebook',
      pageId: page.id,
      pageName: page.name ?? null,
      instagramAccountId: page.instagram_business_account?.id ?? null,
    };
  }

  async debugToken(appAccessToken: string): Promise<TokenDebugInfo> {
    if (this.loginType !== 'facebook')
      throw refuse('debug_token is a Facebook Login call; use getMe() to check an Instagram Login token.');
    if (appAccessToken.length === 0 || isUnsafe(appAccessToken))
      throw refuse('The app access token is empty or contains spaces or line breaks.');
    const { data } = await this.#transport.call({
      method: 'GET',
      path: 'debug_token',
      tokenIn: 'input_token',
      query: { access_token: appAccessToken },
      extraSecrets: [appAccessToken],
      schema: debugTokenSchema,
    });
    const seconds = (value: number | null | undefined): number | null =>
      value === null || value === undefined || value === 0 ? null : value * 1000;
    return {
      isValid: data.is_valid,
      appId: data.app_id ?? null,
      type: data.type ?? null,
      expiresAt: seconds(data.expires_at),
      dataAccessExpiresAt: seconds(data.data_access_expires_at),
      scopes: data.scopes ?? [],
      userId: data.user_id ?? null,
      profileId: data.profile_id ?? null,
      error: data.error ? this.debugError(data.error) : null,
    };
  }

  private debugError(error: {
    code?: number | null | undefined;
    subcode?: number | null | undefined;
    message?: string | null | undefined;
  }): NonNullable<TokenDebugInfo['error']> {
    const code = error.code ?? null;
    const subcode = error.subcode ?? null;
    // The same words as a failed call, so "Test connection" explains both paths alike.
    const verdict = classifyGraphError(400, {
      error: { code: code ?? 190, ...(subcode === null ? {} : { error_subcode: subcode }) },
    });
    return {
      code,
      subcode,
      message: error.message == null ? null : this.#transport.scrub(error.message),
      needsReconnect: verdict.needsReconnect,
      explanation: verdict.explanation,
    };
  }

  async refreshLongLivedToken(): Promise<RefreshedToken> {
    if (this.loginType !== 'instagram')
      throw refuse(
        'Only Instagram Login tokens are refreshed; Facebook Login Page tokens do not expire this way.',
      );
    const answer = await this.#transport.call({
      method: 'GET',
      path: 'refresh_access_token',
      versioned: false,
      // Documented with the token in the query; Bearer is not shown for this endpoint.
      tokenIn: 'access_token',
      query: { grant_type: 'ig_refresh_token' },
      schema: refreshTokenSchema,
    });
    return {
      accessToken: answer.access_token,
      tokenType: answer.token_type ?? 'bearer',
      expiresInSeconds: answer.expires_in,
      expiresAt: this.#transport.now() + answer.expires_in * 1000,
    };
  }

  async sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
    for (const [name, value] of idsOf(input)) segment(name, value);
    const humanAgent = input.kind === 'message' && input.policy === 'HUMAN_AGENT';
    const answer = await this.#transport.call({
      method: 'POST',
      path: `${this.node}/messages`,
      json: buildSendBody(input),
      schema: sendResultSchema,
      explain: (verdict) =>
        humanAgent && verdict.code === 10 && verdict.subcode === null ? EXPLANATIONS.humanAgent : undefined,
    });
    const messageId = answer.message_id ?? undefined;
    if (expectsMessageId(input) && messageId === undefined) {
      throw this.#transport.failure(classifyLocalFailure('invalid_response', 200), {
        method: 'POST',
        endpoint: `/${GRAPH_API_VERSION}/${this.node}/messages`,
        issues: ['message_id: missing'],
      });
    }
    return messageId === undefined
      ? { recipientId: answer.recipient_id }
      : { recipientId: answer.recipient_id, messageId };
  }

  async getUserProfile(
    igsid: string,
    fields: readonly UserProfileField[] = USER_PROFILE_FIELDS,
  ): Promise<UserProfile> {
    const path = segment('customer id (IGSID)', igsid);
    if (fields.length === 0) throw refuse('Ask for at least one profile field.');
    const p = await this.#transport.call({
      method: 'GET',
      path,
      query: { fields: fields.join(',') },
      schema: userProfileSchema,
    });
    const asked = new Set(fields);
    const pick = <T>(field: UserProfileField, value: T | undefined): T | null | undefined =>
      asked.has(field) ? (value ?? null) : undefined;
    const profile: UserProfile = { igsid };
    const entries: Array<[keyof UserProfile, unknown]> = [
      ['name', pick('name', p.name)],
      ['username', pick('username', p.username)],
      ['profilePic', pick('profile_pic', p.profile_pic)],
      ['followerCount', pick('follower_count', p.follower_count)],
      ['isUserFollowBusiness', pick('is_user_follow_business', p.is_user_follow_business)],
      ['isBusinessFollowUser', pick('is_business_follow_user', p.is_business_follow_user)],
      ['isVerifiedUser', pick('is_verified_user', p.is_verified_user)],
    ];
    for (const [key, value] of entries) if (value !== undefined) Object.assign(profile, { [key]: value });
    return profile;
  }

  async listConversations(options: ListConversationsOptions = {}): Promise<ConversationPage> {
    if (options.userId !== undefined) segment('customer id (IGSID)', options.userId);
    const page = await this.#transport.call({
      method: 'GET',
      path: `${this.node}/conversations`,
      query: {
        platform: 'instagram',
        user_id: options.userId,
        fields: options.withParticipants ? 'id,updated_time,participants' : 'id,updated_time',
        after: options.after,
        limit: options.limit === undefined ? undefined : String(options.limit),
      },
      schema: conversationListSchema,
    });
    return {
      conversations: page.data.map((c) => ({
        id: c.id,
        updatedTime: c.updated_time ?? null,
        participants: c.participants
          ? c.participants.data.map((p) => ({ id: p.id, username: p.username ?? null }))
          : null,
      })),
      nextCursor: page.paging?.next ? (page.paging.cursors?.after ?? null) : null,
    };
  }

  async getConversationMessages(conversationId: string): Promise<ConversationMessages> {
    const answer = await this.#transport.call({
      method: 'GET',
      path: segment('conversation id', conversationId),
      query: { fields: 'messages' },
      schema: conversationMessagesSchema,
    });
    return {
      conversationId,
      messages: answer.messages.data.map((m) => ({ id: m.id, createdTime: m.created_time ?? null })),
    };
  }

  async getMessage(mid: string): Promise<MessageDetails> {
    const m = await this.#transport.call({
      method: 'GET',
      path: segment('message id', mid),
      query: { fields: 'id,created_time,from,to,message' },
      schema: messageDetailsSchema,
    });
    return {
      id: m.id,
      createdTime: m.created_time ?? null,
      from: m.from ? { id: m.from.id, username: m.from.username ?? null } : null,
      to: (m.to?.data ?? []).map((p) => ({ id: p.id, username: p.username ?? null })),
      text: m.message ?? '',
    };
  }

  async getSubscribedApps(): Promise<SubscribedApp[]> {
    const answer = await this.#transport.call({
      method: 'GET',
      path: `${this.node}/subscribed_apps`,
      schema: subscribedAppsSchema,
    });
    return answer.data.map((app) => ({
      appId: app.id ?? null,
      name: app.name ?? null,
      subscribedFields: app.subscribed_fields ?? [],
    }));
  }

  async subscribeApp(fields: readonly WebhookField[]): Promise<void> {
    if (fields.length === 0) throw refuse('Name at least one webhook field to subscribe to.');
    const answer = await this.#transport.call({
      method: 'POST',
      path: `${this.node}/subscribed_apps`,
      query: { subscribed_fields: [...new Set(fields)].join(',') },
      schema: successSchema,
    });
    if (answer.success === false || answer.success === 'false') {
      throw this.#transport.failure(
        classifyLocalFailure('invalid_response', 200, 'Meta did not confirm the webhook subscription.'),
        { method: 'POST', endpoint: `/${GRAPH_API_VERSION}/${this.node}/subscribed_apps` },
      );
    }
  }
}

/**
 * A factory that builds `GraphInstagramClient`s sharing one transport
 * configuration (base URL, timeout).
 */
export function createGraphInstagramClientFactory(
  options: GraphTransportOptions = {},
): InstagramClientFactory {
  return (credentials) => new GraphInstagramClient(credentials, options);
}
