import type { AppStatus } from '../../../shared/contract';
import { ApiError } from './api/api-error';
import {
  createRepositories,
  DatabaseError,
  describeTarget,
  migrateToLatest,
  openDatabase,
  resolveDatabaseChoice,
  toDatabaseError,
  type Database,
  type DatabaseConfig,
  type DatabaseSource,
  type Repositories,
} from './db';
import { WriteGate } from './db/write-gate';
import type { Disposable } from './lib/lifecycle';
import type { Logger } from './lib/logger';
import type { SecretStore } from './secrets';

/** Failures that may heal by themselves (server restarting, network back): retried with backoff. */
const transientCodes = new Set<DatabaseError['code']>(['DB_UNREACHABLE', 'DB_BUSY']);
const firstRetryMs = 2_000;
const maxRetryMs = 60_000;
/** How long a start waits for the keychain's MySQL password before connecting without it. */
const keychainWaitMs = 15_000;

type DatabaseStatus = AppStatus['database'];

/**
 * Owns the connection: opens and migrates at start, reports its health as plain words, reconnects with
 * backoff while the server is unreachable, and hands out repositories only when the database is usable.
 *
 * A database that cannot be used never stops the app: the status bar and the "database needs attention"
 * screen say what is wrong and which setting to fix.
 */
export class DatabaseService implements Disposable {
  private database: Database | undefined;
  private repos: Repositories | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = firstRetryMs;
  private disposed = false;
  private readonly config: DatabaseConfig | DatabaseError;
  /** Which setting chose the database (a flag, a variable, the choice saved in Settings, the default). */
  readonly source: DatabaseSource;

  constructor(
    private readonly options: {
      databaseUrl: string | undefined;
      env: NodeJS.ProcessEnv;
      defaultSqliteFile: string;
      logger: Logger;
      onStatus: (status: DatabaseStatus) => void;
      /** Where the MySQL password is read from when the configuration gives none (keychain `mysql-password`). */
      secrets?: SecretStore;
      /** The flag or variable `databaseUrl` came from; default `--database`. */
      databaseUrlSetting?: string;
      /** The choice saved in Settings; flags and environment variables win over it. */
      saved?: DatabaseConfig | null;
    },
  ) {
    let source: DatabaseSource = { kind: 'default', setting: null };
    try {
      const choice = resolveDatabaseChoice({
        url: options.databaseUrl,
        urlSetting: options.databaseUrlSetting,
        env: options.env,
        defaultSqliteFile: options.defaultSqliteFile,
        saved: options.saved ?? null,
      });
      this.config = choice.config;
      source = choice.source;
    } catch (error) {
      this.config = toDatabaseError(error, { dialect: 'sqlite', where: options.databaseUrl ?? '(settings)' });
    }
    this.source = source;
  }

  /**
   * Shared with the receiver thread's connection to the same SQLite file: write transactions take turns
   * without sleeping (see db/write-gate.ts). Unused on MySQL.
   */
  readonly writeGate = new WriteGate();

  /**
   * The configuration with its password (from the keychain when it is kept there), for a second connection
   * of this process (the receiver thread); null when it could not be read. Never log it.
   */
  async connectionConfig(): Promise<DatabaseConfig | null> {
    if (this.config instanceof DatabaseError) return null;
    return this.withKeychainPassword(this.config);
  }

  /** The configuration in use, without its password; null when it could not be read. */
  get activeConfig(): DatabaseConfig | null {
    if (this.config instanceof DatabaseError) return null;
    return this.config.dialect === 'mysql' ? { ...this.config, password: '' } : this.config;
  }

  /** The status before the first attempt finishes. */
  initialStatus(): DatabaseStatus {
    return { state: 'starting', ...this.describe() };
  }

  /** First attempt; never throws. Later attempts run on their own while the failure is transient. */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** Repositories over the open database; a clear UNAVAILABLE error while it cannot be used. */
  get repositories(): Repositories {
    if (!this.repos) {
      throw new ApiError(
        'UNAVAILABLE',
        'The database is not available right now. See the status bar for why.',
      );
    }
    return this.repos;
  }

  get isReady(): boolean {
    return this.repos !== undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    const database = this.database;
    this.database = undefined;
    this.repos = undefined;
    await database?.close();
  }

  private describe(): Pick<DatabaseStatus, 'dialect' | 'location'> {
    if (this.config instanceof DatabaseError) return { dialect: 'sqlite', location: 'not configured' };
    const target = describeTarget(this.config);
    return { dialect: target.dialect, location: target.where };
  }

  private async attempt(): Promise<void> {
    if (this.disposed) return;
    if (this.config instanceof DatabaseError) {
      this.report(this.config);
      return;
    }
    let database: Database | undefined;
    try {
      database = await openDatabase(await this.withKeychainPassword(this.config), {
        writeGate: this.writeGate,
        checkpoints: 'after-commits',
      });
      const report = await migrateToLatest(database);
      if (this.disposed) {
        await database.close();
        return;
      }
      this.database = database;
      this.repos = createRepositories(database);
      this.retryDelay = firstRetryMs;
      this.options.logger.info({ applied: report.applied, target: database.target }, 'database ready');
      this.options.onStatus({ state: 'ok', ...this.describe() });
    } catch (error) {
      await database?.close().catch(() => {});
      const failure =
        error instanceof DatabaseError ? error : toDatabaseError(error, describeTarget(this.config));
      this.report(failure);
      if (transientCodes.has(failure.code) && !this.disposed) {
        this.retryTimer = setTimeout(() => void this.attempt(), this.retryDelay);
        this.retryTimer.unref();
        this.retryDelay = Math.min(this.retryDelay * 2, maxRetryMs);
      }
    }
  }

  /**
   * A MySQL configuration with an empty password takes the keychain's `mysql-password` when there is one.
   * A keychain that cannot be read never stops the app: it is logged and the configuration is used as it is.
   */
  private async withKeychainPassword(config: DatabaseConfig): Promise<DatabaseConfig> {
    if (config.dialect !== 'mysql' || config.password !== '' || !this.options.secrets) return config;
    try {
      // A keychain waiting on a prompt nobody sees must not hold the database back for long.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the keychain did not answer in time')), keychainWaitMs);
        timer.unref();
      });
      const password = await Promise.race([this.options.secrets.get('mysql-password'), timeout]).finally(() =>
        clearTimeout(timer),
      );
      return password ? { ...config, password } : config;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(
        `the MySQL password could not be read from the keychain; connecting without one: ${reason}`,
      );
      return config;
    }
  }

  private report(failure: DatabaseError): void {
    this.options.logger.error(
      { code: failure.code, detail: failure.detail, migration: failure.migrationName },
      `database unavailable: ${failure.message}`,
    );
    this.options.onStatus({
      state: transientCodes.has(failure.code) ? 'unreachable' : 'needs_attention',
      ...this.describe(),
      message: `${failure.message} ${failure.hint}`.trim(),
    });
  }
}
