/**
 * `/me`, `/debug_token` and `/refresh_access_token`: who the token belongs to and how long it lasts.
 */
import { graphErrors } from './errors';
import { checkToken, requireScope, SCOPES, tokenFromHeaders } from './graph-auth';
import { pickFields } from './graph-fields';
import { DAY, type GraphAuth, type GraphHandler } from './graph-types';

export const me: GraphHandler = {
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

export const debugToken: GraphHandler = {
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

export const refreshAccessToken: GraphHandler = {
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
