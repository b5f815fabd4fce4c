/**
 * `npm run bench -- db [--messages N] [--db sqlite|mariadb]`: the data layer under a realistic load.
 *
 * Builds a database of N messages (default 1,000,000) across 20 accounts and 50,000 conversations
 * (scaled down with N), with realistic text lengths, emoji and Instagram-length mids, on SQLite and
 * on a private MariaDB, then measures:
 *   - ingest_messages_per_s: messages stored through `ConversationsRepository.ingestMany` the way ingest
 *     stores them (the ingest worker's sizes: `INGEST_TRANSACTION_SIZE` messages per durable commit,
 *     `INGEST_CHUNK_SIZE` per call), on a connection opened as the app opens its own (SQLite: its
 *     checkpoints count, a passive one after 64 transactions or 10,000 rows written, and one at the end for
 *     what is left in the WAL; the load's WAL is checkpointed before),
 *     and ingest_batch_ms_p50, the median time of one such transaction; with qualifier during=ingest, what
 *     the disk did meanwhile (lib/disk-probe.ts: every commit waits for a flush);
 *   - SQLite only, ingest_floor_messages_per_s and ingest_floor_batch_ms_p50: the yardstick (lib/ingest-floor.ts),
 *     as many other messages stored in transactions of the same size with bare prepared statements: what the
 *     schema and durable commits allow here, so the gap to ingest_messages_per_s is the repository's own cost;
 *   - inbox_first_page_ms_p50/_p99: first 50 rows of the all-accounts inbox;
 *   - thread_page_ms_p99: latest 50 messages of a random conversation;
 *   - unread_counts_ms_p99: unread counts per account, as the inbox's badges read them (active conversations).
 *
 * The bulk of the data set is loaded with multi-row inserts (a fixture, not the code under test);
 * the ingest figure comes from the repository path only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import { parseDatabaseUrl } from '../electron/main/core/db/config';
import type { DatabaseConfig } from '../electron/main/core/db/config';
import { openDatabase } from '../electron/main/core/db/connection';
import type { Database } from '../electron/main/core/db/connection';
import { migrateToLatest } from '../electron/main/core/db/migrate';
import { createRepositories } from '../electron/main/core/db/repositories';
import { INGEST_CHUNK_SIZE, INGEST_TRANSACTION_SIZE } from '../electron/main/core/receiving/ingest-worker';
import type { ConversationsTable, MessagesTable } from '../electron/main/core/db/schema';
import { createScratchDatabase, startPrivateMariaDb } from '../tests/support/mariadb';
import {
  ACCOUNTS,
  FULL_CONVERSATIONS,
  FULL_MESSAGES,
  SPAN_MS,
  accountIdOf,
  makeMid,
  makeText,
  planConversations,
  planMessage,
  rng,
} from './lib/dataset';
import { startDiskProbe } from './lib/disk-probe';
import { runIngestFloor } from './lib/ingest-floor';
import { percentile, report } from './lib/report';

const BATCH_ROWS = 1_000;
/** As the ingest worker writes: this many messages per transaction, stored this many at a time. */
const INGEST_BATCH = Number(process.env.SB_INGEST_BATCH ?? INGEST_TRANSACTION_SIZE);
/** SQLite's chunk (its writers take turns); MariaDB stores a transaction's messages in one call. */
const ingestChunk = (dialect: string) =>
  Number(process.env.SB_INGEST_CHUNK ?? (dialect === 'sqlite' ? INGEST_CHUNK_SIZE : INGEST_BATCH));

interface Options {
  messages: number;
  dialects: ('sqlite' | 'mariadb')[];
}

function parseArgs(args: string[]): Options {
  let messages = FULL_MESSAGES;
  let dialects: Options['dialects'] = ['sqlite', 'mariadb'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--messages') messages = Number(args[++i]);
    else if (arg === '--db') dialects = [args[++i] as 'sqlite' | 'mariadb'];
    else
      throw new Error(
        `Unknown argument ${arg}. Usage: npm run bench -- db [--messages N] [--db sqlite|mariadb]`,
      );
  }
  if (!Number.isInteger(messages) || messages < 1_000)
    throw new Error('--messages must be an integer ≥ 1000');
  return { messages, dialects };
}

interface Plan {
  accountIds: string[];
  conversations: number;
  messages: number;
}

