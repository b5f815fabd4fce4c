/**
 * `webhookEvents.markProcessedMany`: ingest marks a whole group of deliveries processed with one statement.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Repositories } from '../../electron/main/core/db/repositories';
import { forEachDialect } from '../support/databases';

function record(repos: Repositories, text: string): Promise<number> {
  return repos.webhookEvents.record({ rawBody: JSON.stringify({ text }), headers: {}, signatureValid: true });
}

forEachDialect('webhook events marked processed together', (db, dialect) => {
  it('counts attempts of a whole group in one statement, leaving durable commits as they were', async () => {
    const { webhookEvents } = db().repos;
    const [a, b] = [await record(db().repos, 'x'), await record(db().repos, 'y')] as [number, number];
    await webhookEvents.markProcessingMany([a, b]);
    await webhookEvents.markProcessingMany([b]);
    expect(await webhookEvents.get(a)).toMatchObject({ state: 'processing', attempts: 1 });
    expect(await webhookEvents.get(b)).toMatchObject({ state: 'processing', attempts: 2 });
    // Inside a transaction too (the transaction's commit decides there).
    await db().repos.transaction((tx) => tx.webhookEvents.markProcessingMany([a]));
    expect(await webhookEvents.get(a)).toMatchObject({ attempts: 2 });
    if (dialect === 'sqlite') {
      // Written without waiting for the disk, then back to full durability for everything else.
      const setting = await sql<{ synchronous: number }>`pragma synchronous`.execute(db().database.kysely);
      expect(setting.rows[0]?.synchronous).toBe(2);
    }
  });

  it('marks every listed delivery processed with its time, clears old errors, and leaves the others alone', async () => {
    const { webhookEvents } = db().repos;
    const [a, b, c, other] = [
      await record(db().repos, 'a'),
      await record(db().repos, 'b'),
      await record(db().repos, 'c'),
      await record(db().repos, 'other'),
    ] as [number, number, number, number];
    await webhookEvents.markProcessingMany([a, b, c, other]);
    await webhookEvents.markFailed(b, 'an earlier attempt failed');
    const at = new Date('2026-03-03T03:03:03.000Z');

    await webhookEvents.markProcessedMany([a, b, c, a], at);

    for (const id of [a, b, c]) {
      const done = await webhookEvents.get(id);
      expect(done).toMatchObject({ state: 'processed', attempts: 1, error: null });
      expect(done?.processedAt?.toISOString()).toBe(at.toISOString());
    }
    expect(await webhookEvents.get(other)).toMatchObject({ state: 'processing', processedAt: null });
    expect((await webhookEvents.listPending(10_000)).map((e) => e.id)).toContain(other);
  });

  it('marks one delivery, does nothing for none, and says which ids do not exist', async () => {
    const { webhookEvents } = db().repos;
    const one = await record(db().repos, 'one');
    await webhookEvents.markProcessedMany([]);
    expect(await webhookEvents.get(one)).toMatchObject({ state: 'received' });
    await webhookEvents.markProcessedMany([one]);
    expect(await webhookEvents.get(one)).toMatchObject({ state: 'processed' });

    const two = await record(db().repos, 'two');
    await expect(webhookEvents.markProcessedMany([two, 987_654_321, 987_654_322])).rejects.toMatchObject({
      code: 'DB_NOT_FOUND',
      message: expect.stringContaining('987654321, 987654322') as string,
    });
    // Marking again what is already processed is no error (MariaDB reports no changed row for it).
    await webhookEvents.markProcessedMany([one, two], new Date('2026-03-03T03:03:03.000Z'));
    await webhookEvents.markProcessedMany([one, two], new Date('2026-03-03T03:03:03.000Z'));
    expect(await webhookEvents.get(two)).toMatchObject({ state: 'processed' });
  });
});
