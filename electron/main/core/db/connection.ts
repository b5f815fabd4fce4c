/**
 * Opens the database: embedded SQLite (libsql) or MySQL/MariaDB (mysql2), behind one Kysely type.
 *
 * Every driver failure that escapes a query (or the connection itself) is translated into a
 * plain-words `DatabaseError` at the driver boundary, so no caller ever sees an errno.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompiledQuery, Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import Libsql from 'libsql';
import { createPool } from 'mysql2';
import { describeTarget } from './config';
import type { DatabaseConfig, MysqlConfig, SqliteConfig } from './config';
import { specificsFor } from './dialect';
import type { DialectName, DialectSpecifics } from './dialect';
import { DatabaseError, toDatabaseError } from './errors';
import type { ErrorTarget } from './errors';
import type { DatabaseSchema } from './schema';
import { cachedStatements } from './sqlite-statements';
import type { WriteGate } from './write-gate';

/** An open database: the typed Kysely instance plus what repositories need to know about it. */
export interface Database {
  readonly dialect: DialectName;
  readonly specifics: DialectSpecifics;
  readonly kysely: Kysely<DatabaseSchema>;
  /** Where it is (file or host:port/db, never a password), for messages and logs. */
  readonly target: ErrorTarget;
  /** Closes the file or the pool; waits for queries in flight. */
  close(): Promise<void>;
}

/**
 * For two connections of this process to one SQLite file (the main thread's and the receiver thread's):
 * transactions take turns through `writeGate`, and WAL checkpoints, which run inside the commit that
 * crosses the threshold, are kept off the turn. `after-commits` (the main connection): no automatic
 * checkpoint, a passive one after every few transactions once the gate is released; `backstop` (the
 * other connection): automatic only past a far higher threshold, should the main connection stop.
 */
export interface SharingOptions {
  writeGate?: WriteGate;
  checkpoints?: 'after-commits' | 'backstop';
}

/** Transactions between two passive checkpoints of a main connection (`after-commits`)... */
const CHECKPOINT_EVERY_COMMITS = 64;
/**
 * ...or sooner, once its statements have written this many rows: transactions differ in size (ingest's hold up
 * to `INGEST_TRANSACTION_SIZE` deliveries, a few rows each), and the WAL grows with the rows, not the commits.
 * About as many as 64 of ingest's former transactions of 50 deliveries wrote, so the WAL grows no larger than it
 * could before (about 100 MB under a flood of messages), whatever the size of the transactions.
 */
export const CHECKPOINT_AFTER_ROWS = 10_000;

/** Whether a main connection checkpoints now, after so many commits and rows written since its last one. */
export function checkpointDue(commits: number, rows: number): boolean {
  return commits >= CHECKPOINT_EVERY_COMMITS || rows >= CHECKPOINT_AFTER_ROWS;
}

/** How long SQLite waits for another writer before reporting "busy". */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens and checks the database described by `config`.
 *
 * Resolves only once a first query has succeeded, so a wrong password or a read-only file is
 * reported here, in plain words (`DatabaseError`), not on the first user action.
 */
export async function openDatabase(config: DatabaseConfig, options: SharingOptions = {}): Promise<Database> {
  const target = describeTarget(config);
  const inner =
    config.dialect === 'sqlite' ? openSqlite(config, target, options.checkpoints) : mysqlDialect(config);
  const kysely = new Kysely<DatabaseSchema>({
    // MySQL has row locks and a pool: no turns to take there.
    dialect: new TranslatingDialect(
      inner,
      target,
      config.dialect === 'sqlite',
      config.dialect === 'sqlite' ? options : {},
    ),
  });
  const database: Database = {
    dialect: config.dialect,
    specifics: specificsFor(config.dialect),
    kysely,
    target,
    close: () => kysely.destroy(),
  };
  try {
    await kysely.executeQuery(CompiledQuery.raw('select 1'));
  } catch (error) {
    await kysely.destroy().catch(() => undefined);
    throw toDatabaseError(error, target);
  }
  return database;
}

/**
 * "Test connection" for the settings screen: opens, checks, closes.
 *
 * Never throws; the error is data, ready to cross to the renderer.
 */
export async function testConnection(
  config: DatabaseConfig,
): Promise<
  { ok: true } | { ok: false; error: { code: DatabaseError['code']; message: string; hint: string } }
> {
  try {
    const database = await openDatabase(config);
    await database.close();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: toDatabaseError(error, describeTarget(config)).toJSON() };
  }
}