async function buildDataset(database: Database, plan: Plan, log: (text: string) => void): Promise<number[]> {
  const { kysely, specifics } = database;
  const repos = createRepositories(database);
  for (let i = 0; i < ACCOUNTS; i++) {
    await repos.accounts.create({
      id: plan.accountIds[i]!,
      instagramAccountId: `17841400000${String(i).padStart(5, '0')}`,
      username: `client_${i}`,
      clientName: `Client ${i} ✨`,
    });
  }
  const random = rng(42);
  const planned = planConversations(plan, random, Date.now());

  // Conversations first, with the counters the messages below will imply.
  let rows: Insertable<ConversationsTable>[] = [];
  for (const c of planned) {
    const last = specifics.time(new Date(c.lastAt));
    rows.push({
      account_id: plan.accountIds[c.accountIndex]!,
      participant_igsid: c.participantIgsid,
      participant_username: c.participantUsername,
      participant_name: c.participantName,
      status: c.archived ? 'archived' : 'active',
      last_message_at: last,
      last_inbound_at: last,
      last_message_preview: makeText(random).slice(0, 280),
      message_count: c.messages,
      unread_count: c.unread,
      labels: '[]',
      created_at: specifics.time(new Date(c.lastAt - SPAN_MS)),
      updated_at: last,
    });
    if (rows.length === BATCH_ROWS) {
      await kysely.insertInto('conversations').values(rows).execute();
      rows = [];
    }
  }
  if (rows.length > 0) await kysely.insertInto('conversations').values(rows).execute();
  const stored = await kysely.selectFrom('conversations').select('id').orderBy('id').execute();
  const conversationIds = stored.map((row) => row.id);
  log(`  ${conversationIds.length} conversations`);

  // Messages: each conversation's messages spread back in time from its last message.
  let messageRows: Insertable<MessagesTable>[] = [];
  let written = 0;
  const started = performance.now();
  for (const c of planned) {
    for (let m = 0; m < c.messages; m++) {
      const message = planMessage(c, m, random);
      messageRows.push({
        account_id: plan.accountIds[c.accountIndex]!,
        conversation_id: conversationIds[c.index]!,
        mid: makeMid(),
        direction: message.inbound ? 'inbound' : 'outbound',
        kind: message.kind,
        text: message.text,
        is_echo: message.inbound ? 0 : 1,
        sent_by: message.inbound ? null : 'phone',
        is_deleted: 0,
        created_at: specifics.time(message.createdAt),
        received_at: specifics.time(new Date(message.createdAt.getTime() + 120)),
      });
      if (messageRows.length === BATCH_ROWS) {
        await kysely.insertInto('messages').values(messageRows).execute();
        written += messageRows.length;
        messageRows = [];
        if (written % 100_000 === 0)
          log(
            `  ${written} messages (${Math.round(written / ((performance.now() - started) / 1000))}/s bulk)`,
          );
      }
    }
  }
  if (messageRows.length > 0) await kysely.insertInto('messages').values(messageRows).execute();
  if (database.dialect === 'sqlite') await sql`analyze`.execute(kysely);
  else await sql`analyze table conversations, messages`.execute(kysely);
  return conversationIds;
}

/**
 * Messages as the receiver stores them: 90% into existing threads, 10% from new people (IGSIDs from
 * `newPeopleBase` on, so two sets never share a new person).
 */
function ingestInputs(plan: Plan, count: number, seed: number, newPeopleBase: number) {
  const random = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const existing = random() < 0.9;
    const c = Math.floor(random() * plan.conversations);
    return {
      accountId: plan.accountIds[(existing ? c : i) % ACCOUNTS]!,
      participantIgsid: existing ? `${6_000_000_000_000_000 + c}` : `${newPeopleBase + i}`,
      mid: makeMid(),
      direction: 'inbound' as const,
      text: makeText(random),
      rawEvent: {
        sender: { id: 'x' },
        recipient: { id: 'y' },
        timestamp: Date.now(),
        message: { mid: 'm', text: 't' },
      },
      createdAt: new Date(),
    };
  });
}

async function timeIt(samples: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(20, samples); i++) await work(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await work(i);
    times.push(performance.now() - start);
  }
  return times;
}

