/**
 * Everything that differs between SQLite and MySQL/MariaDB, in one place.
 *
 * Repositories build portable Kysely queries and call into this module for the few things that
 * are spelled differently: upserts, insert-if-absent, row locks, and how timestamps, booleans and
 * JSON are stored. Nothing outside this file (and the migrations, which are frozen) branches on
 * the dialect.
 */
import { sql } from 'kysely';
import type { InsertQueryBuilder, Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';

/** The two supported dialects. */
export type DialectName = 'sqlite' | 'mysql';

/** The dialect-specific operations repositories need. */
export interface DialectSpecifics {
  readonly name: DialectName;
  /**
   * Whether `INSERT … RETURNING` is available. On SQLite an insert-if-absent with RETURNING hands
   * back exactly the rows it stored (a conflicting row is skipped and not returned), which saves
   * the lookups before and after the insert. MySQL has no RETURNING (MariaDB's cannot be relied on
   * while MySQL servers are supported), so callers look the keys up instead.
   */
  readonly insertReturning: boolean;
  /**
   * Whether a batch of keyed updates is cheaper as one prepared statement per row than as one
   * `updateFromRows`. SQLite runs in-process, so a statement costs no round trip, and a prepared
   * primary-key update took 27 µs a row against 65 µs for `UPDATE … FROM (VALUES …)` (1M-message
   * benchmark database). MariaDB pays a round trip per statement, so it takes the one statement.
   */
  readonly updatesRowByRow: boolean;
  /** A JS instant as the column stores it (epoch ms on SQLite, `YYYY-MM-DD HH:MM:SS.mmm` UTC on MariaDB). */
  time(value: Date): number | string;
  /** Nullable `time()`. */
  timeOrNull(value: Date | null | undefined): number | string | null;
  /** A stored instant back as a `Date`, identical on both dialects. */
  readTime(value: number | string | Date): Date;
  /** Nullable `readTime()`. */
  readTimeOrNull(value: number | string | Date | null): Date | null;
  /** A stored 0/1 back as a boolean (mysql2 returns TINYINT(1) as a number). */
  readBool(value: number | boolean): boolean;
  /**
   * Insert-or-update on a unique key: on conflict, overwrite `update` columns with the values the
   * insert proposed (SQLite `ON CONFLICT … DO UPDATE SET c = excluded.c`, MariaDB
   * `ON DUPLICATE KEY UPDATE c = VALUES(c)`).
   */
  upsert<DB, TB extends keyof DB, O>(
    query: InsertQueryBuilder<DB, TB, O>,
    conflict: readonly string[],
    update: readonly string[],
  ): InsertQueryBuilder<DB, TB, O>;
  /**
   * Insert-or-add on a unique key (counters): on conflict, add the proposed values of the `add` columns to the
   * stored ones and overwrite the `update` columns, in one statement (SQLite `DO UPDATE SET c = c + excluded.c`,
   * MariaDB `ON DUPLICATE KEY UPDATE c = c + VALUES(c)`).
   */
  upsertAdding<DB, TB extends keyof DB, O>(
    query: InsertQueryBuilder<DB, TB, O>,
    conflict: readonly string[],
    add: readonly string[],
    update: readonly string[],
  ): InsertQueryBuilder<DB, TB, O>;
  /**
   * Insert unless a row with the same unique key exists; the existing row is left untouched.
   * `numInsertedOrUpdatedRows` is 1 when inserted, 0 when the key already existed.
   */
  insertIfAbsent<DB, TB extends keyof DB, O>(
    query: InsertQueryBuilder<DB, TB, O>,
    conflict: readonly string[],
    keyColumn: string,
  ): InsertQueryBuilder<DB, TB, O>;
  /**
   * One UPDATE that gives each target row its own values: `rows` become a derived table `d` whose
   * columns are named by `columns`; the target row whose `key` equals a row's first value is
   * updated with `assignments` (`col = expr, …`, reading the values as `d.<name>`). SQLite:
   * `UPDATE … FROM (VALUES …)`; MySQL: `UPDATE … JOIN (SELECT … UNION ALL SELECT …)`. Both look
   * each target up by its key. Keys must be unique within `rows`. MySQL does not promise to apply
   * a multi-table UPDATE's assignments left to right, so no assignment may depend on another.
   */
  updateFromRows(
    table: string,
    key: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
    assignments: RawBuilder<unknown>,
  ): RawBuilder<unknown>;
  /**
   * Runs `write` (one statement outside a transaction) so that it survives a crash of the process but not
   * necessarily a power loss: SQLite in WAL mode at `synchronous = normal` for that statement (no wait for
   * the disk), on the connection held meanwhile so nothing else commits at that setting. For bookkeeping
   * that a power loss may lose at little cost; never for data received or sent. MariaDB: as is.
   */
  withoutFlush<DB>(db: Kysely<DB>, write: (db: Kysely<DB>) => Promise<unknown>): Promise<void>;
  /**
   * Lock the selected rows until the transaction ends (`FOR UPDATE` on MariaDB). SQLite has one
   * writer at a time and Kysely serialises the connection, so a write transaction is already exclusive.
   */
  lockForUpdate<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `Date` → `YYYY-MM-DD HH:MM:SS.mmm` in UTC, the literal DATETIME(3) accepts regardless of session time zone. */
function toMysqlDatetime(value: Date): string {
  return (
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
    `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}.${pad(value.getUTCMilliseconds(), 3)}`
  );
}

function readTimeShared(value: number | string | Date): Date {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'number') return new Date(value);
  // mysql2 is configured with dateStrings, so DATETIME(3) arrives as text in UTC (the pool's timezone).
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value))
    return new Date(`${value.replace(' ', 'T')}Z`);
  // SQLite aggregates (e.g. MAX) of INTEGER columns can come back as numeric text.
  if (/^-?\d+$/.test(value)) return new Date(Number(value));
  return new Date(value);
}

