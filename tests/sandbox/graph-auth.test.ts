import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox';
import { DAY, errorOf, graph, HOUR, sandboxForTest } from './helpers';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await sandboxForTest();
});
afterEach(async () => {
  await sandbox.dispose();
});

describe('tokens (190)', () => {
  it('rejects a call without a token with 190 in the IG or FB shape', async () => {
    const ig = await graph(sandbox, '/v25.0/me/messages', {
      json: {},
      contentType: 'application/json',
      bearer: '',
    });
    expect(ig.status).toBe(400);
    expect(errorOf(ig).code).toBe(190);
    const fb = await graph(sandbox, '/v25.0/me/messages', { json: {} });
    expect(errorOf(fb)).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(typeof errorOf(fb).fbtrace_id).toBe('string');
  });

  it('rejects an unknown token with 190/467, IGApiException for IG-looking tokens', async () => {
    const response = await graph(sandbox, '/v25.0/me', { bearer: 'IGAAnot-a-real-token' });
    expect(errorOf(response)).toMatchObject({ code: 190, error_subcode: 467, type: 'IGApiException' });
  });

  it('rejects an expired token with 190/463 once 60 days have passed', async () => {
    const { token } = sandbox.createAccount({ loginType: 'instagram' });
    expect((await graph(sandbox, '/v25.0/me', { bearer: token })).status).toBe(200);
    sandbox.clock.advance(60 * DAY + 1000);
    const response = await graph(sandbox, '/v25.0/me', { bearer: token });
    expect(errorOf(response)).toMatchObject({ code: 190, error_subcode: 463, type: 'IGApiException' });
  });

  it('answers a revoked token with the given subcode (460: password changed)', async () => {
    const { token } = sandbox.createAccount({ loginType: 'facebook' });
    sandbox.updateToken(token, { revokeSubcode: 460 });
    const response = await graph(sandbox, '/v25.0/me', { query: { access_token: token } });
    expect(errorOf(response)).toMatchObject({ code: 190, error_subcode: 460, type: 'OAuthException' });
  });
});

describe('/me', () => {
  it('IG Login: id is app-scoped and differs from user_id, the professional account id', async () => {
    const { token, account } = sandbox.createAccount({ loginType: 'instagram', username: 'acme.shop' });
    const response = await graph(sandbox, '/v25.0/me', {
      bearer: token,
      query: { fields: 'id,user_id,username' },
    });
    expect(response.body).toEqual({ id: account.appScopedId, user_id: account.id, username: 'acme.shop' });
    expect(response.body.id).not.toBe(response.body.user_id);
  });

  it('FB Login: /me is the Page and exposes the linked IG account', async () => {
    const { token, account } = sandbox.createAccount({ loginType: 'facebook' });
    const response = await graph(sandbox, '/v25.0/me', {
      query: { access_token: token, fields: 'id,instagram_business_account' },
    });
    expect(response.body).toEqual({ id: account.pageId, instagram_business_account: { id: account.id } });
  });

  it('rejects an unknown field with 100', async () => {
    const { token } = sandbox.createAccount({ loginType: 'instagram' });
    const response = await graph(sandbox, '/v25.0/me', { bearer: token, query: { fields: 'id,shoe_size' } });
    expect(errorOf(response).code).toBe(100);
  });

  it('answers 10 when the token lacks the basic scope', async () => {
    const { token } = sandbox.createAccount({
      loginType: 'instagram',
      scopes: ['instagram_business_manage_messages'],
    });
    const response = await graph(sandbox, '/v25.0/me', { bearer: token });
    expect(errorOf(response).code).toBe(10);
    expect(response.status).toBe(403);
  });
});

describe('debug_token', () => {
  it('describes a token when asked with the app token', async () => {
    const { token, app, account } = sandbox.createAccount({ loginType: 'facebook' });
    const response = await graph(sandbox, '/v25.0/debug_token', {
      query: { input_token: token, access_token: `${app.id}|${app.secret}` },
    });
    const data = response.body.data as Record<string, unknown>;
    expect(data).toMatchObject({
      app_id: app.id,
      type: 'PAGE',
      is_valid: true,
      expires_at: 0,
      profile_id: account.pageId,
    });
    expect(data.scopes).toContain('instagram_manage_messages');
  });

  it('reports an expired input token as invalid, and a wrong app secret as 190', async () => {
    const { token, app } = sandbox.createAccount({ loginType: 'instagram' });
    sandbox.updateToken(token, { expire: true });
    const response = await graph(sandbox, '/debug_token', {
      query: { input_token: token, access_token: `${app.id}|${app.secret}` },
    });
    expect((response.body.data as Record<string, unknown>).is_valid).toBe(false);
    const wrong = await graph(sandbox, '/debug_token', {
      query: { input_token: token, access_token: `${app.id}|nope` },
    });
    expect(errorOf(wrong).code).toBe(190);
  });
});