function openSqlite(
  config: SqliteConfig,
  target: ErrorTarget,
  checkpoints: SharingOptions['checkpoints'],
): Dialect {
  let handle: Libsql.Database | undefined;
  try {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    handle = new Libsql(config.file);
    // Foreign keys are off by default in SQLite; the schema relies on them for cascades.
    handle.exec('pragma foreign_keys = on');
    handle.exec(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a
    // webhook we acknowledged must survive that (Instagram will not send it again).
    handle.exec('pragma synchronous = full');
    // SQLite's default page cache is 2 MB; with a million messages the (account, mid) index alone
    // is far larger, and every ingest probes it at a random place. 64 MB keeps the hot part cached.
    handle.exec('pragma cache_size = -65536');
    // Checkpoint every 10,000 WAL pages (~40 MB) instead of SQLite's 1,000. An ingest batch dirties
    // a few hundred scattered index pages, so the default checkpoints every third commit, inside
    // that commit, copying pages that the next batches dirty again. Less often, each hot page is
    // copied once per checkpoint. Durability is unchanged: with synchronous = full every commit is
    // on disk in the WAL before it returns; a checkpoint only moves committed pages into the file.
    // Measured with bench/db.bench.ts: about 30% less time per ingest batch. A connection shared with
    // another thread leaves checkpoints to the main connection, outside its turns (SharingOptions).
    const autocheckpoint =
      checkpoints === 'after-commits' ? 0 : checkpoints === 'backstop' ? 100_000 : 10_000;
    handle.exec(`pragma wal_autocheckpoint = ${autocheckpoint}`);
    // journal_mode answers with the mode it got; anything else than WAL means the folder is not
    // writable (WAL creates the -wal and -shm files next to the database).
    const journal = (
      handle.prepare('pragma journal_mode = wal').get() as { journal_mode?: string } | undefined
    )?.journal_mode;
    if (config.file !== ':memory:' && journal !== 'wal') {
      throw new DatabaseError(
        'DB_READONLY',
        `The database file ${config.file} cannot be written to (journal mode stayed "${journal ?? 'unknown'}").`,
        `Make the file and its folder writable by your user, or choose another location in the database file setting (currently ${config.file}).`,
      );
    }
    // A read-only file opens and reads fine and fails on the first write, which would otherwise
    // happen in the middle of storing a webhook. Probe with a write that is rolled back.
    handle.exec('begin');
    try {
      handle.exec('create table switchboard_write_probe (x integer)');
    } finally {
      handle.exec('rollback');
    }
  } catch (error) {
    handle?.close();
    throw toDatabaseError(error, target);
  }
  return new SqliteDialect({ database: cachedStatements(handle) });
}

function mysqlDialect(config: MysqlConfig): Dialect {
  const pool = createPool({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    // A desktop app needs few connections; several workstations share one server, so stay small.
    connectionLimit: config.connectionLimit ?? 10,
    maxIdle: 2,
    idleTimeout: 60_000,
    queueLimit: 1_000,
    waitForConnections: true,
    connectTimeout: config.connectTimeoutMs ?? 10_000,
    enableKeepAlive: true,
    // utf8mb4 on the wire too: a utf8 (3-byte) connection would mangle emoji before they reach the table.
    charset: 'UTF8MB4_UNICODE_CI',
    // Timestamps travel as UTC text and are parsed in dialect.ts: no driver-side time-zone
    // conversion, and the milliseconds of DATETIME(3) survive.
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    decimalNumbers: true,
    // Without FOUND_ROWS, "ON DUPLICATE KEY UPDATE k = k" reports 0 affected rows for an
    // existing key, which is how insert-if-absent tells a duplicate from an insert.
    flags: ['-FOUND_ROWS'],
    // mysql2 parses JSON columns itself (MariaDB's too, via extended metadata); SQLite hands back
    // text. Keep JSON as text so the repositories parse it the same way on both dialects.
    jsonStrings: true,
  });
  return new MysqlDialect({
    pool,
    onCreateConnection: async (connection) => {
      // Pin the session: UTC, and strict mode so an over-long value is an error, never a silent
      // truncation, whatever the server's defaults are.
      await connection.executeQuery(
        CompiledQuery.raw(
          "set time_zone = '+00:00', names utf8mb4 collate utf8mb4_unicode_ci, " +
            "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
        ),
      );
    },
  });
}

/** Wraps a dialect so every driver error becomes a `DatabaseError`. */
class TranslatingDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly target: ErrorTarget,
    private readonly beginImmediate: boolean,
    private readonly sharing: SharingOptions,
  ) {}

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  createDriver(): Driver {
    return new TranslatingDriver(this.inner.createDriver(), this.target, this.beginImmediate, this.sharing);
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

/** Statements that write, by the kind of Kysely's query node (raw SQL is DDL, pragmas and reads here). */
const WRITE_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

class TranslatingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly target: ErrorTarget,
    /** Set for a connection sharing its file: a write outside a transaction takes a turn too. */
    private readonly turn?: { gate: WriteGate; inTransaction: () => boolean },
    /** Told how many rows each write statement wrote (a main connection's checkpoint policy). */
    private readonly onRowsWritten?: (rows: number) => void,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const turn = this.turn;
    const write = WRITE_KINDS.has(compiledQuery.query.kind);
    const held = turn && !turn.inTransaction() && write ? await turn.gate.acquire() : false;
    try {
      const result = await this.inner.executeQuery<R>(compiledQuery);
      // A statement with `returning` reports its rows, one without reports how many it changed.
      if (write) this.onRowsWritten?.(Number(result.numAffectedRows ?? result.rows.length));
      return result;
    } catch (error) {
      throw toDatabaseError(error, this.target);
    } finally {
      if (held) turn?.gate.release();
    }
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

class TranslatingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly target: ErrorTarget,
    /**
     * SQLite: take the write lock when the transaction begins (`begin immediate`), waiting for it with the
     * busy timeout. A plain `begin` reads first and asks for the lock at its first write; if another
     * connection (the receiver thread's) committed in between, SQLite refuses at once with SQLITE_BUSY
     * instead of waiting, and the whole transaction fails.
     */
    private readonly beginImmediate: boolean,
    /** SQLite shared with another thread: see {@link SharingOptions}. */
    private readonly sharing: SharingOptions,
  ) {}

  /** Whether this driver's transaction in progress holds the gate. */
  private holdsGate = false;
  /** A transaction is open on the (single) SQLite connection: its statements already have the turn. */
  private inTransaction = false;
  private commitsSinceCheckpoint = 0;
  private rowsSinceCheckpoint = 0;

  /** The transaction ended (or never began): give the turn back if this driver had it. */
  private endTransaction(): void {
    this.inTransaction = false;
    if (!this.holdsGate) return;
    this.holdsGate = false;
    this.sharing.writeGate?.release();
  }

  /**
   * `after-commits`: a passive checkpoint never blocks the other connection's writes. It runs after the
   * commit has succeeded, so a failure here must not be reported as the transaction's: the next one retries,
   * and the other connection's backstop remains.
   */
  private async checkpointNow(connection: DatabaseConnection): Promise<void> {
    if (this.sharing.checkpoints !== 'after-commits') return;
    this.commitsSinceCheckpoint += 1;
    if (!checkpointDue(this.commitsSinceCheckpoint, this.rowsSinceCheckpoint)) return;
    this.commitsSinceCheckpoint = 0;
    this.rowsSinceCheckpoint = 0;
    await connection.executeQuery(CompiledQuery.raw('pragma wal_checkpoint(passive)')).catch(() => undefined);
  }

  private readonly countRows = (rows: number): void => {
    this.rowsSinceCheckpoint += rows;
  };

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toDatabaseError(error, this.target);
    }
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return connection instanceof TranslatingConnection ? connection.inner : connection;
  }

  init(): Promise<void> {
    return this.guard(() => this.inner.init());
  }

  acquireConnection(): Promise<DatabaseConnection> {
    const gate = this.sharing.writeGate;
    const turn = gate ? { gate, inTransaction: () => this.inTransaction } : undefined;
    return this.guard(
      async () =>
        new TranslatingConnection(
          await this.inner.acquireConnection(),
          this.target,
          turn,
          this.sharing.checkpoints === 'after-commits' ? this.countRows : undefined,
        ),
    );
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const inner = this.unwrap(connection);
    if (!this.beginImmediate) return this.guard(() => this.inner.beginTransaction(inner, settings));
    if (this.sharing.writeGate) this.holdsGate = await this.sharing.writeGate.acquire();
    try {
      await this.guard(async () => void (await inner.executeQuery(CompiledQuery.raw('begin immediate'))));
      this.inTransaction = true;
    } catch (error) {
      this.endTransaction();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.guard(() => this.inner.commitTransaction(this.unwrap(connection)));
    } finally {
      this.endTransaction();
    }
    await this.checkpointNow(this.unwrap(connection));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.guard(() => this.inner.rollbackTransaction(this.unwrap(connection)));
    } finally {
      this.endTransaction();
    }
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const inner = this.inner;
    if (!inner.savepoint) throw new Error('This dialect does not support savepoints');
    return this.guard(() => inner.savepoint!(this.unwrap(connection), name, compileQuery));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const inner = this.inner;
    if (!inner.rollbackToSavepoint) throw new Error('This dialect does not support savepoints');
    return this.guard(() => inner.rollbackToSavepoint!(this.unwrap(connection), name, compileQuery));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const inner = this.inner;
    if (!inner.releaseSavepoint) throw new Error('This dialect does not support savepoints');
    return this.guard(() => inner.releaseSavepoint!(this.unwrap(connection), name, compileQuery));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(this.unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
