/**
 * Settings → Database: what is in use and why, a connection test, and saving a new choice.
 *
 * Switching takes effect at the next start, not live: the services opened on the current database
 * (ingest and the outbox with their commit sizes chosen per dialect, the outbox's pacing seeded from it, the key check)
 * would all have to stop and start again mid-flight, and a half-switched app is worse than a restart.
 * The view says so plainly (`restartNeeded`).
 */
import type { DatabaseSettings, DatabaseTarget, DatabaseTest } from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { DatabaseService } from '../database-service';
import {
  DatabaseError,
  describeTarget,
  parseDatabaseUrl,
  testConnection,
  type DatabaseConfig,
  type DatabaseSource,
} from '../db';
import type { Logger } from '../lib/logger';
import type { SecretStore } from '../secrets';
import { readSavedDatabase, savedToConfig, writeSavedDatabase, type SavedDatabase } from './saved-database';

/** Plain words for where the choice came from. */
export function explainSource(source: DatabaseSource): string {
  switch (source.kind) {
    case 'flag':
      return `set by ${source.setting ?? '--database'} on the command line`;
    case 'environment':
      return `set by ${source.setting ?? 'a variable'} in the environment`;
    case 'saved':
      return 'saved in Settings';
    default:
      return 'the default: the embedded database in the data folder';
  }
}

function sameDatabase(a: DatabaseConfig, b: DatabaseConfig): boolean {
  if (a.dialect === 'sqlite') return b.dialect === 'sqlite' && a.file === b.file;
  if (b.dialect === 'sqlite') return false;
  return a.host === b.host && a.port === b.port && a.database === b.database && a.user === b.user;
}

/** A target as a configuration to test, what to save, and a password to store (null: keep the stored one). */
interface Resolved {
  config: DatabaseConfig;
  saved: SavedDatabase;
  newPassword: string | null;
}

export class DatabaseSettingsService {
  constructor(
    private readonly deps: {
      dataDir: string;
      defaultSqliteFile: string;
      database: DatabaseService;
      secrets: SecretStore;
      logger: Logger;
    },
  ) {}

  async get(): Promise<DatabaseSettings> {
    const { database, dataDir, defaultSqliteFile } = this.deps;
    const active = database.activeConfig;
    const { saved, problem } = readSavedDatabase(dataDir);
    const decides = database.source.kind === 'saved' || database.source.kind === 'default';
    const savedConfig = saved ? savedToConfig(saved, defaultSqliteFile) : null;
    return {
      active: active
        ? {
            dialect: active.dialect,
            file: active.dialect === 'sqlite' ? active.file : null,
            mysql:
              active.dialect === 'mysql'
                ? { host: active.host, port: active.port, database: active.database, user: active.user }
                : null,
          }
        : null,
      source: { ...database.source, explanation: explainSource(database.source) },
      saved,
      savedProblem: problem,
      restartNeeded: decides && savedConfig !== null && (!active || !sameDatabase(savedConfig, active)),
      mysqlPassword: await this.passwordState(),
      defaultSqliteFile,
    };
  }

  async test(target: DatabaseTarget): Promise<DatabaseTest> {
    return this.run((await this.resolve(target)).config);
  }

  async save(
    target: DatabaseTarget,
  ): Promise<{ saved: boolean; test: DatabaseTest; settings: DatabaseSettings }> {
    const resolved = await this.resolve(target);
    const test = await this.run(resolved.config);
    if (!test.ok) return { saved: false, test, settings: await this.get() };
    if (resolved.newPassword !== null) {
      try {
        await this.deps.secrets.set('mysql-password', resolved.newPassword);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError(
          'UNAVAILABLE',
          `The MySQL password could not be stored in the OS keychain, so nothing was saved: ${reason}`,
        );
      }
    }
    writeSavedDatabase(this.deps.dataDir, resolved.saved);
    this.deps.logger.info({ target: describeTarget(resolved.config) }, 'database choice saved in Settings');
    return { saved: true, test, settings: await this.get() };
  }

  private async run(config: DatabaseConfig): Promise<DatabaseTest> {
    const result = await testConnection(config);
    if (!result.ok) return { ok: false, ...result.error };
    const where = describeTarget(config).where;
    return {
      ok: true,
      code: null,
      message:
        config.dialect === 'sqlite'
          ? `The embedded database works: ${where}.`
          : `Connected to MySQL at ${where} as ${config.user || '(no user)'}.`,
      hint: null,
    };
  }

  private async resolve(target: DatabaseTarget): Promise<Resolved> {
    if (target.dialect === 'sqlite')
      return {
        config: { dialect: 'sqlite', file: this.deps.defaultSqliteFile },
        saved: { dialect: 'sqlite' },
        newPassword: null,
      };
    let fields: { host: string; port: number; database: string; user: string; password: string };
    if (target.url?.trim()) {
      let parsed: DatabaseConfig;
      try {
        parsed = parseDatabaseUrl(target.url);
      } catch (error) {
        const message = error instanceof DatabaseError ? `${error.message} ${error.hint}` : 'Check the URL.';
        throw new ApiError('INVALID_INPUT', message, [{ path: 'target.url', message }]);
      }
      if (parsed.dialect !== 'mysql') {
        const message = 'This URL names an SQLite file; choose the embedded database instead.';
        throw new ApiError('INVALID_INPUT', message, [{ path: 'target.url', message }]);
      }
      fields = parsed;
    } else {
      fields = {
        host: (target.host ?? '').trim(),
        port: target.port ?? 3306,
        database: (target.database ?? '').trim(),
        user: (target.user ?? '').trim(),
        password: '',
      };
    }
    const typed = fields.password || target.password || '';
    const password = typed || (await this.storedPassword());
    const { host, port, database, user } = fields;
    return {
      config: { dialect: 'mysql', host, port, database, user, password },
      saved: { dialect: 'mysql', host, port, database, user },
      newPassword: typed ? typed : null,
    };
  }

  private async storedPassword(): Promise<string> {
    try {
      return (await this.deps.secrets.get('mysql-password')) ?? '';
    } catch {
      return '';
    }
  }

  private async passwordState(): Promise<DatabaseSettings['mysqlPassword']> {
    try {
      return (await this.deps.secrets.get('mysql-password')) ? 'set' : 'missing';
    } catch {
      return 'unavailable';
    }
  }
}