describe('refresh_access_token', () => {
  it('refuses a token younger than 24 hours', async () => {
    const { token } = sandbox.createAccount({ loginType: 'instagram' });
    sandbox.clock.advance(23 * HOUR);
    const response = await graph(sandbox, '/refresh_access_token', {
      query: { grant_type: 'ig_refresh_token', access_token: token },
    });
    expect(errorOf(response)).toMatchObject({ code: 100, type: 'IGApiException' });
  });

  it('refreshes a token at least 24 h old: a new token valid 60 days from now', async () => {
    const { token } = sandbox.createAccount({ loginType: 'instagram' });
    sandbox.clock.advance(50 * DAY);
    const response = await graph(sandbox, '/v25.0/refresh_access_token', {
      query: { grant_type: 'ig_refresh_token', access_token: token },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'bearer', expires_in: 60 * 24 * 60 * 60 });
    const fresh = response.body.access_token as string;
    sandbox.clock.advance(30 * DAY); // the old token has expired by now, the fresh one has not
    expect(errorOf(await graph(sandbox, '/v25.0/me', { bearer: token })).error_subcode).toBe(463);
    expect((await graph(sandbox, '/v25.0/me', { bearer: fresh })).status).toBe(200);
  });

  it('refuses an expired token (190) and a wrong grant_type (100)', async () => {
    const { token } = sandbox.createAccount({ loginType: 'instagram', tokenAgeSeconds: 2 * 24 * 3600 });
    const wrongGrant = await graph(sandbox, '/refresh_access_token', {
      query: { grant_type: 'refresh', access_token: token },
    });
    expect(errorOf(wrongGrant).code).toBe(100);
    sandbox.clock.advance(61 * DAY);
    const expired = await graph(sandbox, '/refresh_access_token', {
      query: { grant_type: 'ig_refresh_token', access_token: token },
    });
    expect(errorOf(expired)).toMatchObject({ code: 190, error_subcode: 463 });
  });
});

describe('subscribed_apps', () => {
  it('subscribes fields, lists them, and rejects unknown fields', async () => {
    const { token, account, app } = sandbox.createAccount({ loginType: 'instagram' });
    expect((await graph(sandbox, `/v25.0/${account.id}/subscribed_apps`, { bearer: token })).body).toEqual({
      data: [],
    });
    const post = await graph(sandbox, `/v25.0/${account.id}/subscribed_apps`, {
      method: 'POST',
      bearer: token,
      query: { subscribed_fields: 'messages,comments' },
    });
    expect(post.body).toEqual({ success: true });
    const list = await graph(sandbox, '/v25.0/me/subscribed_apps', { bearer: token });
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: app.id, subscribed_fields: ['messages', 'comments'] }),
    ]);
    const bad = await graph(sandbox, '/v25.0/me/subscribed_apps', {
      method: 'POST',
      bearer: token,
      query: { subscribed_fields: 'messages,feed' },
    });
    expect(errorOf(bad).code).toBe(100);
    const missing = await graph(sandbox, '/v25.0/me/subscribed_apps', { method: 'POST', bearer: token });
    expect(errorOf(missing).code).toBe(100);
  });

  it('FB Login needs pages_manage_metadata (200)', async () => {
    const { token } = sandbox.createAccount({
      loginType: 'facebook',
      scopes: ['instagram_basic', 'instagram_manage_messages'],
    });
    const response = await graph(sandbox, '/v25.0/me/subscribed_apps', {
      method: 'POST',
      query: { access_token: token, subscribed_fields: 'messages' },
    });
    expect(errorOf(response)).toMatchObject({ code: 200, type: 'OAuthException' });
  });
});

describe('paths', () => {
  it("answers 100/33 for a node that is not the token's account", async () => {
    const { token } = sandbox.createAccount({ loginType: 'instagram' });
    const other = sandbox.createAccount({ loginType: 'instagram' });
    const response = await graph(sandbox, `/v25.0/${other.account.id}/messages`, {
      bearer: token,
      json: { recipient: { id: '1' }, message: { text: 'x' } },
    });
    expect(errorOf(response)).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
  });

  it('FB Login uses the Page id in paths, not the IG id', async () => {
    const { token, account } = sandbox.createAccount({ loginType: 'facebook' });
    const customer = sandbox.createCustomer(account.id, { lastInboundSecondsAgo: 60 });
    const body = { recipient: { id: customer.igsid }, message: { text: 'hi' } };
    expect(
      (
        await graph(sandbox, `/v25.0/${account.pageId}/messages`, {
          query: { access_token: token },
          json: body,
        })
      ).status,
    ).toBe(200);
    expect(
      errorOf(
        await graph(sandbox, `/v25.0/${account.id}/messages`, { query: { access_token: token }, json: body }),
      ).error_subcode,
    ).toBe(33);
  });
});
