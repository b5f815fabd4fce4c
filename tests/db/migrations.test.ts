import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../electron/main/core/db/connection';
import type { Database } from '../../electron/main/core/db/connection';
import { DatabaseError } from '../../electron/main/core/db/errors';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { migrations } from '../../migrations';
import { createScratchConfig, dialects, mysqlServer } from '../support/databases';
import type { ScratchConfig } from '../support/databases';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function fresh(
  dialect: 'sqlite' | 'mysql',
): Promise<{ scratch: ScratchConfig; open: () => Promise<Database> }> {
  const scratch = await createScratchConfig(dialect);
  cleanups.push(scratch.drop);
  return {
    scratch,
    open: async () => {
      const database = await openDatabase(scratch.config);
      cleanups.push(() => database.close());
      return database;
    },
  };
}

const mysqlSkip = (() => {
  const server = mysqlServer();
  return 'reason' in server ? server.reason : null;
})();

for (const dialect of dialects) {
  describe.skipIf(dialect === 'mysql' && mysqlSkip !== null)(`migrations [${dialect}]`, () => {
    it('applies every migration in the index once, in order', async () => {
      const { open } = await fresh(dialect);
      const database = await open();
      const first = await migrateToLatest(database);
      expect(first.applied).toEqual(Object.keys(migrations).sort());
      expect((await migrateToLatest(database)).applied).toEqual([]);
    });

    it('reports a failed migration by name, with the database message, and keeps what was applied', async () => {
      const { open } = await fresh(dialect);
      const database = await open();
      const broken = {
        ...migrations,
        '0999-broken-for-test': {
          // Creating a table that exists is an error on every database.
          up: (db: Kysely<unknown>) => db.schema.createTable('messages').addColumn('id', 'integer').execute(),
        },
      };
      const error = await migrateToLatest(database, { getMigrations: () => Promise.resolve(broken) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ code: 'DB_MIGRATION_FAILED', migrationName: '0999-broken-for-test' });
      expect((error as Error).message).toContain('0999-broken-for-test');
      expect((error as Error).message).toMatch(/already exists/i);
      // The good migrations stayed applied: the normal index finds nothing to do.
      expect((await migrateToLatest(database)).applied).toEqual([]);
    });
  });
}

describe.skipIf(mysqlSkip !== null)('migrations on one MariaDB database from two processes at once', () => {
  it('migrates exactly once', async () => {
    const { open } = await fresh('mysql');
    const [a, b] = [await open(), await open()];
    const [ra, rb] = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
    expect([...ra.applied, ...rb.applied].sort()).toEqual(Object.keys(migrations).sort());
    expect(Math.min(ra.applied.length, rb.applied.length)).toBe(0);
    const rows = await a.kysely
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(Object.keys(migrations).length);
  });
});
