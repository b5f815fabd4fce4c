/**
 * The yardstick for SQLite ingest (`db` bench, ingest_floor_messages_per_s): the same messages written with the
 * fewest statements that still do ingest's job (find or create the conversation, insert the message unless its
 * mid is stored, move the conversation's counters), through SQLite's own prepared statements: no Kysely, no input
 * validation, no batching logic. Same file, schema, triggers and indexes, same durability (`synchronous = full`,
 * one commit per transaction of the same size) and the same checkpoint policy as the app's main connection, the
 * last checkpoint included.
 *
 * What this reaches is what the data layer's design (schema, indexes, durable commits) allows on this machine;
 * the gap between it and ingest_messages_per_s is what the repository's code costs on top.
 */
import { performance } from 'node:perf_hooks';
import Libsql from 'libsql';
import { checkpointDue } from '../../electron/main/core/db/connection';

/** One message to store, as the bench builds them for the repository. */
export interface FloorInput {
  accountId: string;
  participantIgsid: string;
  mid: string;
  text: string;
  rawEvent: unknown;
  createdAt: Date;
}

/** Stores `inputs` in transactions of `batch`; returns messages per second and each transaction's time. */
export function runIngestFloor(
  file: string,
  inputs: readonly FloorInput[],
  batch: number,
): { perSecond: number; batchTimes: number[] } {
  const db = new Libsql(file);
  try {
    // As openSqlite (db/connection.ts) sets up the app's main connection, checkpoints included (below).
    db.exec('pragma foreign_keys = on');
    db.exec('pragma busy_timeout = 5000');
    db.exec('pragma synchronous = full');
    db.exec('pragma cache_size = -65536');
    db.exec('pragma wal_autocheckpoint = 0');
    db.exec('pragma journal_mode = wal');
    const findConversation = db.prepare(
      'select id from conversations where account_id = ? and participant_igsid = ?',
    );
    const createConversation = db.prepare(
      `insert into conversations (account_id, participant_igsid, status, labels, created_at, updated_at)
         values (?, ?, 'active', '[]', ?, ?) returning id`,
    );
    const insertMessage = db.prepare(
      `insert into messages (account_id, conversation_id, mid, direction, kind, text, is_echo, is_deleted,
           raw_event, created_at, received_at)
         values (?, ?, ?, 'inbound', 'text', ?, 0, 0, ?, ?, ?)
         on conflict (account_id, mid) do nothing returning id`,
    );
    const bump = db.prepare(
      `update conversations set
         message_count = message_count + 1,
         unread_count = unread_count + 1,
         last_message_preview = case when last_message_at is null or last_message_at <= ?1 then ?2 else last_message_preview end,
         last_message_at = case when last_message_at is null or last_message_at <= ?1 then ?1 else last_message_at end,
         last_inbound_at = case when last_inbound_at is null or last_inbound_at < ?1 then ?1 else last_inbound_at end,
         updated_at = ?3
       where id = ?4`,
    );
    const begin = db.prepare('begin immediate');
    const commit = db.prepare('commit');
    const checkpoint = db.prepare('pragma wal_checkpoint(passive)');

    const batchTimes: number[] = [];
    // The main connection's rule (`checkpointDue`): a passive checkpoint after so many commits or rows written.
    let commits = 0;
    let rows = 0;
    const start = performance.now();
    for (let i = 0; i < inputs.length; i += batch) {
      const batchStart = performance.now();
      begin.run();
      for (const input of inputs.slice(i, i + batch)) {
        const now = Date.now();
        const at = input.createdAt.getTime();
        let conversationId = (
          findConversation.get(input.accountId, input.participantIgsid) as { id: number } | undefined
        )?.id;
        if (conversationId === undefined) {
          conversationId = (
            createConversation.get(input.accountId, input.participantIgsid, now, now) as { id: number }
          ).id;
          rows += 1;
        }
        const stored = insertMessage.get(
          input.accountId,
          conversationId,
          input.mid,
          input.text,
          JSON.stringify(input.rawEvent),
          at,
          now,
        );
        if (stored !== undefined) {
          bump.run(at, [...input.text].slice(0, 280).join(''), now, conversationId);
          rows += 2;
        }
      }
      commit.run();
      if (checkpointDue(++commits, rows)) {
        checkpoint.get();
        commits = 0;
        rows = 0;
      }
      batchTimes.push(performance.now() - batchStart);
    }
    checkpoint.get(); // as the db bench does after the repository's run: the WAL's pages into the file
    const seconds = (performance.now() - start) / 1000;
    return { perSecond: inputs.length / seconds, batchTimes };
  } finally {
    db.close();
  }
}
