import { describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';
import { igId, newAccount } from './fixtures';

forEachDialect('webhook events, outbox, audit and settings repositories', (db) => {
  describe('webhook events', () => {
    it('stores a delivery as received and walks it through processing', async () => {
      const { webhookEvents, accounts } = db().repos;
      const account = await accounts.create(newAccount());
      const body = JSON.stringify({
        object: 'instagram',
        entry: [
          {
            id: account.instagramAccountId,
            time: 1_762_010_783_728,
            messaging: [{ message: { text: 'Grüße 🌍' } }],
          },
        ],
      });
      const receivedAt = new Date('2026-02-02T02:02:02.202Z');
      const id = await webhookEvents.record({
        accountId: account.id,
        rawBody: body,
        headers: { 'x-hub-signature-256': 'sha256=abc' },
        signatureValid: true,
        receivedAt,
      });
      const stored = await webhookEvents.get(id);
      expect(stored).toMatchObject({
        accountId: account.id,
        rawBody: body,
        headers: { 'x-hub-signature-256': 'sha256=abc' },
        signatureValid: true,
        state: 'received',
        attempts: 0,
      });
      expect(stored!.receivedAt.toISOString()).toBe('2026-02-02T02:02:02.202Z');
      expect((await webhookEvents.listPending(10_000)).map((e) => e.id)).toContain(id);

      await webhookEvents.markProcessing(id);
      await webhookEvents.markFailed(id, 'parser: unknown field');
      expect(await webhookEvents.get(id)).toMatchObject({
        state: 'failed',
        attempts: 1,
        error: 'parser: unknown field',
      });
      await webhookEvents.markProcessing(id);
      await webhookEvents.markProcessed(id, new Date('2026-02-02T02:02:03.000Z'));
      const done = await webhookEvents.get(id);
      expect(done).toMatchObject({ state: 'processed', attempts: 2, error: null });
      expect((await webhookEvents.listPending(10_000)).map((e) => e.id)).not.toContain(id);
    });

    it('keeps deliveries for unknown accounts and rejects bad headers', async () => {
      const { webhookEvents } = db().repos;
      const id = await webhookEvents.record({
        accountId: null,
        rawBody: '{}',
        headers: {},
        signatureValid: false,
      });
      expect(await webhookEvents.get(id)).toMatchObject({ accountId: null, signatureValid: false });
      await expect(
        webhookEvents.record({ rawBody: '{}', headers: { a: 1 } as never, signatureValid: true }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
      await expect(webhookEvents.markProcessed(987_654_321)).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
    });
  });

  describe('outbox', () => {
    async function conversation() {
      const account = await db().repos.accounts.create(newAccount());
      const c = await db().repos.conversations.upsertConversation({
        accountId: account.id,
        participantIgsid: igId(),
      });
      return { accountId: account.id, conversationId: c.id };
    }

    it('enqueues once per idempotency key', async () => {
      const target = await conversation();
      const input = {
        ...target,
        idempotencyKey: `rule:${target.conversationId}:1`,
        payload: { message: { text: 'Danke! 🙏' } },
        text: 'Danke! 🙏',
        createdBy: { kind: 'rule' as const, id: 'rule-1' },
      };
      const first = await db().repos.outbox.enqueue(input);
      const second = await db().repos.outbox.enqueue({ ...input, text: 'different' });
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.message.id).toBe(first.message.id);
      expect(second.message.text).toBe('Danke! 🙏');
      expect(await db().repos.outbox.listByConversation(target.conversationId)).toHaveLength(1);
    });

    it('moves pending → sending → sent, retries transient failures and never hands a message out twice', async () => {
      const { outbox } = db().repos;
      const target = await conversation();
      const due = new Date('2000-01-01T00:00:00.000Z');
      const { message } = await outbox.enqueue({
        ...target,
        idempotencyKey: `staff:${Math.random()}`,
        payload: { message: { text: 'hi' } },
        createdBy: { kind: 'staff', id: 'maria' },
        nextAttemptAt: due,
      });
      const now = new Date('2000-01-01T00:00:01.000Z');
      const claimedTwice = await Promise.all([outbox.claimDue(1000, now), outbox.claimDue(1000, now)]);
      const claims = claimedTwice.flat().filter((m) => m.id === message.id);
      expect(claims).toHaveLength(1);
      expect(claims[0]).toMatchObject({ state: 'sending', attempts: 1 });

      await outbox.markFailed(message.id, {
        code: '4',
        text: 'rate limited',
        retryAt: new Date('2000-01-01T00:01:00.000Z'),
      });
      expect(await outbox.get(message.id)).toMatchObject({ state: 'pending', errorCode: '4' });
      expect((await outbox.claimDue(1000, now)).map((m) => m.id)).not.toContain(message.id);
      expect((await outbox.claimDue(1000, new Date('2000-01-01T00:01:00.000Z'))).map((m) => m.id)).toContain(
        message.id,
      );

      await outbox.markSent(
        message.id,
        'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx',
        new Date('2000-01-01T00:01:00.500Z'),
      );
      const sent = await outbox.get(message.id);
      expect(sent).toMatchObject({
        state: 'sent',
        attempts: 2,
        graphMessageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx',
        errorCode: null,
      });
      expect(sent!.sentAt!.toISOString()).toBe('2000-01-01T00:01:00.500Z');
      await expect(outbox.markSent(message.id, 'again')).rejects.toMatchObject({ code: 'DB_CONFLICT' });
    });

    it('fails permanently and expires pending messages', async () => {
      const { outbox } = db().repos;
      const target = await conversation();
      const a = await outbox.enqueue({
        ...target,
        idempotencyKey: `a:${Math.random()}`,
        payload: {},
        createdBy: { kind: 'system' },
        nextAttemptAt: new Date('2000-01-01T00:00:00Z'),
      });
      const b = await outbox.enqueue({
        ...target,
        idempotencyKey: `b:${Math.random()}`,
        payload: {},
        createdBy: { kind: 'system' },
      });
      await outbox.claimDue(1000, new Date('2000-01-01T00:00:00Z'));
      await outbox.markFailed(a.message.id, { code: '551', text: 'user unavailable' });
      await outbox.markExpired(b.message.id, 'outside the 24 h window');
      expect(await outbox.get(a.message.id)).toMatchObject({
        state: 'failed',
        errorText: 'user unavailable',
      });
      expect(await outbox.get(b.message.id)).toMatchObject({
        state: 'expired',
        errorText: 'outside the 24 h window',
      });
      await expect(
        outbox.enqueue({
          ...target,
          idempotencyKey: 'k',
          payload: {},
          createdBy: { kind: 'robot' as never },
        }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
    });
  });

  describe('audit log', () => {
    it('records entries without secrets, newest first', async () => {
      const { audit } = db().repos;
      const entityId = `acc-${Math.random()}`;
      await audit.record({
        actor: 'maria',
        action: 'account.connect',
        entityType: 'account',
        entityId,
        after: { username: 'cafe', accessToken: 'EAAB-secret', nested: { app_secret: 's', ok: 1 } },
        at: new Date('2026-01-01T00:00:00.001Z'),
      });
      await audit.record({
        actor: 'maria',
        action: 'account.rename',
        entityType: 'account',
        entityId,
        before: { username: 'cafe' },
        after: { username: 'café ☕' },
        at: new Date('2026-01-01T00:00:00.002Z'),
      });
      const entries = await audit.list({ entityType: 'account', entityId });
      expect(entries.map((e) => e.action)).toEqual(['account.rename', 'account.connect']);
      expect(entries[1]!.after).toEqual({
        username: 'cafe',
        accessToken: '[redacted]',
        nested: { app_secret: '[redacted]', ok: 1 },
      });
      expect(JSON.stringify(entries)).not.toContain('EAAB-secret');
      expect(entries[0]!.at.toISOString()).toBe('2026-01-01T00:00:00.002Z');
    });
  });

  describe('settings', () => {
    it('sets, overwrites (upsert), reads and deletes', async () => {
      const { settings } = db().repos;
      const key = `inbox.density.${Math.random().toString(36).slice(2)}`;
      expect(await settings.get(key)).toBeNull();
      await settings.set(key, { compact: true });
      await settings.set(key, { compact: false, note: 'ünïcødé 🎛️' });
      expect(await settings.get(key)).toEqual({ compact: false, note: 'ünïcødé 🎛️' });
      expect((await settings.getAll())[key]).toEqual({ compact: false, note: 'ünïcødé 🎛️' });
      expect(await settings.delete(key)).toBe(true);
      expect(await settings.get(key)).toBeNull();
      await expect(settings.set('bad key with spaces', 1)).rejects.toMatchObject({
        code: 'DB_INVALID_INPUT',
      });
    });
  });
});
