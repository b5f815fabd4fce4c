/**
 * `preparedQuery`: a hot query compiled once per dialect runs with each call's values in their places, keeps the
 * values the builder fixed, works inside transactions, and refuses a builder that uses an argument for its shape.
 */
import { expect, it } from 'vitest';
import { preparedQuery } from '../../electron/main/core/db/repositories/prepared-query';
import type { RepositoryContext } from '../../electron/main/core/db/repositories/context';
import { forEachDialect } from '../support/databases';

const settingsBetween = preparedQuery((db, prefix: string, after: string, limit: number) =>
  db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'like', prefix)
    .where('key', '>', after)
    .where('key', '<>', 'prepared.fixed-out')
    .orderBy('key')
    .limit(limit),
);
const setValue = preparedQuery((db, value: string, key: string) =>
  db.updateTable('settings').set({ value }).where('key', '=', key),
);

forEachDialect('prepared queries', (db) => {
  const context = (): RepositoryContext => ({
    db: db().database.kysely,
    specifics: db().database.specifics,
    now: () => new Date(),
  });

  it('runs with each call’s values, keeping the values the builder fixed', async () => {
    const { repos } = db();
    for (const key of ['prepared.a', 'prepared.b', 'prepared.c', 'prepared.fixed-out'])
      await repos.settings.set(key, key);
    const keys = async (after: string, limit: number) =>
      (await settingsBetween.all(context(), 'prepared.%', after, limit)).map((row) => row.key);
    expect(await keys('', 10)).toEqual(['prepared.a', 'prepared.b', 'prepared.c']);
    expect(await keys('prepared.a', 1)).toEqual(['prepared.b']);
    expect(await settingsBetween.first(context(), 'nothing.%', '', 5)).toBeUndefined();
    const result = await setValue.run(context(), JSON.stringify('changed'), 'prepared.b');
    expect(Number(result.numAffectedRows)).toBe(1);
    expect(await repos.settings.get('prepared.b')).toBe('changed');
    expect(Number((await setValue.run(context(), '"x"', 'prepared.none')).numAffectedRows)).toBe(0);
  });

  it('runs inside a transaction and rolls back with it', async () => {
    const { repos } = db();
    await repos.settings.set('prepared.tx', 'before');
    await db()
      .database.kysely.transaction()
      .execute(async (trx) => {
        await setValue.run({ ...context(), db: trx }, JSON.stringify('inside'), 'prepared.tx');
        expect((await settingsBetween.first({ ...context(), db: trx }, 'prepared.tx', '', 1))?.value).toBe(
          JSON.stringify('inside'),
        );
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await repos.settings.get('prepared.tx')).toBe('before');
  });

  it('refuses a builder whose argument is not a value of the query', async () => {
    const misuse = preparedQuery((db, column: 'key' | 'value') =>
      db.selectFrom('settings').select(column === 'key' ? 'key' : 'value'),
    );
    await expect(misuse.all(context(), 'key')).rejects.toThrow(/argument 1 is not a value of the query/);
  });
});
