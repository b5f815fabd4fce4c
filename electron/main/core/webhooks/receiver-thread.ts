/**
 * The receiver thread: the webhook port's HTTP server, signature checks and the durable store of each
 * delivery, on a thread of their own: in the spool on SQLite (delivery-spool.ts), on a database connection
 * of their own on MariaDB or where the spool cannot be opened.
 *
 * Why a thread: SQLite (libsql) runs synchronously, so on the main thread every ingest transaction, rule
 * evaluation and send blocked the acknowledgements behind it (p99 of seconds under load). Here the only
 * work between a request and its 200 is reading, verifying and committing it. Everything else stays on
 * the main thread, which this thread tells about each stored delivery, each refusal (security log) and
 * asks for accounts (it holds the master key); secrets cross in memory only and are cached here until
 * the main thread says accounts changed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { ApiError } from '../api/api-error';
import { openDatabase, type Database } from '../db/connection';
import { createRepositories, type Repositories } from '../db/repositories';
import { WriteGate } from '../db/write-gate';
import { ReceiverAccountCache, type ReceiverAccount } from './account-cache';
import { DeliverySpool, spoolFileFor } from './delivery-spool';
import { DeliveryStore } from './delivery-store';
import type { FromThread, LookupAnswer, ReceiverThreadData, ToThread } from './receiver-protocol';
import { startWebhookServer, type WebhookServer } from './webhook-server';
import { WebhookRoutesHandler } from './webhook-routes';

/** Between attempts to open the database when it is not there (answers are 503 meanwhile). */
const REOPEN_INTERVAL_MS = 2_000;

const port = parentPort;
if (!port) throw new Error('receiver-thread.ts runs as a worker thread only');
const data = workerData as ReceiverThreadData;
const post = (message: FromThread) => port.postMessage(message);

// Log lines go to the main thread's logger (its files, its redaction of secrets).
const logger = pino(
  { level: data.logLevel, base: undefined, timestamp: false },
  { write: (line: string) => post({ type: 'log', line }) },
);

let database: Database | undefined;
let repositories: Repositories | undefined;
let opening: Promise<void> | undefined;
let openFailures = 0;
let lastOpenAttempt = 0;

/** Opens the thread's own connection; failures leave it closed (503) and are retried on demand. */
function ensureDatabase(): void {
  if (repositories || opening || Date.now() - lastOpenAttempt < REOPEN_INTERVAL_MS) return;
  lastOpenAttempt = Date.now();
  opening = openDatabase(data.database, {
    writeGate: new WriteGate(data.writeGate),
    checkpoints: 'backstop',
  })
    .then((opened) => {
      database = opened;
      repositories = createRepositories(opened);
      openFailures = 0;
    })
    .catch((error: unknown) => {
      // Said once per outage: each delivery asks again, every few seconds at most.
      if (openFailures++ === 0) logger.warn({ err: error }, 'receiver thread cannot open the database yet');
    })
    .finally(() => {
      opening = undefined;
    });
}

let ready = data.ready;
let nextRequest = 1;
const pending = new Map<number, (answer: LookupAnswer) => void>();

const cache = new ReceiverAccountCache({
  load: (instagramAccountId) =>
    new Promise<ReceiverAccount | null>((resolve, reject) => {
      const requestId = nextRequest++;
      pending.set(requestId, (answer) => {
        if (answer.kind === 'found') resolve(withBuffers(answer.account));
        else if (answer.kind === 'none') resolve(null);
        else reject(new Error(answer.message));
      });
      post({ type: 'lookup', requestId, instagramAccountId });
    }),
});

function openRepositories(): Repositories {
  ensureDatabase();
  if (!repositories) throw new ApiError('UNAVAILABLE', 'The database is not open yet.');
  return repositories;
}

// SQLite: acknowledged deliveries go to the spool, a file only this thread writes to (delivery-spool.ts),
// and the main thread copies them into the database from there (spool-mover.ts), so no commit on the
// database ever holds up an acknowledgement. Where the spool cannot be opened, they go straight in.
const spool = openSpool();

function openSpool(): DeliverySpool | undefined {
  if (data.database.dialect !== 'sqlite') return undefined;
  try {
    return DeliverySpool.open(spoolFileFor(data.database.file));
  } catch (error) {
    logger.warn(
      { err: error },
      'webhook spool unavailable; deliveries are stored straight into the database',
    );
    return undefined;
  }
}

const store = new DeliveryStore({
  repositories: openRepositories,
  logger,
  groupCommit: data.groupCommit,
  ...(spool ? { spool } : {}),
});

const routes = new WebhookRoutesHandler({
  accounts: {
    get ready() {
      return ready;
    },
    get: (instagramAccountId) => cache.get(instagramAccountId),
  },
  store,
  sink: {
    refused: (refusal) => post({ type: 'refused', refusal }),
    stored: (accountId, at) =>
      post({ type: 'stored', accountId, at: at.getTime(), spooled: spool !== undefined }),
  },
  logger,
});

let server: WebhookServer | undefined;

async function stop(): Promise<void> {
  await server?.dispose();
  await routes.dispose();
  spool?.close();
  await opening;
  cache.clear();
  await database?.close();
  parentPort?.close();
}

port.on('message', (message: ToThread) => {
  switch (message.type) {
    case 'answer':
      pending.get(message.requestId)?.(message.answer);
      pending.delete(message.requestId);
      return;
    case 'invalidate':
      cache.clear();
      return;
    case 'ready':
      ready = message.ready;
      cache.clear();
      return;
    case 'ping':
      // Every report before this answer has been posted, and every message before the ping handled.
      post({ type: 'pong', id: message.id });
      return;
    case 'forget':
      try {
        spool?.forgetThrough(message.through);
      } catch (error) {
        // Harmless: copied deliveries are skipped by the progress, and forgotten with the next copy.
        logger.warn({ err: error }, 'the webhook spool could not forget copied deliveries');
      }
      return;
    case 'stop':
      void stop();
      return;
  }
});

// Without a spool, deliveries go straight into the database: open it now rather than at the first one.
if (!spool) ensureDatabase();
startWebhookServer({ port: data.port, logger })
  .then((started) => {
    server = started;
    started.attach(routes);
    post({ type: 'listening', port: started.port, spooled: spool !== undefined });
  })
  .catch((error: unknown) => {
    const code = (error as { port?: unknown }).port !== undefined ? 'EADDRINUSE' : undefined;
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(code ? { code } : {}),
    });
    void stop();
  });

/** Structured clone turns a Buffer into a plain Uint8Array; the signature check wants Buffers. */
function withBuffers(account: ReceiverAccount): ReceiverAccount {
  return {
    ...account,
    secrets: account.secrets.map((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  };
}