const shared = {
  timeOrNull(this: DialectSpecifics, value: Date | null | undefined): number | string | null {
    return value == null ? null : this.time(value);
  },
  readTime: readTimeShared,
  readTimeOrNull(value: number | string | Date | null): Date | null {
    return value === null ? null : readTimeShared(value);
  },
  readBool(value: number | boolean): boolean {
    return value === true || value === 1;
  },
};

// Kysely's builder types are parameterised by the table being inserted into; the helpers below
// work on any table, so the update objects are built untyped and handed back as the caller's type.
type AnyUpdate = Parameters<
  InsertQueryBuilder<Record<string, Record<string, unknown>>, string, unknown>['onDuplicateKeyUpdate']
>[0];

/** SQLite (libsql): `ON CONFLICT … DO UPDATE / DO NOTHING`, no row locks. */
export const sqliteSpecifics: DialectSpecifics = {
  name: 'sqlite',
  insertReturning: true,
  updatesRowByRow: true,
  ...shared,
  async withoutFlush(db, write) {
    // Inside a transaction the commit decides, and a pragma there would be the transaction's business.
    if (db.isTransaction) return void (await write(db));
    await db.connection().execute(async (connection) => {
      await sql`pragma synchronous = normal`.execute(connection);
      try {
        await write(connection);
      } finally {
        await sql`pragma synchronous = full`.execute(connection);
      }
    });
  },
  time: (value) => value.getTime(),
  upsert(query, conflict, update) {
    return query.onConflict((oc) => {
      const target = oc.columns(conflict as never);
      if (update.length === 0) return target.doNothing();
      const set = Object.fromEntries(update.map((column) => [column, sql`excluded.${sql.ref(column)}`]));
      return target.doUpdateSet(set as never);
    });
  },
  upsertAdding(query, conflict, add, update) {
    const set = Object.fromEntries<RawBuilder<unknown>>([
      ...add.map((column) => [column, sql`${sql.ref(column)} + excluded.${sql.ref(column)}`] as const),
      ...update.map((column) => [column, sql`excluded.${sql.ref(column)}`] as const),
    ]);
    return query.onConflict((oc) => oc.columns(conflict as never).doUpdateSet(set as never));
  },
  insertIfAbsent(query, conflict) {
    return query.onConflict((oc) => oc.columns(conflict as never).doNothing());
  },
  updateFromRows(table, key, columns, rows, assignments) {
    // VALUES names its columns column1, column2, …; the inner select gives them their names.
    const named = sql.join(
      columns.map((column, i) => sql`${sql.ref(`column${i + 1}`)} as ${sql.ref(column)}`),
    );
    const values = sql.join(rows.map((row) => sql`(${sql.join(row)})`));
    return sql`update ${sql.table(table)} set ${assignments} from (select ${named} from (values ${values})) as d where ${sql.ref(`${table}.${key}`)} = ${sql.ref(`d.${columns[0] ?? key}`)}`;
  },
  lockForUpdate: (query) => query,
};

