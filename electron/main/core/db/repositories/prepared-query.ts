/**
 * Hot queries of a fixed shape, built and compiled by Kysely once per dialect, then run with each call's values.
 *
 * Building a Kysely query and compiling it to SQL takes more JavaScript than SQLite needs to run a primary-key
 * lookup, and ingest runs a dozen such lookups per webhook delivery. When only the values change, the SQL text
 * and the place of each value among the parameters are the same every time: `preparedQuery` builds the query
 * with placeholders, keeps the text and that layout, and fills in the values on each call.
 *
 * Only for builders that put their arguments straight into value positions (`where('id', '=', id)`,
 * `.limit(n)`, `.values({ … })`): an argument that decides the shape (a list for `in`, an `if`) is misuse,
 * and a placeholder that does not reach the parameters is refused when the query is first compiled.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { DialectName } from '../dialect';
import type { DatabaseSchema } from '../schema';
import type { RepositoryContext } from './context';

/** Stands for the argument at `index` while the query is compiled. */
class Placeholder {
  constructor(readonly index: number) {}
}

/** A parameter: the call's argument at an index, or a value the builder fixed. */
type Slot = { argument: number } | { fixed: unknown };

interface Compiled {
  sql: string;
  slots: Slot[];
}

/** A query compiled once per dialect; run it with this call's values. */
export interface PreparedQuery<A extends readonly unknown[], R> {
  /** Every row. */
  all(context: RepositoryContext, ...args: A): Promise<R[]>;
  /** The first row, or undefined. */
  first(context: RepositoryContext, ...args: A): Promise<R | undefined>;
  /** The raw result (affected rows, insert id) of a write. */
  run(context: RepositoryContext, ...args: A): Promise<QueryResult<R>>;
}

/**
 * Compiles `build` once per dialect (its arguments replaced by placeholders) and runs the SQL with each call's
 * arguments in their places. `build` must declare every argument it uses (they are counted by its `length`);
 * `DB` may add tables to the schema (see `ruleTables`).
 */
export function preparedQuery<A extends readonly unknown[], R, DB = DatabaseSchema>(
  build: (db: Kysely<DB>, ...args: A) => Compilable<R>,
): PreparedQuery<A, R> {
  const compiled = new Map<DialectName, Compiled>();
  const arity = build.length - 1;

  const compile = (context: RepositoryContext): Compiled => {
    let entry = compiled.get(context.specifics.name);
    if (entry) return entry;
    const placeholders = Array.from({ length: arity }, (_, index) => new Placeholder(index));
    // `DB` only widens the table types (as `withTables` does); the connection is the context's.
    const query = build(context.db as unknown as Kysely<DB>, ...(placeholders as unknown as A)).compile();
    const slots: Slot[] = query.parameters.map((value) =>
      value instanceof Placeholder ? { argument: value.index } : { fixed: value },
    );
    for (const placeholder of placeholders) {
      if (!query.parameters.includes(placeholder))
        throw new Error(
          `preparedQuery: argument ${placeholder.index + 1} is not a value of the query (${query.sql})`,
        );
    }
    entry = { sql: query.sql, slots };
    compiled.set(context.specifics.name, entry);
    return entry;
  };

  const run = (context: RepositoryContext, args: A): Promise<QueryResult<R>> => {
    const { sql, slots } = compile(context);
    const parameters = slots.map((slot) => ('argument' in slot ? args[slot.argument] : slot.fixed));
    return context.db.executeQuery<R>(CompiledQuery.raw(sql, parameters));
  };

  return {
    all: async (context, ...args) => (await run(context, args)).rows,
    first: async (context, ...args) => (await run(context, args)).rows[0],
    run: (context, ...args) => run(context, args),
  };
}
