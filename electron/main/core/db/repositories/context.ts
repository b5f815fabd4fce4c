/**
 * What every repository is built from, and the transaction helper they share.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectSpecifics } from '../dialect';
import { DatabaseError } from '../errors';
import type { DatabaseSchema } from '../schema';

/** A connection (or an open transaction) plus the dialect specifics and the clock. */
export interface RepositoryContext {
  readonly db: Kysely<DatabaseSchema>;
  readonly specifics: DialectSpecifics;
  /** The clock for created/updated times; injectable so tests can pin it. */
  readonly now: () => Date;
}

/**
 * Runs `work` in a transaction; joins the caller's transaction if one is already open, so
 * repository methods compose inside `Repositories.transaction`.
 */
export async function inTransaction<T>(
  context: RepositoryContext,
  work: (context: RepositoryContext) => Promise<T>,
): Promise<T> {
  if (context.db.isTransaction) return work(context);
  return context.db.transaction().execute((trx) => work({ ...context, db: trx }));
}

/** Savepoints open per transaction; the depth names them (`sb_savepoint_1` inside nothing, `_2` inside that…). */
const openSavepoints = new WeakMap<object, number>();

/** The three statements of the savepoint at one depth, compiled once (plain names, the same on both dialects). */
interface SavepointStatements {
  open: CompiledQuery;
  rollback: CompiledQuery;
  release: CompiledQuery;
}
const savepointStatements: SavepointStatements[] = [];

function statementsAt(depth: number): SavepointStatements {
  let statements = savepointStatements[depth];
  if (!statements) {
    const name = `sb_savepoint_${depth}`;
    statements = {
      open: CompiledQuery.raw(`savepoint ${name}`),
      rollback: CompiledQuery.raw(`rollback to savepoint ${name}`),
      release: CompiledQuery.raw(`release savepoint ${name}`),
    };
    savepointStatements[depth] = statements;
  }
  return statements;
}

/**
 * Runs `work` inside the caller's transaction behind a savepoint: when it throws, what it wrote is rolled
 * back and the error rethrown, while the rest of the transaction stands. Outside a transaction it is one.
 * `work` gets the caller's own context (the same transaction). SQLite and MariaDB spell savepoints the same
 * way. Names repeat from one savepoint to the next (a name per depth, not per savepoint) and the statements
 * are compiled once: a fresh name per evaluated message was a compile and a prepare each.
 */
export async function inSavepoint<T>(
  context: RepositoryContext,
  work: (context: RepositoryContext) => Promise<T>,
): Promise<T> {
  if (!context.db.isTransaction) return inTransaction(context, work);
  const depth = (openSavepoints.get(context.db) ?? 0) + 1;
  openSavepoints.set(context.db, depth);
  const statements = statementsAt(depth);
  try {
    await context.db.executeQuery(statements.open);
    let result: T;
    try {
      result = await work(context);
    } catch (error) {
      await context.db.executeQuery(statements.rollback);
      await context.db.executeQuery(statements.release);
      throw error;
    }
    await context.db.executeQuery(statements.release);
    return result;
  } finally {
    openSavepoints.set(context.db, depth - 1);
  }
}

/** The error for a record that is not there. */
export function notFound(what: string, id: string | number): DatabaseError {
  return new DatabaseError(
    'DB_NOT_FOUND',
    `The ${what} ${id} does not exist (it may have been removed).`,
    'Reload to see the current data.',
  );
}
