/**
 * Per-test-file databases on both dialects.
 *
 * `forEachDialect` runs a block of tests once on SQLite and once on MariaDB, each against a fresh,
 * migrated database that belongs to this test file alone and is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase } from '../../electron/main/core/db/connection';
import type { Database } from '../../electron/main/core/db/connection';
import { parseDatabaseUrl } from '../../electron/main/core/db/config';
import type { DatabaseConfig } from '../../electron/main/core/db/config';
import type { DialectName } from '../../electron/main/core/db/dialect';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import type { Repositories } from '../../electron/main/core/db/repositories';
import { createScratchDatabase } from './mariadb';

/** Both dialects, in the order the suite runs them. */
export const dialects: readonly DialectName[] = ['sqlite', 'mysql'];

/** An empty database created for one test file. */
export interface ScratchConfig {
  dialect: DialectName;
  config: DatabaseConfig;
  /** Removes the database (file or MariaDB schema). */
  drop: () => Promise<void>;
}

/** The MariaDB server for this run, or the reason there is none. */
export function mysqlServer(): { url: string } | { reason: string } {
  const url = safeInject('mysqlServerUrl') ?? process.env.MYSQL_URL ?? null;
  if (url) return { url };
  const reason =
    safeInject('mysqlUnavailableReason') ??
    'no MariaDB server (tests/support/global-setup.ts is not configured and MYSQL_URL is not set)';
  if (process.env.CI === 'true') throw new Error(`CI=true requires MariaDB: ${reason}`);
  return { reason };
}

function safeInject<K extends 'mysqlServerUrl' | 'mysqlUnavailableReason'>(
  key: K,
): string | null | undefined {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

/** Creates an empty database of the given dialect (not migrated). */
export async function createScratchConfig(dialect: DialectName): Promise<ScratchConfig> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-sqlite-'));
    return {
      dialect,
      config: { dialect: 'sqlite', file: join(dir, 'switchboard.db') },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const server = mysqlServer();
  if (!('url' in server)) throw new Error(`MariaDB unavailable: ${server.reason}`);
  const scratch = await createScratchDatabase(server.url);
  return { dialect, config: parseDatabaseUrl(scratch.url), drop: scratch.drop };
}

/** What a test gets from `forEachDialect`. */
export interface TestDatabase {
  dialect: DialectName;
  config: DatabaseConfig;
  database: Database;
  repos: Repositories;
}

/**
 * Declares `body`'s tests once per dialect. Each run gets its own freshly migrated database,
 * shared by the tests of that run and dropped afterwards. The MariaDB run is skipped (with the
 * reason in its title) only when no server is available and CI is not set.
 */
export function forEachDialect(
  title: string,
  body: (get: () => TestDatabase, dialect: DialectName) => void,
  options: { migrate?: boolean } = {},
): void {
  for (const dialect of dialects) {
    const server = dialect === 'mysql' ? mysqlServer() : null;
    const skipReason = server && 'reason' in server ? server.reason : null;
    const block = skipReason ? describe.skip : describe;
    block(`${title} [${dialect}]${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
      let current: TestDatabase | undefined;
      let scratch: ScratchConfig | undefined;
      beforeAll(async () => {
        scratch = await createScratchConfig(dialect);
        const database = await openDatabase(scratch.config);
        if (options.migrate !== false) await migrateToLatest(database);
        current = { dialect, config: scratch.config, database, repos: createRepositories(database) };
      });
      afterAll(async () => {
        await current?.database.close();
        await scratch?.drop();
      });
      body(() => {
        if (!current) throw new Error('database not ready (beforeAll failed)');
        return current;
      }, dialect);
    });
  }
}
