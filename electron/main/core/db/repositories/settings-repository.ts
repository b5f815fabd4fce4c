/**
 * Application-wide settings as JSON values under string keys. Never secrets: those live in the
 * OS keychain.
 */
import { asciiId, jsonValue, parseInput, toJsonText } from '../validation';
import type { JsonValue } from '../validation';
import type { RepositoryContext } from './context';
import { preparedQuery } from './prepared-query';

// Read for every new message (notification settings, among others).
const settingByKey = preparedQuery((db, key: string) =>
  db.selectFrom('settings').select('value').where('key', '=', key),
);

/** Reads and writes settings. */
export class SettingsRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** The value under `key`, or null when unset. */
  async get(key: string): Promise<JsonValue | null> {
    const row = await settingByKey.first(this.context, key);
    return row ? (JSON.parse(row.value) as JsonValue) : null;
  }

  /** Every setting. */
  async getAll(): Promise<Record<string, JsonValue>> {
    const rows = await this.context.db
      .selectFrom('settings')
      .select(['key', 'value'])
      .orderBy('key')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as JsonValue]));
  }

  /** Sets `key` to `value` (insert or overwrite). */
  async set(key: string, value: JsonValue): Promise<void> {
    const checkedKey = parseInput(asciiId(191), key, 'setting key');
    const json = toJsonText(parseInput(jsonValue, value, 'setting value'), 'setting value');
    const { db, specifics } = this.context;
    await specifics
      .upsert(
        db
          .insertInto('settings')
          .values({ key: checkedKey, value: json, updated_at: specifics.time(this.context.now()) }),
        ['key'],
        ['value', 'updated_at'],
      )
      .execute();
  }

  /** Removes `key`; true if it existed. */
  async delete(key: string): Promise<boolean> {
    const result = await this.context.db.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
