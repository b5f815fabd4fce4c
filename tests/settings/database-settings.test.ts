/**
 * Settings → Database: the saved choice on disk (never a password), which setting wins, and the
 * connection test and save against the real private MariaDB with right and wrong credentials.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseService } from '../../electron/main/core/database-service';
import {
  DatabaseSettingsService,
  readSavedDatabase,
  savedToConfig,
  writeSavedDatabase,
} from '../../electron/main/core/database-settings';
import { parseDatabaseUrl, resolveDatabaseChoice, type MysqlConfig } from '../../electron/main/core/db';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { MemorySecretStore } from '../../electron/main/core/secrets';
import { mysqlServer } from '../support/databases';
import { createScratchDatabase, withDatabase, type ScratchDatabase } from '../support/mariadb';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-dbsettings-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const mysql: MysqlConfig = {
  dialect: 'mysql',
  host: 'db.example.internal',
  port: 3307,
  database: 'switchboard',
  user: 'agency',
  password: '',
};

describe('which database setting wins', () => {
  const defaults = { defaultSqliteFile: '/data/switchboard.db', saved: mysql };

  it('takes the saved choice over the default, and says so', () => {
    expect(resolveDatabaseChoice({ ...defaults, env: {} })).toEqual({
      config: mysql,
      source: { kind: 'saved', setting: null },
    });
    expect(resolveDatabaseChoice({ defaultSqliteFile: '/data/switchboard.db', env: {} })).toEqual({
      config: { dialect: 'sqlite', file: '/data/switchboard.db' },
      source: { kind: 'default', setting: null },
    });
  });

  it('lets MYSQL_HOST, DATABASE_URL and the flag win over the saved choice, in that rising order', () => {
    const env = { MYSQL_HOST: 'env-host', MYSQL_DATABASE: 'envdb', MYSQL_USERNAME: 'u' };
    expect(resolveDatabaseChoice({ ...defaults, env })).toMatchObject({
      config: { host: 'env-host', database: 'envdb' },
      source: { kind: 'environment', setting: 'MYSQL_HOST' },
    });
    const withUrl = { ...env, DATABASE_URL: 'mysql://a@url-host/urldb' };
    expect(resolveDatabaseChoice({ ...defaults, env: withUrl })).toMatchObject({
      config: { host: 'url-host' },
      source: { kind: 'environment', setting: 'DATABASE_URL' },
    });
    expect(resolveDatabaseChoice({ ...defaults, env: withUrl, url: 'sqlite:/tmp/x.db' })).toMatchObject({
      config: { dialect: 'sqlite', file: '/tmp/x.db' },
      source: { kind: 'flag', setting: '--database' },
    });
    expect(
      resolveDatabaseChoice({
        ...defaults,
        env: {},
        url: 'sqlite:/tmp/x.db',
        urlSetting: 'SWITCHBOARD_DATABASE_URL',
      }).source,
    ).toEqual({ kind: 'environment', setting: 'SWITCHBOARD_DATABASE_URL' });
  });

  it('explains the source in Settings and flags a saved choice that waits for a restart', async () => {
    const dir = dataDir();
    const defaultSqliteFile = join(dir, 'switchboard.db');
    const settingsFor = (env: NodeJS.ProcessEnv) => {
      const saved = readSavedDatabase(dir).saved;
      const database = new DatabaseService({
        databaseUrl: undefined,
        env,
        defaultSqliteFile,
        logger: silentLogger(),
        onStatus: () => undefined,
        saved: saved ? savedToConfig(saved, defaultSqliteFile) : null,
      });
      return new DatabaseSettingsService({
        dataDir: dir,
        defaultSqliteFile,
        database,
        secrets: new MemorySecretStore(),
        logger: silentLogger(),
      }).get();
    };
    const before = await settingsFor({});
    expect(before).toMatchObject({
      active: { dialect: 'sqlite', file: defaultSqliteFile, mysql: null },
      source: { kind: 'default', explanation: 'the default: the embedded database in the data folder' },
      saved: null,
      restartNeeded: false,
    });
    writeSavedDatabase(dir, { dialect: 'mysql', host: 'h', port: 3306, database: 'd', user: 'u' });
    // Saved while this process runs on SQLite: it waits for the next start.
    const database = new DatabaseService({
      databaseUrl: undefined,
      env: {},
      defaultSqliteFile,
      logger: silentLogger(),
      onStatus: () => undefined,
    });
    const waiting = await new DatabaseSettingsService({
      dataDir: dir,
      defaultSqliteFile,
      database,
      secrets: new MemorySecretStore(),
      logger: silentLogger(),
    }).get();
    expect(waiting.restartNeeded).toBe(true);
    // At the next start it is in use.
    expect(await settingsFor({})).toMatchObject({
      active: { dialect: 'mysql', mysql: { host: 'h', port: 3306, database: 'd', user: 'u' } },
      source: { kind: 'saved', explanation: 'saved in Settings' },
      restartNeeded: false,
    });
    // An environment variable wins, and Settings says which one.
    const overridden = await settingsFor({ MYSQL_HOST: 'env-host', MYSQL_DATABASE: 'envdb' });
    expect(overridden.source).toEqual({
      kind: 'environment',
      setting: 'MYSQL_HOST',
      explanation: 'set by MYSQL_HOST in the environment',
    });
    expect(overridden.restartNeeded).toBe(false);
  });
});

describe('the saved choice on disk', () => {
  it('round-trips without a password, mode 0600', () => {
    const dir = dataDir();
    expect(readSavedDatabase(dir)).toEqual({ saved: null, problem: null });
    writeSavedDatabase(dir, { dialect: 'mysql', host: 'h', port: 3306, database: 'd', user: 'u' });
    const path = join(dir, 'database.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toMatch(/password/i);
    expect(readSavedDatabase(dir).saved).toEqual({
      dialect: 'mysql',
      host: 'h',
      port: 3306,
      database: 'd',
      user: 'u',
    });
    writeSavedDatabase(dir, { dialect: 'sqlite' });
    expect(readSavedDatabase(dir).saved).toEqual({ dialect: 'sqlite' });
  });

  it('reports a file it cannot understand and leaves it as it is', () => {
    const dir = dataDir();
    const path = join(dir, 'database.json');
    for (const content of ['{not json', '{"dialect":"mysql","host":"h","password":"x"}']) {
      writeFileSync(path, content);
      const read = readSavedDatabase(dir);
      expect(read.saved).toBeNull();
      expect(read.problem).toMatch(/database\.json is not a database setting this version understands/);
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });
});

const server = mysqlServer();
// Without MariaDB (outside CI only: the global setup fails a CI run without it) the reason is in the title.
const describeMariaDb = 'url' in server ? describe : describe.skip;

describeMariaDb(
  `test connection and save against the private MariaDB${'reason' in server ? ` (skipped: ${server.reason})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    let right: MysqlConfig;
    const restricted = `sb_nopriv_${Date.now().toString(36)}`;
    /** A user of its own with a real password, as an agency's server would have. */
    const owner = `sb_owner_${Date.now().toString(36)}`;
    const ownerPassword = 'Right-Pass-42';
    const serverUrl = 'url' in server ? server.url : '';

    beforeAll(async () => {
      scratch = await createScratchDatabase(serverUrl, 'sb_dbsettings');
      const admin = await createConnection(withDatabase(serverUrl, ''));
      try {
        for (const host of ['%', 'localhost']) {
          await admin.query(`CREATE USER '${owner}'@'${host}' IDENTIFIED BY '${ownerPassword}'`);
          await admin.query(`GRANT ALL ON \`${scratch.name}\`.* TO '${owner}'@'${host}'`);
        }
        await admin.query(`CREATE USER '${restricted}'@'%' IDENTIFIED BY 'pw-nopriv'`);
        await admin.query(`CREATE USER '${restricted}'@'localhost' IDENTIFIED BY 'pw-nopriv'`);
      } finally {
        await admin.end();
      }
      const base = parseDatabaseUrl(scratch.url) as MysqlConfig;
      right = { ...base, user: owner, password: ownerPassword };
    });
    afterAll(async () => {
      const admin = await createConnection(withDatabase(serverUrl, ''));
      try {
        await admin.query(`DROP USER IF EXISTS '${restricted}'@'%'`);
        await admin.query(`DROP USER IF EXISTS '${restricted}'@'localhost'`);
        await admin.query(`DROP USER IF EXISTS '${owner}'@'%'`);
        await admin.query(`DROP USER IF EXISTS '${owner}'@'localhost'`);
      } finally {
        await admin.end();
      }
      await scratch?.drop();
    });

    function service(secrets = new MemorySecretStore()) {
      const dir = dataDir();
      const defaultSqliteFile = join(dir, 'switchboard.db');
      const database = new DatabaseService({
        databaseUrl: undefined,
        env: {},
        defaultSqliteFile,
        logger: silentLogger(),
        onStatus: () => undefined,
      });
      return {
        dir,
        secrets,
        settings: new DatabaseSettingsService({
          dataDir: dir,
          defaultSqliteFile,
          database,
          secrets,
          logger: silentLogger(),
        }),
      };
    }
    const fields = (config: MysqlConfig, password: string) => ({
      dialect: 'mysql' as const,
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password,
    });
    it('says the right credentials work, by fields and by URL', async () => {
      const { settings } = service();
      const byFields = await settings.test(fields(right, right.password));
      expect(byFields).toMatchObject({ ok: true, code: null, hint: null });
      expect(byFields.message).toBe(
        `Connected to MySQL at ${right.host}:${right.port}/${right.database} as ${right.user}.`,
      );
      const url = new URL(scratch.url);
      url.username = owner;
      url.password = ownerPassword;
      expect(await settings.test({ dialect: 'mysql', url: url.toString() })).toMatchObject({ ok: true });
    });

    it('says in plain words what is wrong: password, database, privileges, server', async () => {
      const { settings } = service();
      const wrong = await settings.test(fields(right, 'not-the-password'));
      expect(wrong).toMatchObject({ ok: false, code: 'DB_AUTH' });
      expect(wrong.message).not.toContain('not-the-password');
      expect(`${wrong.message} ${wrong.hint}`).toMatch(/password/i);
      // A user who may see every database (the server's admin) learns that this one does not exist.
      const admin = parseDatabaseUrl(withDatabase(serverUrl, 'sb_no_such_database')) as MysqlConfig;
      const missing = await settings.test(fields(admin, admin.password));
      expect(missing).toMatchObject({ ok: false, code: 'DB_MISSING' });
      expect(missing.message).toContain('sb_no_such_database');
      const denied = await settings.test(fields({ ...right, user: restricted }, 'pw-nopriv'));
      expect(denied).toMatchObject({ ok: false, code: 'DB_PRIVILEGES' });
      const down = await settings.test(fields({ ...right, host: '127.0.0.1', port: 1 }, 'x'));
      expect(down).toMatchObject({ ok: false, code: 'DB_UNREACHABLE' });
    });

    it('saves a working choice with the password in the keychain only, and refuses a failing one', async () => {
      const { settings, dir, secrets } = service();
      const refused = await settings.save(fields(right, 'not-the-password'));
      expect(refused.saved).toBe(false);
      expect(refused.test.code).toBe('DB_AUTH');
      expect(readSavedDatabase(dir).saved).toBeNull();
      expect(await secrets.get('mysql-password')).toBeNull();

      const saved = await settings.save(fields(right, right.password));
      expect(saved).toMatchObject({ saved: true, test: { ok: true } });
      expect(saved.settings).toMatchObject({ restartNeeded: true, mysqlPassword: 'set' });
      expect(await secrets.get('mysql-password')).toBe(right.password);
      const file = readFileSync(join(dir, 'database.json'), 'utf8');
      expect(file).toContain(right.database);
      expect(file).not.toContain(ownerPassword);

      // Next start: the saved choice and the keychain's password open the server.
      const defaultSqliteFile = join(dir, 'switchboard.db');
      const statuses: string[] = [];
      const next = new DatabaseService({
        databaseUrl: undefined,
        env: {},
        defaultSqliteFile,
        logger: silentLogger(),
        onStatus: (status) => statuses.push(`${status.state}:${status.dialect}`),
        secrets,
        saved: savedToConfig(readSavedDatabase(dir).saved!, defaultSqliteFile),
      });
      await next.start();
      try {
        expect(statuses.at(-1)).toBe('ok:mysql');
        expect(next.source).toEqual({ kind: 'saved', setting: null });
      } finally {
        await next.dispose();
      }

      // A test without a typed password uses the stored one.
      expect(await settings.test({ ...fields(right, ''), password: undefined })).toMatchObject({ ok: true });
    });
  },
);
