/**
 * The `ui` benchmark's data folder: a headless data directory (`switchboard.db`, as the app finds
 * it there) with its master key file, filled through the repositories with the shared data set
 * (bench/lib/dataset.ts) plus one conversation of 100,000 messages. Accounts' credentials are
 * encrypted with that key and the database carries its key check, so the app opens it as its own.
 *
 * Generating a million messages takes minutes, so the folder is cached in the OS temp folder,
 * keyed by the generator version and size; `fresh` rebuilds it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { credentialAad } from '../../electron/main/core/accounts/account-view';
import { keyCheckSetting } from '../../electron/main/core/accounts/key-service';
import { openDatabase } from '../../electron/main/core/db/connection';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories, type Repositories } from '../../electron/main/core/db/repositories';
import type { IngestInput } from '../../electron/main/core/db/repositories/conversations-repository';
import { SecretKey, createKeyCheck, encryptSecret, writeKeyFile } from '../../electron/main/core/secrets';
import {
  ACCOUNTS,
  FULL_CONVERSATIONS,
  FULL_MESSAGES,
  accountIdOf,
  arrivalOrder,
  planConversations,
  planMessage,
  rng,
  type PlannedConversation,
} from './dataset';

/** Bump when the generated data changes shape, so stale caches are not reused. */
const GENERATOR_VERSION = 2;
const INGEST_BATCH = 1_000;
const BATCHES_PER_COMMIT = 20;
const BRAND_COLORS = ['#E4572E', '#2E86AB', '#A23B72', '#3B8B5A', '#F18F01', '#6C5B7B', '#C73E1D'];

export interface UiDatasetSize {
  conversations: number;
  messages: number;
  bigThread: number;
}

export const FULL_SIZE: UiDatasetSize = {
  conversations: FULL_CONVERSATIONS,
  messages: FULL_MESSAGES,
  bigThread: 100_000,
};
export const SMALL_SIZE: UiDatasetSize = { conversations: 2_000, messages: 20_000, bigThread: 5_000 };

/** What the benchmark needs to know about the folder. */
export interface UiDataset {
  dataDir: string;
  keyFile: string;
  size: UiDatasetSize;
  bigConversationId: number;
  bigParticipantName: string;
}

const BIG_NAME = 'Bea Longthread';
const BIG_IGSID = '5999999999999999';

