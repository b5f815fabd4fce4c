import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl, resolveDatabaseConfig } from '../../electron/main/core/db/config';
import type { MysqlConfig } from '../../electron/main/core/db/config';
import { openDatabase, testConnection } from '../../electron/main/core/db/connection';
import { DatabaseError } from '../../electron/main/core/db/errors';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import { createScratchConfig, mysqlServer } from '../support/databases';
import type { ScratchConfig } from '../support/databases';
import { withDatabase } from '../support/mariadb';
import { newAccount } from './fixtures';

async function openError(config: Parameters<typeof openDatabase>[0]): Promise<DatabaseError> {
  const error = await openDatabase(config).then(
    async (db) => {
      await db.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  return error as DatabaseError;
}

async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('database configuration', () => {
  it('parses sqlite: and mysql:// URLs', () => {
    expect(parseDatabaseUrl('sqlite:/data/switchboard.db')).toEqual({
      dialect: 'sqlite',
      file: '/data/switchboard.db',
    });
    expect(parseDatabaseUrl('sqlite:///data/sb.db')).toEqual({ dialect: 'sqlite', file: '/data/sb.db' });
    expect(parseDatabaseUrl('mysql://agent:p%40ss@db.local:3307/switchboard')).toEqual({
      dialect: 'mysql',
      host: 'db.local',
      port: 3307,
      database: 'switchboard',
      user: 'agent',
      password: 'p@ss',
    });
    expect(() => parseDatabaseUrl('postgres://x/y')).toThrow(DatabaseError);
    expect(() => parseDatabaseUrl('mysql://host:3306/')).toThrow(/names no database/);
  });

  it('falls back from URL to MYSQL_* variables to the default SQLite file', () => {
    expect(resolveDatabaseConfig({ defaultSqliteFile: '/u/sb.db', env: {} })).toEqual({
      dialect: 'sqlite',
      file: '/u/sb.db',
    });
    expect(
      resolveDatabaseConfig({
        defaultSqliteFile: '/u/sb.db',
        env: { MYSQL_HOST: 'h', MYSQL_DATABASE: 'd', MYSQL_USERNAME: 'u', MYSQL_PASSWORD: 'p' },
      }),
    ).toEqual({ dialect: 'mysql', host: 'h', port: 3306, database: 'd', user: 'u', password: 'p' });
    expect(
      resolveDatabaseConfig({
        url: 'sqlite:/x.db',
        defaultSqliteFile: '/u/sb.db',
        env: { MYSQL_HOST: 'h', MYSQL_DATABASE: 'd' },
      }),
    ).toEqual({ dialect: 'sqlite', file: '/x.db' });
    expect(() =>
      resolveDatabaseConfig({
        defaultSqliteFile: '/u',
        env: { MYSQL_HOST: 'h', MYSQL_PORT: 'abc', MYSQL_DATABASE: 'd' },
      }),
    ).toThrow(/MYSQL_PORT/);
  });
});

describe('SQLite files that cannot be used', () => {
  it('reports a read-only database file in plain words and loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-ro-'));
    const file = join(dir, 'switchboard.db');
    const database = await openDatabase({ dialect: 'sqlite', file });
    await migrateToLatest(database);
    const account = await createRepositories(database).accounts.create(newAccount());
    await database.close();

    chmodSync(file, 0o444);
    // root ignores file modes; the immutable attribute binds root too.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chattr', ['+i', file]);
    try {
      const error = await openError({ dialect: 'sqlite', file });
      expect(error.code).toBe('DB_READONLY');
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/cannot be written|read-only/);
      expect(error.hint).toMatch(/writable|database file setting/);
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', file]);
      chmodSync(file, 0o644);
    }
    const reopened = await openDatabase({ dialect: 'sqlite', file });
    expect((await createRepositories(reopened).accounts.get(account.id))?.username).toBe(account.username);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a folder that cannot hold the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-nodir-'));
    writeFileSync(join(dir, 'a-file'), 'x');
    const error = await openError({ dialect: 'sqlite', file: join(dir, 'a-file', 'switchboard.db') });
    expect(error.code).toBe('DB_READONLY');
    expect(error.hint).toMatch(/folder/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a file that is not a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-garbage-'));
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'this is not sqlite'.repeat(400));
    const error = await openError({ dialect: 'sqlite', file });
    expect(error.code).toBe('DB_CORRUPT');
    rmSync(dir, { recursive: true, force: true });
  });
});

const server = mysqlServer();

describe.skipIf('reason' in server)('MySQL connection problems in plain words', () => {
  let scratch: ScratchConfig;
  let base: MysqlConfig;
  const user = `sb_app_${randomBytes(3).toString('hex')}`;
  const stranger = `sb_none_${randomBytes(3).toString('hex')}`;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    scratch = await createScratchConfig('mysql');
    base = scratch.config as MysqlConfig;
    const admin = await createConnection(withDatabase((server as { url: string }).url, ''));
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await admin.query(`GRANT ALL PRIVILEGES ON \`${base.database}\`.* TO '${user}'@'%'`);
    await admin.query(`CREATE USER '${stranger}'@'%' IDENTIFIED BY '${password}'`);
    await admin.end();
  });
  afterAll(async () => {
    if ('url' in server) {
      const admin = await createConnection(withDatabase(server.url, ''));
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`DROP USER IF EXISTS '${stranger}'@'%'`);
      await admin.end();
    }
    await scratch?.drop();
  });

  it('connects with the right password (control)', async () => {
    expect(await testConnection({ ...base, user, password })).toEqual({ ok: true });
  });

  it('wrong password → DB_AUTH naming the setting, never echoing the password', async () => {
    const error = await openError({ ...base, user, password: 'wrong-password-123' });
    expect(error.code).toBe('DB_AUTH');
    expect(error.message).toMatch(/refused the user name or password/);
    expect(error.hint).toMatch(/MYSQL_PASSWORD/);
    expect(`${error.message} ${error.hint}`).not.toContain('wrong-password-123');
  });

  it('nothing listening on the port → DB_UNREACHABLE naming host and port', async () => {
    const port = await unusedPort();
    const error = await openError({ ...base, user, password, port });
    expect(error.code).toBe('DB_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.hint).toMatch(/host and port/);
  });

  it('database missing → DB_MISSING', async () => {
    const error = await openError({ ...base, database: `${base.database}_nope` });
    expect(error.code).toBe('DB_MISSING');
    expect(error.hint).toMatch(/CREATE DATABASE|MYSQL_DATABASE/);
  });

  it('user without privileges on the database → DB_PRIVILEGES', async () => {
    const error = await openError({ ...base, user: stranger, password });
    expect(error.code).toBe('DB_PRIVILEGES');
    expect(error.hint).toMatch(/GRANT/);
  });

  it('testConnection returns the error as data', async () => {
    const result = await testConnection({ ...base, user, password: 'nope' });
    expect(result).toMatchObject({ ok: false, error: { code: 'DB_AUTH' } });
  });
});
