import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPLANATIONS,
  GraphInstagramClient,
  type InstagramClient,
  type LoginType,
} from '../../electron/main/core/instagram';
import type { Sandbox } from '../../electron/main/sandbox';
import { DAY, accountFor, expectNoSecrets, graphFailure, sandboxForTest, type TestAccount } from './helpers';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await sandboxForTest();
});
afterEach(async () => {
  await sandbox.dispose();
});

const loginTypes: LoginType[] = ['instagram', 'facebook'];

/** Secrets a test account's errors must never show. */
function secretsOf(account: TestAccount): string[] {
  return [account.created.token, account.created.app.secret];
}

function text(client: InstagramClient, recipientId: string, body = 'Hello') {
  return client.sendMessage({ kind: 'message', recipientId, message: { type: 'text', text: body } });
}

describe.each(loginTypes)('Graph errors from the emulator (%s login)', (loginType) => {
  // Query transport on FB Login, so the token really is in the URL the error describes.
  const setup = (options: { scopes?: string[]; humanAgentEnabled?: boolean } = {}) => {
    const account = accountFor(sandbox, loginType, { facebookTokenIn: 'query', appSecret: true, ...options });
    const customer = sandbox.createCustomer(account.created.account.id, { lastInboundSecondsAgo: 60 });
    return { ...account, igsid: customer.igsid };
  };
  const expectedType = loginType === 'instagram' ? 'IGApiException' : 'OAuthException';

  it('expired token → 190/463, needs reconnect, not retryable, plain-words explanation', async () => {
    const account = setup();
    sandbox.updateToken(account.created.token, { expire: true });
    const error = await graphFailure(account.client.getMe());
    expect(error).toMatchObject({
      kind: 'graph',
      code: 190,
      subcode: 463,
      httpStatus: 400,
      type: expectedType,
      retryable: false,
      needsReconnect: true,
      outsideWindow: false,
      explanation: EXPLANATIONS.tokenExpired,
    });
    expect(error.fbtraceId).toEqual(expect.any(String));
    expectNoSecrets(error, secretsOf(account));
  });

  it.each([458, 460])('revoked token (subcode %i) → needs reconnect', async (subcode) => {
    const account = setup();
    sandbox.updateToken(account.created.token, { revokeSubcode: subcode });
    const error = await graphFailure(text(account.client, account.igsid));
    expect(error).toMatchObject({ code: 190, subcode, needsReconnect: true, retryable: false });
    expectNoSecrets(error, secretsOf(account));
  });

  it('unknown token → 190/467 needs reconnect', async () => {
    const account = setup();
    const stranger = new GraphInstagramClient(
      { loginType, accountId: account.nodeId, accessToken: `${account.created.token}x` },
      { baseUrl: sandbox.url, facebookTokenIn: 'query' },
    );
    const error = await graphFailure(stranger.getSubscribedApps());
    expect(error).toMatchObject({ code: 190, subcode: 467, needsReconnect: true });
    expect(error.explanation).toBe(EXPLANATIONS.tokenInvalid);
    expectNoSecrets(error, [`${account.created.token}x`]);
  });

  it('missing messaging permission → 10, not retryable, no reconnect flag', async () => {
    const basic = loginType === 'instagram' ? 'instagram_business_basic' : 'instagram_basic';
    const account = setup({ scopes: [basic] });
    const error = await graphFailure(text(account.client, account.igsid));
    expect(error).toMatchObject({
      kind: 'graph',
      code: 10,
      subcode: null,
      httpStatus: 403,
      retryable: false,
      needsReconnect: false,
      outsideWindow: false,
      explanation: EXPLANATIONS.permission,
    });
  });

  it('text over 1,000 bytes → 100 invalid parameter, not retryable', async () => {
    const account = setup();
    const error = await graphFailure(text(account.client, account.igsid, 'é'.repeat(501)));
    expect(error).toMatchObject({ kind: 'graph', code: 100, retryable: false, needsReconnect: false });
    expect(error.metaMessage).toContain('1000 bytes');
  });

  it('unavailable person → 551/1545041 with the "not receiving messages" explanation', async () => {
    const account = setup();
    const blocked = sandbox.createCustomer(account.created.account.id, {
      unavailable: true,
      lastInboundSecondsAgo: 60,
    });
    const error = await graphFailure(text(account.client, blocked.igsid));
    expect(error).toMatchObject({
      code: 551,
      subcode: 1545041,
      retryable: false,
      explanation: EXPLANATIONS.userUnavailable,
    });
  });

  it('outside the 24-hour window → outsideWindow with the setup-specific subcode', async () => {
    const account = setup();
    sandbox.clock.advance(DAY + 60_000);
    const error = await graphFailure(text(account.client, account.igsid));
    expect(error).toMatchObject({
      code: 10,
      subcode: loginType === 'instagram' ? 2534022 : 2018278,
      outsideWindow: true,
      retryable: false,
      needsReconnect: false,
      explanation: EXPLANATIONS.outsideWindow,
    });
  });

  it('HUMAN_AGENT without the feature → 10 explained as a Human Agent refusal', async () => {
    const account = setup({ humanAgentEnabled: false });
    const error = await graphFailure(
      account.client.sendMessage({
        kind: 'message',
        recipientId: account.igsid,
        message: { type: 'text', text: 'Hi' },
        policy: 'HUMAN_AGENT',
      }),
    );
    expect(error).toMatchObject({ code: 10, outsideWindow: false, explanation: EXPLANATIONS.humanAgent });
  });

  it('per-second limit → 613 retryable and rateLimited', async () => {
    const account = setup();
    sandbox.setRateLimits(account.created.account.id, { perSecond: 1 });
    await text(account.client, account.igsid);
    const error = await graphFailure(text(account.client, account.igsid));
    expect(error).toMatchObject({ code: 613, retryable: true, rateLimited: true, isTransient: true });
  });

  it('per-hour limit → 4 retryable and rateLimited', async () => {
    const account = setup();
    sandbox.setRateLimits(account.created.account.id, { perSecond: null, perHour: 1 });
    await text(account.client, account.igsid);
    const error = await graphFailure(text(account.client, account.igsid));
    expect(error).toMatchObject({ code: 4, retryable: true, rateLimited: true });
  });

  it('a 503 service fault → graph error code 2, retryable', async () => {
    const account = setup();
    sandbox.injectFault(account.created.account.id, { kind: 'status', status: 503 });
    const error = await graphFailure(account.client.listConversations());
    expect(error).toMatchObject({ kind: 'graph', code: 2, httpStatus: 503, retryable: true });
    expect(error.explanation).toBe(EXPLANATIONS.metaTemporary);
  });

  it('an injected 17 (user rate limit) and 32 (page throttling) are retryable', async () => {
    const account = setup();
    sandbox.injectFault(account.created.account.id, { kind: 'error', code: 17 });
    sandbox.injectFault(account.created.account.id, { kind: 'error', code: 32 });
    expect(await graphFailure(account.client.getSubscribedApps())).toMatchObject({
      code: 17,
      retryable: true,
    });
    expect(await graphFailure(account.client.getSubscribedApps())).toMatchObject({
      code: 32,
      retryable: true,
    });
  });

  it('profile without consent → 230, not retryable', async () => {
    const account = setup();
    const stranger = sandbox.createCustomer(account.created.account.id);
    const error = await graphFailure(account.client.getUserProfile(stranger.igsid));
    expect(error).toMatchObject({ code: 230, retryable: false, explanation: EXPLANATIONS.consent });
  });

  it("another account's id in the path → 100/33 GraphMethodException", async () => {
    const account = setup();
    const other = accountFor(sandbox, loginType);
    const wrong = new GraphInstagramClient(
      { loginType, accountId: other.nodeId, accessToken: account.created.token },
      { baseUrl: sandbox.url },
    );
    const error = await graphFailure(wrong.getSubscribedApps());
    expect(error).toMatchObject({
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      explanation: EXPLANATIONS.notFound,
    });
  });

  it('a second private reply to one comment → 200, not retryable', async () => {
    const account = setup();
    const comment = sandbox.customerEvent(account.created.account.id, account.igsid, {
      type: 'comment',
      text: 'Price?',
    });
    const reply = () =>
      account.client.sendMessage({
        kind: 'private_reply',
        commentId: comment.commentId!,
        message: { type: 'text', text: 'DM sent' },
      });
    await reply();
    const error = await graphFailure(reply());
    expect(error).toMatchObject({ code: 200, retryable: false, explanation: EXPLANATIONS.permission2xx });
  });
});

describe('debug_token with the app token in the URL', () => {
  it('keeps both the Page token and the app token out of the error', async () => {
    const account = accountFor(sandbox, 'facebook');
    const appToken = `${account.created.app.id}|${account.created.app.secret}`;
    // A wrong app token makes debug_token itself fail (190), with both tokens in the query.
    const error = await graphFailure(account.client.debugToken(`${appToken}0`));
    expect(error).toMatchObject({ kind: 'graph', code: 190 });
    expect(error.endpoint).toContain('access_token=[redacted]');
    expect(error.endpoint).toContain('input_token=[redacted]');
    expectNoSecrets(error, [account.created.token, account.created.app.secret, `${appToken}0`]);
  });
});