/** The cached folder for this size, built first when missing, incomplete or `fresh`. */
export async function uiDataset(
  size: UiDatasetSize,
  fresh: boolean,
  log: (text: string) => void,
): Promise<UiDataset> {
  const root = join(
    tmpdir(),
    `switchboard-uibench-v${GENERATOR_VERSION}-${size.conversations}-${size.messages}-${size.bigThread}`,
  );
  const manifest = join(root, 'dataset.json');
  if (!fresh && existsSync(manifest)) {
    log(`reusing the data set in ${root} (--fresh rebuilds it)`);
    return JSON.parse(readFileSync(manifest, 'utf8')) as UiDataset;
  }
  rmSync(root, { recursive: true, force: true });
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keyFile = join(root, 'master.key');
  const key = SecretKey.generate();
  await writeKeyFile(keyFile, key);
  const started = performance.now();
  const bigConversationId = await build(join(dataDir, 'switchboard.db'), key, size, log);
  log(`data set built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const dataset: UiDataset = { dataDir, keyFile, size, bigConversationId, bigParticipantName: BIG_NAME };
  writeFileSync(manifest, JSON.stringify(dataset));
  return dataset;
}

async function build(file: string, key: SecretKey, size: UiDatasetSize, log: (text: string) => void) {
  const database = await openDatabase({ dialect: 'sqlite', file });
  try {
    await migrateToLatest(database);
    // A benchmark fixture: losing it to a power cut costs a rebuild, so skip the per-commit fsync.
    await sql`pragma synchronous = off`.execute(database.kysely);
    const repos = createRepositories(database);
    await repos.settings.set(keyCheckSetting, createKeyCheck(key));
    for (let i = 0; i < ACCOUNTS; i++) await createAccount(repos, key, i);
    log(`${ACCOUNTS} accounts, credentials encrypted with the key file's key`);

    const now = Date.now();
    const planned = planConversations(size, rng(42), now - 3_600_000);
    const big: PlannedConversation = {
      index: planned.length,
      accountIndex: 0,
      participantIgsid: BIG_IGSID,
      participantUsername: 'bea.longthread',
      participantName: BIG_NAME,
      archived: false,
      lastAt: now - 60_000,
      messages: size.bigThread,
      unread: 0,
    };
    const everyone = [...planned, big];
    const loader = new BatchedIngest(repos, size.messages + size.bigThread, log);
    // In arrival order across conversations, as the receiver stored them: ids then follow time,
    // as in a real database (search's "newest matches" and the thread order depend on it).
    for (const { conversation: c, m } of arrivalOrder(everyone)) {
      // Each message from its own seed, so the order of generation does not change the data.
      const message = planMessage(c, m, rng(c.index * 1_000_003 + m));
      await loader.add({
        accountId: accountIdOf(c.accountIndex),
        participantIgsid: c.participantIgsid,
        participantUsername: c.participantUsername,
        participantName: c.participantName,
        mid: `m.${c.index}.${m}`.padEnd(150, 'x'),
        direction: message.inbound ? 'inbound' : 'outbound',
        kind: c === big ? 'text' : message.kind,
        text: c === big ? `${message.text} #${size.bigThread - m}` : message.text,
        isEcho: !message.inbound,
        sentBy: message.inbound ? null : 'phone',
        attachments:
          message.kind === 'image' && c !== big
            ? [{ type: 'image', payload: { url: `https://lookaside.fbsbx.invalid/${c.index}/${m}.jpg` } }]
            : null,
        createdAt: message.createdAt,
      });
    }
    await loader.flush();

    // A realistic inbox is mostly read and a little archived.
    const ids = await database.kysely
      .selectFrom('conversations')
      .select(['id', 'participant_igsid'])
      .orderBy('id')
      .execute();
    const byIgsid = new Map(everyone.map((c) => [c.participantIgsid, c]));
    await repos.transaction(async (tx) => {
      for (const row of ids) {
        const c = byIgsid.get(row.participant_igsid);
        if (!c) continue;
        if (c.unread === 0) await tx.conversations.markRead(row.id);
        if (c.archived) await tx.conversations.updateConversation(row.id, { status: 'archived' });
      }
    });
    await sql`analyze`.execute(database.kysely);
    await sql`pragma wal_checkpoint(truncate)`.execute(database.kysely);
    const bigRow = ids.find((row) => row.participant_igsid === BIG_IGSID);
    log(`${ids.length} conversations; the big one is #${bigRow?.id}`);
    return bigRow!.id;
  } finally {
    await database.close();
  }
}

async function createAccount(repos: Repositories, key: SecretKey, i: number): Promise<void> {
  const id = accountIdOf(i);
  await repos.accounts.create({
    id,
    instagramAccountId: `17841400000${String(i).padStart(5, '0')}`,
    username: `client_${i}`,
    clientName: `Client ${Math.floor(i / 2)} ✨`,
    brandColor: BRAND_COLORS[i % BRAND_COLORS.length]!,
    loginType: 'instagram',
    accessTokenEncrypted: encryptSecret(key, `IGAA-bench-token-${i}`, credentialAad(id, 'access_token')),
    appSecretEncrypted: encryptSecret(key, `bench-app-secret-${i}`, credentialAad(id, 'app_secret')),
    webhookVerifyToken: `verify-${i}`,
    status: 'active',
  });
}

/** Messages through `ingestMany` in batches, many batches per commit, with progress on stderr. */
class BatchedIngest {
  private batch: IngestInput[] = [];
  private pending: IngestInput[][] = [];
  private written = 0;
  private readonly started = performance.now();

  constructor(
    private readonly repos: Repositories,
    private readonly total: number,
    private readonly log: (text: string) => void,
  ) {}

  async add(input: IngestInput): Promise<void> {
    this.batch.push(input);
    if (this.batch.length < INGEST_BATCH) return;
    this.pending.push(this.batch);
    this.batch = [];
    if (this.pending.length >= BATCHES_PER_COMMIT) await this.commit();
  }

  async flush(): Promise<void> {
    if (this.batch.length > 0) this.pending.push(this.batch);
    this.batch = [];
    await this.commit();
  }

  private async commit(): Promise<void> {
    const batches = this.pending;
    this.pending = [];
    await this.repos.transaction(async (tx) => {
      for (const batch of batches) await tx.conversations.ingestMany(batch);
    });
    const before = this.written;
    this.written += batches.reduce((sum, batch) => sum + batch.length, 0);
    if (Math.floor(this.written / 50_000) > Math.floor(before / 50_000) || this.written === this.total) {
      const seconds = (performance.now() - this.started) / 1000;
      this.log(
        `${this.written.toLocaleString('en')} / ${this.total.toLocaleString('en')} messages (${Math.round(this.written / seconds)}/s)`,
      );
    }
  }
}
