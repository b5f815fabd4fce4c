/**
 * What the receiver refuses, with which status, and the proof that refusals never reach `webhook_events`
 * or ingest, and are logged per account without their body.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../electron/main/sandbox';
import { startCoreUnderTest } from '../support/core-harness';
import { body, customerItem } from '../receiving/support';
import { rawRequest, startWebhookWorld, type ConnectedAccount, type WebhookWorld } from './support';

const MARKER = 'secret-body-marker-do-not-log';

let world: WebhookWorld;
beforeAll(async () => {
  world = await startWebhookWorld();
});
afterAll(async () => {
  await world?.dispose();
});

function deliveryFor(account: ConnectedAccount): string {
  return body([
    customerItem(account.instagramAccountId, account.customerIgsid, Date.now(), {
      type: 'text',
      text: MARKER,
    }),
  ]);
}

async function securityLog(accountId: string | undefined, instagramAccountId?: string) {
  await world.harness.core.webhookReceiver.settle();
  return world.repos().webhookSecurity.list({
    ...(accountId ? { accountId } : {}),
    ...(instagramAccountId ? { instagramAccountId } : {}),
  });
}

describe('refused deliveries', () => {
  it('refuses unsigned, wrongly signed, foreign, re-serialised and SHA-1-only deliveries; none is stored or ingested', async () => {
    const account = await world.addAccount();
    const other = await world.addAccount();
    const raw = deliveryFor(account);
    const reserialised = JSON.stringify(JSON.parse(raw) as unknown);
    // The test is only meaningful if re-serialising changes the bytes (Meta's escapes are lost).
    const escaped = body([
      customerItem(account.instagramAccountId, account.customerIgsid, Date.now(), {
        type: 'text',
        text: `${MARKER} ü 👋`,
      }),
    ]);
    const escapedReserialised = JSON.stringify(JSON.parse(escaped) as unknown);
    expect(escapedReserialised).not.toBe(escaped);
    const sha1 = `sha1=${createHmac('sha1', account.appSecret).update(raw).digest('hex')}`;
    const json = { 'content-type': 'application/json' };
    const before = (await world.deliveries()).length;

    const cases: [string, Promise<{ status: number }>, number, string][] = [
      ['unsigned', world.send('POST', account.path, raw, json), 401, 'signature_missing'],
      [
        'SHA-1 only',
        world.send('POST', account.path, raw, { ...json, 'x-hub-signature': sha1 }),
        401,
        'signature_sha1_only',
      ],
      [
        'random signature',
        world.send('POST', account.path, raw, {
          ...json,
          'x-hub-signature-256': `sha256=${randomBytes(32).toString('hex')}`,
        }),
        403,
        'signature_invalid',
      ],
      [
        'malformed signature',
        world.send('POST', account.path, raw, { ...json, 'x-hub-signature-256': 'sha256=xyz' }),
        403,
        'signature_malformed',
      ],
      [
        'signed by another account',
        world.postSigned(account.path, raw, other.appSecret),
        403,
        'signature_invalid',
      ],
      [
        'signature over re-serialised JSON',
        world.send('POST', account.path, escaped, {
          ...json,
          ...signWebhookBody(escapedReserialised, account.appSecret),
        }),
        403,
        'signature_invalid',
      ],
      [
        'signature over other bytes',
        world.send('POST', account.path, reserialised + ' ', {
          ...json,
          ...signWebhookBody(raw, account.appSecret),
        }),
        403,
        'signature_invalid',
      ],
    ];
    for (const [label, answer, status] of cases) expect((await answer).status, label).toBe(status);

    await world.settle();
    expect((await world.deliveries()).length).toBe(before);
    expect(
      await world.repos().conversations.findConversation(account.view.id, account.customerIgsid),
    ).toBeNull();

    const entries = await securityLog(account.view.id);
    expect(new Set(entries.map((e) => e.reason))).toEqual(new Set(cases.map((c) => c[3])));
    for (const entry of entries) {
      expect(entry.instagramAccountId).toBe(account.instagramAccountId);
      expect(entry.method).toBe('POST');
      expect(entry.bodyBytes).toBeGreaterThan(0);
    }
    const text = JSON.stringify(entries);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain(account.appSecret);
    expect(text).not.toContain('sha256=');
  });

  it('answers 404 for an unknown account and 403 for an inactive, suspended or archived one', async () => {
    const unknown = await world.send('POST', '/webhooks/instagram/17841499999999999', '{}', {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    });
    expect(unknown.status).toBe(404);
    expect(await securityLog(undefined, '17841499999999999')).toEqual([
      expect.objectContaining({ accountId: null, reason: 'unknown_account', httpStatus: 404 }),
    ]);

    for (const status of ['inactive', 'suspended', 'archived'] as const) {
      const account = await world.addAccount();
      const result = await world.harness.core.dispatch(
        'accounts.setStatus',
        { id: account.view.id, status },
        { transport: 'in-process' },
      );
      expect(result.ok).toBe(true);
      // Correctly signed, so only the status can be the reason.
      expect(
        (await world.postSigned(account.path, deliveryFor(account), account.appSecret)).status,
        status,
      ).toBe(403);
      await world.settle();
      expect(
        await world.repos().conversations.findConversation(account.view.id, account.customerIgsid),
      ).toBeNull();
      expect((await securityLog(account.view.id)).map((e) => e.reason)).toEqual([`account_${status}`]);
    }
  });

  it('answers 413 above the size limit (declared or chunked) and 415 for other content types', async () => {
    const account = await world.addAccount();
    const huge = Buffer.alloc(8 * 1024 * 1024 + 1, 0x20);
    const signature = { 'x-hub-signature-256': `sha256=${'a'.repeat(64)}` };
    const declared = await world.send('POST', account.path, huge, {
      'content-type': 'application/json',
      ...signature,
    });
    expect(declared.status).toBe(413);
    const chunked = await world.send('POST', account.path, huge, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      ...signature,
    });
    expect(chunked.status).toBe(413);
    const raw = deliveryFor(account);
    const signed = signWebhookBody(raw, account.appSecret);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', undefined]) {
      const headers: Record<string, string> = { ...signed, ...(type ? { 'content-type': type } : {}) };
      expect((await world.send('POST', account.path, raw, headers)).status, String(type)).toBe(415);
    }
    expect(
      (
        await world.send('POST', account.path, raw, {
          ...signed,
          'content-type': 'application/json; charset=utf-8',
        })
      ).status,
    ).toBe(200);
    const reasons = (await securityLog(account.view.id)).map((e) => e.reason);
    expect(new Set(reasons)).toEqual(new Set(['body_too_large', 'content_type']));
  });

  it('coalesces repeated refusals into one row with a count', async () => {
    const account = await world.addAccount();
    for (let i = 0; i < 25; i++) {
      expect(
        (await world.send('POST', account.path, '{}', { 'content-type': 'application/json' })).status,
      ).toBe(401);
    }
    expect(await securityLog(account.view.id)).toEqual([
      expect.objectContaining({ reason: 'signature_missing', httpStatus: 401, occurrences: 25 }),
    ]);
  });

  it('answers a bare 404 to anything else on the port', async () => {
    const account = await world.addAccount();
    const probes: [string, string][] = [
      ['GET', '/'],
      ['GET', '/api/call/app.getInfo'],
      ['POST', '/api/call/accounts.list'],
      ['PUT', account.path],
      ['DELETE', account.path],
      ['POST', '/webhooks/instagram/not-a-number'],
      ['POST', `${account.path}/extra`],
      ['GET', '/webhooks/instagram/'],
      ['GET', '/webhooks/facebook/1'],
    ];
    for (const [method, path] of probes) {
      const answer = await world.send(method, path, method === 'GET' ? undefined : '{}');
      expect([method, path, answer.status, answer.body]).toEqual([method, path, 404, 'Not found']);
    }
  });
});

describe('nothing stored means no 200', () => {
  it('answers 503 while the database cannot be used, and 503 again when it goes away after the account was cached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-notadb-'));
    const file = join(dir, 'switchboard.db');
    writeFileSync(file, 'not a database: a text file someone saved here by mistake, long enough to be read');
    const broken = await startCoreUnderTest({ config: { databaseUrl: `sqlite:${file}` } });
    try {
      const answer = await rawRequest(
        broken.core.webhookServer.origin,
        'POST',
        '/webhooks/instagram/17841400000000001',
        '{}',
        {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
        },
      );
      expect(answer.status).toBe(503);
    } finally {
      await broken.dispose();
      rmSync(dir, { recursive: true, force: true });
    }

    // On the main thread, whose connection this test can take away (the receiver thread has its own).
    const local = await startWebhookWorld({ receiverThread: false });
    try {
      const account = await local.addAccount();
      const raw = deliveryFor(account);
      expect((await local.postSigned(account.path, raw, account.appSecret)).status).toBe(200);
      await local.harness.core.database.dispose();
      expect((await local.postSigned(account.path, raw, account.appSecret)).status).toBe(503);
    } finally {
      await local.dispose();
    }
  });

  it('answers 503 while the encryption key is not available', async () => {
    const local = await startWebhookWorld({
      config: { keyFile: join(tmpdir(), `missing-${randomBytes(6).toString('hex')}.key`) },
    });
    try {
      expect(local.harness.core.keys.getStatus().state).not.toBe('ready');
      const answer = await local.send('POST', '/webhooks/instagram/17841400000000002', '{}', {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      });
      expect(answer.status).toBe(503);
    } finally {
      await local.dispose();
    }
  });
});
