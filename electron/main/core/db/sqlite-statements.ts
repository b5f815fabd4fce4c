/**
 * A prepared-statement cache in front of libsql for Kysely's SQLite driver.
 *
 * Kysely prepares every query it runs (`db.prepare(sql)` per execution) and libsql does not cache: preparing
 * took about a fifth of the receiver's CPU under load (profiled with `--cpu-prof` during
 * `npm run bench -- webhook`). Kysely compiles the same builder to the same SQL text with parameters apart,
 * so a small LRU keyed by SQL text serves nearly every query from the cache. Safe because SQLite runs
 * synchronously here: a statement finishes (`all` reads every row, `run` completes) before the next
 * query can reuse it, and SQLite re-prepares a cached statement by itself after a schema change.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type Libsql from 'libsql';

/** Distinct SQL texts kept prepared. Queries with `in (…)` lists of varying length make a few variants each. */
const DEFAULT_CAPACITY = 512;

export function cachedStatements(handle: Libsql.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        // Map keeps insertion order: re-inserting marks the entry as most recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = handle.prepare(sql);
      // `reader` is a native call on every access; it cannot change for a prepared text.
      const prepared: SqliteStatement = {
        reader: statement.reader,
        all: (parameters) => statement.all(parameters),
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => statement.iterate(parameters),
      };
      cache.set(sql, prepared);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return prepared;
    },
    close() {
      cache.clear();
      handle.close();
    },
  };
}