/** MySQL / MariaDB: `ON DUPLICATE KEY UPDATE c = VALUES(c)` (MariaDB has no row alias), `FOR UPDATE`. */
export const mysqlSpecifics: DialectSpecifics = {
  name: 'mysql',
  insertReturning: false,
  updatesRowByRow: false,
  ...shared,
  async withoutFlush(db, write) {
    await write(db);
  },
  time: toMysqlDatetime,
  upsert(query, _conflict, update) {
    // MySQL picks the conflicting unique key itself; `_conflict` only matters when nothing is updated.
    // With nothing to update, assigning a key column to itself turns the upsert into a no-op.
    const set: AnyUpdate =
      update.length > 0
        ? Object.fromEntries(update.map((column) => [column, sql`VALUES(${sql.ref(column)})`]))
        : { [_conflict[0] ?? 'id']: sql.ref(_conflict[0] ?? 'id') };
    return query.onDuplicateKeyUpdate(set as never);
  },
  upsertAdding(query, _conflict, add, update) {
    const set = Object.fromEntries<RawBuilder<unknown>>([
      ...add.map((column) => [column, sql`${sql.ref(column)} + VALUES(${sql.ref(column)})`] as const),
      ...update.map((column) => [column, sql`VALUES(${sql.ref(column)})`] as const),
    ]);
    return query.onDuplicateKeyUpdate(set as never);
  },
  insertIfAbsent(query, _conflict, keyColumn) {
    // Not INSERT IGNORE: that also downgrades truncation and bad values to warnings. Assigning the
    // key to itself is a no-op that reports 0 affected rows (the pool disables FOUND_ROWS).
    return query.onDuplicateKeyUpdate({ [keyColumn]: sql.ref(keyColumn) } as never);
  },
  updateFromRows(table, key, columns, rows, assignments) {
    // UNION ALL of one-row selects: MySQL 8 spells a row constructor VALUES ROW(…), MariaDB
    // VALUES (…); a select works on both. The first select names the columns.
    const selects = rows.map((row, r) =>
      r === 0
        ? sql`select ${sql.join(row.map((value, i) => sql`${value} as ${sql.ref(columns[i] ?? `c${i}`)}`))}`
        : sql`select ${sql.join(row)}`,
    );
    return sql`update ${sql.table(table)} join (${sql.join(selects, sql` union all `)}) as d on ${sql.ref(`d.${columns[0] ?? key}`)} = ${sql.ref(`${table}.${key}`)} set ${assignments}`;
  },
  lockForUpdate: (query) => query.forUpdate(),
};

/** The specifics for a dialect name. */
export function specificsFor(name: DialectName): DialectSpecifics {
  return name === 'sqlite' ? sqliteSpecifics : mysqlSpecifics;
}
