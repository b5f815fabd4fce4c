import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../electron/main/core/db/connection';
import type { Database } from '../../electron/main/core/db/connection';
import type { MysqlConfig } from '../../electron/main/core/db/config';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createScratchConfig, mysqlServer } from '../support/databases';
import type { ScratchConfig } from '../support/databases';

const server = mysqlServer();

interface ColumnInfo {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  COLUMN_TYPE: string;
  DATA_TYPE: string;
  CHARACTER_SET_NAME: string | null;
  COLLATION_NAME: string | null;
}

describe.skipIf('reason' in server)('MariaDB schema, read from information_schema', () => {
  let scratch: ScratchConfig;
  let database: Database;
  let columns: ColumnInfo[];
  const column = (table: string, name: string) =>
    columns.find((c) => c.TABLE_NAME === table && c.COLUMN_NAME === name);

  beforeAll(async () => {
    scratch = await createScratchConfig('mysql');
    database = await openDatabase(scratch.config);
    await migrateToLatest(database);
    const schema = (scratch.config as MysqlConfig).database;
    const result =
      await sql<ColumnInfo>`select TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, CHARACTER_SET_NAME, COLLATION_NAME from information_schema.COLUMNS where TABLE_SCHEMA = ${schema}`.execute(
        database.kysely,
      );
    columns = result.rows;
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it('creates every table as InnoDB utf8mb4', async () => {
    const schema = (scratch.config as MysqlConfig).database;
    const tables = await sql<{
      TABLE_NAME: string;
      ENGINE: string;
      TABLE_COLLATION: string;
    }>`select TABLE_NAME, ENGINE, TABLE_COLLATION from information_schema.TABLES where TABLE_SCHEMA = ${schema} and TABLE_NAME not like 'kysely%'`.execute(
      database.kysely,
    );
    expect(tables.rows.map((t) => t.TABLE_NAME).sort()).toEqual([
      'account_rule_settings',
      'audit_log',
      'conversation_automation',
      'conversation_notes',
      'conversations',
      'instagram_business_accounts',
      'instagram_comments',
      'messages',
      'outbound_messages',
      'response_rules',
      'rule_counters',
      'rule_evaluations',
      'saved_replies',
      'settings',
      'webhook_events',
      'webhook_security_log',
    ]);
    for (const table of tables.rows) {
      expect(table.ENGINE, table.TABLE_NAME).toBe('InnoDB');
      expect(table.TABLE_COLLATION, table.TABLE_NAME).toMatch(/^utf8mb4_/);
    }
  });

  it('stores every text column as utf8mb4, except byte-exact ASCII id columns', () => {
    const textual = columns.filter((c) => c.CHARACTER_SET_NAME !== null);
    const ascii = textual
      .filter((c) => c.CHARACTER_SET_NAME === 'ascii')
      .map((c) => `${c.TABLE_NAME}.${c.COLUMN_NAME}`);
    for (const c of textual.filter((c) => c.CHARACTER_SET_NAME !== 'ascii'))
      expect(c.CHARACTER_SET_NAME, `${c.TABLE_NAME}.${c.COLUMN_NAME}`).toBe('utf8mb4');
    for (const c of textual.filter((c) => c.CHARACTER_SET_NAME === 'ascii'))
      expect(c.COLLATION_NAME).toBe('ascii_bin');
    for (const id of ascii)
      expect(id).toMatch(/(^|\.)(id|.*_id|mid|.*_mid|participant_igsid|idempotency_key|key)$/);
    for (const text of [
      'messages.text',
      'conversations.participant_name',
      'instagram_business_accounts.display_name',
      'response_rules.response_template',
      'messages.raw_event',
      'saved_replies.body',
    ]) {
      const [table, name] = text.split('.') as [string, string];
      expect(column(table, name)?.CHARACTER_SET_NAME, text).toBe('utf8mb4');
    }
  });

  it('sizes message ids for real Instagram mids, not VARCHAR(100)', () => {
    expect(column('messages', 'mid')?.COLUMN_TYPE).toBe('varchar(512)');
    expect(column('messages', 'reply_to_mid')?.COLUMN_TYPE).toBe('varchar(512)');
    expect(column('outbound_messages', 'graph_message_id')?.COLUMN_TYPE).toBe('varchar(512)');
    expect(column('conversations', 'participant_igsid')?.COLUMN_TYPE).toBe('varchar(128)');
  });

  it('stores every timestamp as DATETIME(3) (milliseconds, no 2038 limit), never TIMESTAMP', () => {
    const times = columns.filter((c) => /(_at|^at)$/.test(c.COLUMN_NAME));
    expect(times.length).toBeGreaterThan(20);
    for (const c of times) expect(c.COLUMN_TYPE, `${c.TABLE_NAME}.${c.COLUMN_NAME}`).toBe('datetime(3)');
    expect(columns.filter((c) => c.DATA_TYPE === 'timestamp')).toEqual([]);
  });

  it('has the unique keys and inbox indexes the issue asks for', async () => {
    const schema = (scratch.config as MysqlConfig).database;
    const stats = await sql<{
      TABLE_NAME: string;
      INDEX_NAME: string;
      NON_UNIQUE: number;
      COLUMN_NAME: string;
      SEQ_IN_INDEX: number;
    }>`select TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SEQ_IN_INDEX from information_schema.STATISTICS where TABLE_SCHEMA = ${schema} order by TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`.execute(
      database.kysely,
    );
    const index = (table: string, name: string) => {
      const rows = stats.rows.filter((r) => r.TABLE_NAME === table && r.INDEX_NAME === name);
      return {
        unique: rows.length > 0 && Number(rows[0]!.NON_UNIQUE) === 0,
        columns: rows.map((r) => r.COLUMN_NAME),
      };
    };
    expect(index('messages', 'messages_account_mid_unique')).toEqual({
      unique: true,
      columns: ['account_id', 'mid'],
    });
    expect(index('conversations', 'conversations_account_participant_unique')).toEqual({
      unique: true,
      columns: ['account_id', 'participant_igsid'],
    });
    expect(index('conversations', 'conversations_account_last_message').columns.slice(0, 2)).toEqual([
      'account_id',
      'last_message_at',
    ]);
    expect(index('messages', 'messages_conversation_created').columns.slice(0, 2)).toEqual([
      'conversation_id',
      'created_at',
    ]);
  });

  it('talks utf8mb4 in UTC on every connection', async () => {
    const session = await sql<{
      cs: string;
      tz: string;
    }>`select @@character_set_connection as cs, @@time_zone as tz`.execute(database.kysely);
    expect(session.rows[0]).toEqual({ cs: 'utf8mb4', tz: '+00:00' });
  });
});
