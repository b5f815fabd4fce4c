import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import Libsql from 'libsql';
import { CHECKPOINT_AFTER_ROWS, openDatabase, type Database } from '../../electron/main/core/db/connection';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import { createScratchConfig, forEachDialect } from '../support/databases';
import { igId, longMid, newAccount } from './fixtures';

forEachDialect('transactions and round-trips', (db) => {
  it('rolls back everything done in a failed transaction', async () => {
    const { repos } = db();
    const input = newAccount();
    const mid = longMid();
    const failure = await repos
      .transaction(async (tx) => {
        const account = await tx.accounts.create(input);
        await tx.conversations.ingest({
          accountId: account.id,
          participantIgsid: igId(),
          mid,
          direction: 'inbound',
          text: 'will vanish',
          createdAt: new Date(),
        });
        await tx.settings.set('rollback.probe', 1);
        throw new Error('boom');
      })
      .catch((e: unknown) => e);
    expect((failure as Error).message).toBe('boom');
    expect(await repos.accounts.getByInstagramId(input.instagramAccountId)).toBeNull();
    expect(await repos.settings.get('rollback.probe')).toBeNull();
  });

  it('commits everything done in a successful transaction', async () => {
    const { repos } = db();
    const input = newAccount();
    await repos.transaction(async (tx) => {
      const account = await tx.accounts.create(input);
      await tx.conversations.ingest({
        accountId: account.id,
        participantIgsid: igId(),
        mid: longMid(),
        direction: 'inbound',
        createdAt: new Date(),
      });
    });
    const account = await repos.accounts.getByInstagramId(input.instagramAccountId);
    expect(account).not.toBeNull();
    expect((await repos.conversations.listInbox({ accountIds: [account!.id] })).length).toBe(1);
  });

  it('a failed savepoint undoes only its own writes; the transaction around it commits the rest', async () => {
    const { repos } = db();
    const input = newAccount();
    const failure = await repos.transaction(async (tx) => {
      await tx.accounts.create(input);
      await tx.settings.set('savepoint.kept', 1);
      const inner = await tx
        .savepoint(async (sp) => {
          await sp.settings.set('savepoint.undone', 2);
          throw new Error('inner boom');
        })
        .catch((e: unknown) => e);
      await tx.settings.set('savepoint.after', 3);
      return inner;
    });
    expect((failure as Error).message).toBe('inner boom');
    expect(await repos.accounts.getByInstagramId(input.instagramAccountId)).not.toBeNull();
    expect(await repos.settings.get('savepoint.kept')).toBe(1);
    expect(await repos.settings.get('savepoint.undone')).toBeNull();
    expect(await repos.settings.get('savepoint.after')).toBe(3);
  });

  it('a successful savepoint keeps its writes, and they roll back with the transaction', async () => {
    const { repos } = db();
    await repos.transaction(async (tx) => {
      await tx.savepoint((sp) => sp.settings.set('savepoint.ok', 'yes'));
    });
    expect(await repos.settings.get('savepoint.ok')).toBe('yes');
    await repos
      .transaction(async (tx) => {
        await tx.savepoint((sp) => sp.settings.set('savepoint.rolled', 'no'));
        throw new Error('outer boom');
      })
      .catch(() => undefined);
    expect(await repos.settings.get('savepoint.rolled')).toBeNull();
  });

  it('nested and successive savepoints each undo only their own writes (names are reused per depth)', async () => {
    const { repos } = db();
    await repos.transaction(async (tx) => {
      for (const round of [1, 2]) {
        await tx.savepoint(async (outer) => {
          await outer.settings.set(`savepoint.outer.${round}`, round);
          await outer
            .savepoint(async (inner) => {
              await inner.settings.set(`savepoint.inner.${round}`, round);
              throw new Error('inner boom');
            })
            .catch(() => undefined);
          await outer.savepoint((inner) => inner.settings.set(`savepoint.second.${round}`, round));
        });
      }
      await tx
        .savepoint(async (outer) => {
          await outer.settings.set('savepoint.outer.3', 3);
          await outer.savepoint((inner) => inner.settings.set('savepoint.inner.3', 3));
          throw new Error('outer boom');
        })
        .catch(() => undefined);
    });
    for (const round of [1, 2]) {
      expect(await repos.settings.get(`savepoint.outer.${round}`)).toBe(round);
      expect(await repos.settings.get(`savepoint.inner.${round}`)).toBeNull();
      expect(await repos.settings.get(`savepoint.second.${round}`)).toBe(round);
    }
    expect(await repos.settings.get('savepoint.outer.3')).toBeNull();
    expect(await repos.settings.get('savepoint.inner.3')).toBeNull();
  });

  it('a savepoint hands its work the same repositories as the transaction around it', async () => {
    const { repos } = db();
    await repos.transaction(async (tx) => {
      await tx.savepoint(async (sp) => {
        expect(sp).toBe(tx);
      });
      await tx.transaction(async (joined) => {
        expect(joined).toBe(tx);
      });
    });
  });

  it('round-trips emoji and other 4-byte characters exactly', async () => {
    const { repos } = db();
    const account = await repos.accounts.create(newAccount({ displayName: '𝓢𝔀𝓲𝓽𝓬𝓱 👩🏽‍💻🇧🇷' }));
    const text = 'Família 👨‍👩‍👧‍👦, 𝄞 music, 中文, العربية, e\u0301, 🫶🏾 and a null-width \u200d joiner';
    const mid = longMid();
    await repos.conversations.ingest({
      accountId: account.id,
      participantIgsid: igId(),
      participantName: 'Zoë 🦄',
      mid,
      direction: 'inbound',
      text,
      createdAt: new Date(),
    });
    expect((await repos.accounts.get(account.id))?.displayName).toBe('𝓢𝔀𝓲𝓽𝓬𝓱 👩🏽‍💻🇧🇷');
    expect((await repos.conversations.getMessageByMid(account.id, mid))?.text).toBe(text);
    // Straight from the table, bypassing the repository's mapping.
    // MySQL's length() counts bytes; char_length() counts characters like SQLite's length().
    const chars = db().dialect === 'mysql' ? sql<number>`char_length(text)` : sql<number>`length(text)`;
    const raw = await db()
      .database.kysely.selectFrom('messages')
      .select(chars.as('n'))
      .where('mid', '=', mid)
      .executeTakeFirstOrThrow();
    expect(Number(raw.n)).toBe([...text].length);
  });

  it('round-trips millisecond UTC timestamps, including edge values', async () => {
    const { repos } = db();
    const account = await repos.accounts.create(newAccount());
    const participantIgsid = igId();
    const times = [
      new Date('1970-01-01T00:00:00.001Z'),
      new Date('2038-01-19T03:14:08.999Z'),
      new Date('2099-12-31T23:59:59.999Z'),
      new Date(1_762_010_783_728),
    ];
    for (const createdAt of times)
      await repos.conversations.ingest({
        accountId: account.id,
        participantIgsid,
        mid: longMid(),
        direction: 'inbound',
        createdAt,
      });
    const conversation = await repos.conversations.findConversation(account.id, participantIgsid);
    const thread = await repos.conversations.listThread(conversation!.id);
    expect(thread.map((m) => m.createdAt.toISOString()).sort()).toEqual(
      times.map((t) => t.toISOString()).sort(),
    );
    expect(conversation!.lastMessageAt!.toISOString()).toBe('2099-12-31T23:59:59.999Z');
  });
});