async function measure(label: 'sqlite' | 'mariadb', config: DatabaseConfig, options: Options): Promise<void> {
  const log = (text: string) => process.stderr.write(`[db bench ${label}] ${text}\n`);
  // As the app opens its main connection (DatabaseService): its checkpoint policy is part of what ingest costs.
  const database = await openDatabase(config, { checkpoints: 'after-commits' });
  try {
    await migrateToLatest(database);
    const scale = options.messages / FULL_MESSAGES;
    const plan: Plan = {
      accountIds: Array.from({ length: ACCOUNTS }, (_, i) => accountIdOf(i)),
      conversations: Math.max(ACCOUNTS, Math.round(FULL_CONVERSATIONS * scale)),
      messages: options.messages,
    };
    log(
      `building ${plan.messages} messages in ${plan.conversations} conversations over ${ACCOUNTS} accounts`,
    );
    const loadStart = performance.now();
    const conversationIds = await buildDataset(database, plan, log);
    log(`built in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
    if (database.dialect === 'sqlite') {
      // The load is a fixture: its WAL goes into the file now, not into the first ingest figures.
      await sql`pragma wal_checkpoint(truncate)`.execute(database.kysely);
    }

    const repos = createRepositories(database);
    const common = { bench: 'db', db: label, messages: plan.messages };
    const chunk = ingestChunk(database.dialect);

    if (database.dialect === 'mysql') {
      const flush = await sql<{ v: number }>`select @@innodb_flush_log_at_trx_commit as v`.execute(
        database.kysely,
      );
      log(`innodb_flush_log_at_trx_commit = ${flush.rows[0]?.v} (1 = durable at every commit)`);
    } else {
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.kysely);
      log(`pragma synchronous = ${sync.rows[0]?.synchronous} (2 = FULL)`);
    }

    // Ingest through the repository, as the receiver will: 90% into existing threads, 10% new people.
    const ingestCount = Math.min(20_000, Math.max(2_000, Math.round(plan.messages / 50)));
    const inputs = ingestInputs(plan, ingestCount, 7, 7_000_000_000_000_000);
    const batchTimes: number[] = [];
    const disk = startDiskProbe(tmpdir());
    const ingestStart = performance.now();
    for (let i = 0; i < inputs.length; i += INGEST_BATCH) {
      // One commit per batch, as ingest groups the deliveries of a busy moment, and one `ingestMany` per
      // chunk inside it, as ingest stores a chunk's messages together.
      const batchStart = performance.now();
      const batch = inputs.slice(i, i + INGEST_BATCH);
      await repos.transaction(async (tx) => {
        for (let j = 0; j < batch.length; j += chunk)
          await tx.conversations.ingestMany(batch.slice(j, j + chunk));
      });
      batchTimes.push(performance.now() - batchStart);
    }
    // The WAL pages these commits wrote still have to go into the file: the checkpoint that does it counts
    // too, or larger transactions (fewer commits, fewer checkpoints within the run) would look cheaper.
    if (database.dialect === 'sqlite') await sql`pragma wal_checkpoint(passive)`.execute(database.kysely);
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    await disk.report({ ...common, during: 'ingest' });
    // On a shared 2-core machine other processes stretch the total; the median batch and the load
    // average say how much of a figure is this code and how much is the neighbours.
    const load = Math.round(loadavg()[0]! * 100) / 100;
    report({
      ...common,
      metric: 'ingest_messages_per_s',
      value: Math.round(ingestCount / ingestSeconds),
      batch: INGEST_BATCH,
      chunk,
      load,
    });
    report({ ...common, metric: 'ingest_batch_ms_p50', value: round(percentile(batchTimes, 50)), load });
    if (config.dialect === 'sqlite') {
      // The yardstick (lib/ingest-floor.ts): the same kind of messages, new mids and new people, stored with the
      // fewest statements and no code around them. What the schema and durable commits allow on this machine.
      const floorInputs = ingestInputs(plan, ingestCount, 8, 8_000_000_000_000_000);
      const floorDisk = startDiskProbe(tmpdir());
      const floor = runIngestFloor(config.file, floorInputs, INGEST_BATCH);
      await floorDisk.report({ ...common, during: 'ingest_floor' });
      report({
        ...common,
        metric: 'ingest_floor_messages_per_s',
        value: Math.round(floor.perSecond),
        batch: INGEST_BATCH,
      });
      report({
        ...common,
        metric: 'ingest_floor_batch_ms_p50',
        value: round(percentile(floor.batchTimes, 50)),
      });
    }

    const inbox = await timeIt(300, () => repos.conversations.listInbox({ limit: 50 }));
    report({ ...common, metric: 'inbox_first_page_ms_p50', value: round(percentile(inbox, 50)) });
    report({ ...common, metric: 'inbox_first_page_ms_p99', value: round(percentile(inbox, 99)) });

    const pick = rng(99);
    const thread = await timeIt(500, () =>
      repos.conversations.listThread(conversationIds[Math.floor(pick() * conversationIds.length)]!, {
        limit: 50,
      }),
    );
    report({ ...common, metric: 'thread_page_ms_p50', value: round(percentile(thread, 50)) });
    report({ ...common, metric: 'thread_page_ms_p99', value: round(percentile(thread, 99)) });

    const unread = await timeIt(300, () => repos.inbox.unreadByAccount());
    report({ ...common, metric: 'unread_counts_ms_p50', value: round(percentile(unread, 50)) });
    report({ ...common, metric: 'unread_counts_ms_p99', value: round(percentile(unread, 99)) });
  } finally {
    await database.close();
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Entry point for `bench/run.ts`. */
export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  if (options.dialects.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
    try {
      await measure('sqlite', { dialect: 'sqlite', file: join(dir, 'bench.db') }, options);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (options.dialects.includes('mariadb')) {
    const external = process.env.MYSQL_URL;
    const server = external ? null : await startPrivateMariaDb();
    try {
      const scratch = await createScratchDatabase(external ?? server!.url, 'sb_bench');
      try {
        await measure('mariadb', parseDatabaseUrl(scratch.url), options);
      } finally {
        await scratch.drop();
      }
    } finally {
      await server?.stop();
    }
  }
}
