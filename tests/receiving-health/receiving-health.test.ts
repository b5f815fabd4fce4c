/**
 * Subscription health, gap recovery and the diagnostics methods, against the sandbox (Meta) and a real core,
 * deliveries over real HTTP with real signatures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivingHealth, Result, SecurityEntryView, WebhookDeliveryView } from '../../shared/contract';
import { WANTED_FIELDS } from '../../electron/main/core/receiving-health';
import { startWebhookWorld, type ConnectedAccount, type WebhookWorld } from '../webhooks/support';

let world: WebhookWorld;

beforeAll(async () => {
  world = await startWebhookWorld();
});
afterAll(async () => {
  await world?.dispose();
});

async function call<T>(method: string, input: unknown): Promise<T> {
  const result: Result<unknown> = await world.harness.core.dispatch(method, input, {
    transport: 'in-process',
  });
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** Changes the account's subscription on Meta's side (as Meta does after an hour of failed deliveries). */
async function setMetaSubscription(account: ConnectedAccount, fields: string[]): Promise<void> {
  const response = await fetch(`${world.sandbox.url}/__sandbox/accounts/${account.instagramAccountId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subscribedFields: fields }),
  });
  expect(response.status).toBe(200);
}

async function texts(account: ConnectedAccount): Promise<string[]> {
  const repos = world.repos();
  const conversations = await repos.conversations.listInbox({ accountIds: [account.view.id] });
  const out: string[] = [];
  for (const conversation of conversations)
    for (const message of await repos.conversations.listThread(conversation.id)) out.push(message.text ?? '');
  return out.sort();
}

describe('subscription health', () => {
  it('re-subscribes when Meta dropped the subscription, and stores what it found', async () => {
    const account = await world.addAccount();
    const first = await call<{ accounts: ReceivingHealth[] }>('diagnostics.checkSubscriptions', {
      accountId: account.view.id,
    });
    // Subscribed, but not to every field Switchboard reads: reported, not forced.
    expect(first.accounts[0]?.subscription).toMatchObject({ state: 'ok' });
    expect(first.accounts[0]?.subscription.message).toContain('messaging_referral');

    await setMetaSubscription(account, []);
    const second = await call<{ accounts: ReceivingHealth[] }>('diagnostics.checkSubscriptions', {
      accountId: account.view.id,
    });
    expect(second.accounts[0]?.subscription.state).toBe('resubscribed');
    expect(second.accounts[0]?.subscription.fields).toEqual([...WANTED_FIELDS].sort());

    // Kept: the health method shows the last check without calling Meta.
    const { accounts } = await call<{ accounts: ReceivingHealth[] }>('diagnostics.health', {});
    const stored = accounts.find((health) => health.accountId === account.view.id);
    expect(stored?.subscription.state).toBe('resubscribed');
    expect(stored?.subscription.checkedAt).not.toBeNull();

    // And webhooks flow again: a message is delivered and recorded as the last webhook.
    world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'back online');
    await world.settle();
    expect(await texts(account)).toEqual(['back online']);
    const after = await call<{ accounts: ReceivingHealth[] }>('diagnostics.health', {});
    expect(after.accounts.find((h) => h.accountId === account.view.id)?.lastWebhookAt).not.toBeNull();
  });

  it('reports a Graph failure as an error state instead of throwing', async () => {
    const account = await world.addAccount();
    world.sandbox.injectFault(account.instagramAccountId, { kind: 'error', code: 190, subcode: 463 }, null);
    try {
      const { accounts } = await call<{ accounts: ReceivingHealth[] }>('diagnostics.checkSubscriptions', {
        accountId: account.view.id,
      });
      expect(accounts[0]?.subscription.state).toBe('error');
      expect(accounts[0]?.subscription.message).toMatch(/^Checking the webhook subscription failed: /);
    } finally {
      world.sandbox.clearFaults(account.instagramAccountId);
    }
  });
});

describe('gap recovery', () => {
  it('brings in messages sent while the callback was unreachable, once', async () => {
    const account = await world.addAccount();
    world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'while online');
    await world.settle();
    expect(await texts(account)).toEqual(['while online']);

    // The workstation is off: Meta's deliveries fail and are given up (no retries in this world).
    const callbackUrl = account.view.callbackUrl;
    world.sandbox.updateApp(account.appId, { callbackUrl: 'http://127.0.0.1:9/webhooks/instagram/off' });
    for (const text of ['sent while off 1', 'sent while off 2', 'sent while off 3'])
      world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, text);
    await world.settle();
    expect(await texts(account)).toEqual(['while online']);
    world.sandbox.updateApp(account.appId, { callbackUrl });

    const recovered = await call<ReceivingHealth>('diagnostics.recoverGaps', { accountId: account.view.id });
    expect(recovered.recovery.messagesAdded).toBe(3);
    expect(await texts(account)).toEqual([
      'sent while off 1',
      'sent while off 2',
      'sent while off 3',
      'while online',
    ]);
    const repos = world.repos();
    const [conversation] = await repos.conversations.listInbox({ accountIds: [account.view.id] });
    expect(conversation?.messageCount).toBe(4);
    expect(conversation?.unreadCount).toBe(4);

    // Again: every message id is already stored, nothing changes.
    const again = await call<ReceivingHealth>('diagnostics.recoverGaps', { accountId: account.view.id });
    expect(again.recovery.messagesAdded).toBe(0);
    expect(await texts(account)).toHaveLength(4);
    const [same] = await repos.conversations.listInbox({ accountIds: [account.view.id] });
    expect(same?.messageCount).toBe(4);
  });

  it('runs at start for every active account (the app may have been off)', async () => {
    const account = await world.addAccount();
    world.sandbox.updateApp(account.appId, { callbackUrl: 'http://127.0.0.1:9/webhooks/instagram/off' });
    world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'missed at night');
    await world.settle();
    world.sandbox.updateApp(account.appId, { callbackUrl: account.view.callbackUrl });

    await world.harness.core.receivingHealth.runOnce(true);
    expect(await texts(account)).toEqual(['missed at night']);
    const { accounts } = await call<{ accounts: ReceivingHealth[] }>('diagnostics.health', {});
    const health = accounts.find((h) => h.accountId === account.view.id);
    expect(health?.subscription.state).not.toBe('unchecked');
    expect(health?.recovery.lastRunAt).not.toBeNull();
  });
});

describe('diagnostics', () => {
  it('lists deliveries with size, signature and events, and replays one without duplicating', async () => {
    const account = await world.addAccount();
    world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'hello');
    await world.settle();
    const { deliveries } = await call<{ deliveries: WebhookDeliveryView[] }>('diagnostics.listDeliveries', {
      accountId: account.view.id,
    });
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    const stored = await world.repos().webhookEvents.get(delivery!.id);
    expect(delivery).toMatchObject({
      accountId: account.view.id,
      signatureValid: true,
      events: 1,
      state: 'processed',
      error: null,
      bytes: Buffer.byteLength(stored!.rawBody, 'utf8'),
    });

    const replayed = await call<WebhookDeliveryView>('diagnostics.replayDelivery', { id: delivery!.id });
    expect(replayed.state).toBe('received');
    await world.settle();
    expect((await world.repos().webhookEvents.get(delivery!.id))?.state).toBe('processed');
    expect(await texts(account)).toEqual(['hello']);
  });

  it('lists what was not understood, and the refused requests', async () => {
    const account = await world.addAccount();
    const odd = JSON.stringify({
      object: 'instagram',
      entry: [{ id: account.instagramAccountId, time: 1, messaging: [{ something_new: { x: 1 } }] }],
    });
    expect((await world.postSigned(account.path, odd, account.appSecret)).status).toBe(200);
    expect((await world.postSigned(account.path, odd, 'not-the-secret-at-all')).status).toBe(403);
    await world.settle();

    const { deliveries } = await call<{ deliveries: WebhookDeliveryView[] }>(
      'diagnostics.listNotUnderstood',
      {
        accountId: account.view.id,
      },
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.state).toBe('ignored');
    expect(deliveries[0]?.error).toMatch(/^Not understood: /);

    // The security log is written in the background (coalesced); wait until the refusal is there.
    let entries: SecurityEntryView[] = [];
    const deadline = Date.now() + 10_000;
    while (entries.length === 0 && Date.now() < deadline) {
      ({ entries } = await call<{ entries: SecurityEntryView[] }>('diagnostics.listSecurityLog', {
        accountId: account.view.id,
      }));
      if (entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(entries[0]).toMatchObject({ reason: 'signature_invalid', httpStatus: 403, method: 'POST' });
  });
});