describe('SQLite transactions with a second writer (the receiver thread)', () => {
  it('hold the write lock from their first statement, so a read-then-write transaction is never refused', async () => {
    const scratch = await createScratchConfig('sqlite');
    const database = await openDatabase(scratch.config);
    try {
      await migrateToLatest(database);
      const repos = createRepositories(database);
      const file = (scratch.config as { file: string }).file;
      // Another connection that does not wait for locks, so the lock is observable without blocking this thread.
      const other = new Libsql(file);
      other.exec('pragma busy_timeout = 0');
      try {
        const otherWrite = () =>
          other.prepare("insert into settings (key, value, updated_at) values ('other', '1', 0)").run();
        await repos.transaction(async (tx) => {
          // Read only so far. With a plain `begin`, SQLite asks for the write lock only at the first write,
          // the other connection could commit first, and this transaction's write was then refused at once.
          await tx.settings.get('probe');
          expect(otherWrite).toThrow(/locked|busy/i);
          await tx.settings.set('probe', 1);
        });
        expect(await repos.settings.get('probe')).toBe(1);
        // Once committed, the other connection writes as usual.
        expect(() => otherWrite()).not.toThrow();
      } finally {
        other.close();
      }
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});

describe("SQLite checkpoints of the app's main connection", () => {
  /** Frames in the WAL now: a passive checkpoint reports them (and copies them, which does not matter here). */
  const walFrames = async (database: Database) =>
    (await sql<{ log: number }>`pragma wal_checkpoint(passive)`.execute(database.kysely)).rows[0]!.log;

  it('come after a transaction that wrote many rows, not only after many transactions', async () => {
    const scratch = await createScratchConfig('sqlite');
    const database = await openDatabase(scratch.config, { checkpoints: 'after-commits' });
    try {
      await migrateToLatest(database);
      const rows = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({ key: `bulk.${from + i}`, value: '1', updated_at: 0 }));
      const writeInOneTransaction = (from: number, count: number) =>
        database.kysely.transaction().execute(async (tx) => {
          for (let i = 0; i < count; i += 1_000)
            await tx
              .insertInto('settings')
              .values(rows(from + i, Math.min(1_000, count - i)))
              .execute();
        });
      const oneSmallTransaction = (key: string) =>
        database.kysely
          .transaction()
          .execute((tx) => tx.insertInto('settings').values({ key, value: '1', updated_at: 0 }).execute());

      // After a checkpoint the WAL starts over, so the small transaction after it is all the WAL holds.
      await sql`pragma wal_checkpoint(truncate)`.execute(database.kysely);
      await writeInOneTransaction(0, CHECKPOINT_AFTER_ROWS);
      await oneSmallTransaction('small.after-big');
      const afterBig = await walFrames(database);

      // Below the threshold, no checkpoint: the WAL holds both transactions.
      await sql`pragma wal_checkpoint(truncate)`.execute(database.kysely);
      await writeInOneTransaction(CHECKPOINT_AFTER_ROWS, CHECKPOINT_AFTER_ROWS / 10);
      const afterSmaller = await walFrames(database);
      await sql`pragma wal_checkpoint(truncate)`.execute(database.kysely);
      await writeInOneTransaction(2 * CHECKPOINT_AFTER_ROWS, CHECKPOINT_AFTER_ROWS / 10);
      await oneSmallTransaction('small.after-smaller');
      const afterSmallerAndSmall = await walFrames(database);

      expect(afterSmallerAndSmall).toBeGreaterThan(afterSmaller);
      expect(afterBig).toBeLessThan(afterSmallerAndSmall - afterSmaller + 3);
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});
