/**
 * The main thread's side of the receiver thread (receiver-thread.ts): starts it, answers its account
 * lookups, and turns its reports into security-log rows, ingest wake-ups and last-heard times.
 */
import { getPriority, setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DatabaseConfig } from '../db/config';
import type { Disposable } from '../lib/lifecycle';
import { PortInUseError } from '../lib/listen';
import type { Logger } from '../lib/logger';
import type { MainAccountSource } from './account-cache';
import { spoolFileFor } from './delivery-spool';
import type { FromThread, LookupAnswer, ReceiverThreadData, ToThread } from './receiver-protocol';
import type { MainReceiverSink } from './webhook-receiver';
import type { WebhookServer } from './webhook-server';

/**
 * The main thread's nice value once the receiver thread runs (headless on Linux, where nice is per thread). Under CPU
 * contention the scheduler then serves the receiver first: an acknowledgement has a deadline, ingest of a
 * stored delivery can wait a moment. Without contention nothing changes. Measured with
 * `npm run bench -- webhook` (SQLite, 1,000 deliveries/s offered): ack p99 7–10 ms with it, 21–24 ms without.
 */
const MAIN_THREAD_NICE = 10;
/** How long a stopping thread may take to finish the writes in flight before it is terminated. */
const STOP_TIMEOUT_MS = 10_000;
const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

export interface ReceiverThreadOptions {
  port: number;
  database: DatabaseConfig;
  /** The main connection's write gate (db/write-gate.ts). */
  writeGate: SharedArrayBuffer;
  groupCommit: boolean;
  /** Whether the master key is loaded (accounts can be verified). */
  ready: boolean;
  logger: Logger;
}

/** The webhook server, served from the receiver thread. */
export interface ReceiverThread extends WebhookServer {
  /** Connects the main-thread services; until then every delivery is answered 503 (Meta retries). */
  connect(services: { accounts: MainAccountSource; sink: MainReceiverSink }): void;
  /** The master key's state changed. */
  keyChanged(ready: boolean): void;
  /** Resolves once every report the thread sent so far has been handled here (tests, shutdown). */
  settle(): Promise<void>;
  /**
   * Set when the thread makes deliveries durable in the spool (SQLite): this thread copies them into the
   * database (spool-mover.ts) and tells the thread what it may forget.
   */
  readonly spool: { file: string; forget(through: number): void } | undefined;
}

/** Starts the thread and resolves once its server listens; rejects when it cannot (port taken, no thread). */
export function startReceiverThread(options: ReceiverThreadOptions): Promise<ReceiverThread> {
  const entry = threadEntry();
  const data: ReceiverThreadData = {
    port: options.port,
    database: options.database,
    writeGate: options.writeGate,
    groupCommit: options.groupCommit,
    ready: options.ready,
    logLevel: options.logger.level,
  };
  const worker = entry.source
    ? new Worker(entry.source, { eval: true, workerData: data })
    : new Worker(entry.url, { workerData: data });
  const { logger } = options;
  const post = (message: ToThread) => worker.postMessage(message);
  let services: { accounts: MainAccountSource; sink: MainReceiverSink } | undefined;
  let invalidation: Disposable | undefined;
  const pings = new Map<number, () => void>();
  let nextPing = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const answer = (requestId: number, instagramAccountId: string) => {
    const reply = (value: LookupAnswer) => post({ type: 'answer', requestId, answer: value });
    if (!services) return reply({ kind: 'error', message: 'The receiver is still starting.' });
    services.accounts.get(instagramAccountId).then(
      (account) => reply(account ? { kind: 'found', account } : { kind: 'none' }),
      (error: unknown) =>
        reply({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  };

  return new Promise<ReceiverThread>((resolve, reject) => {
    let listening = false;
    worker.on('error', (error: Error) => {
      logger.error({ err: error }, 'receiver thread failed');
      if (!listening) reject(error);
    });
    void exit.then(() => {
      exited = true;
      for (const done of pings.values()) done();
      pings.clear();
      if (!listening) reject(new Error('The receiver thread stopped before its server was listening.'));
    });
    worker.on('message', (message: FromThread) => {
      switch (message.type) {
        case 'listening':
          listening = true;
          yieldToReceiver(logger);
          resolve(host(message.port, message.spooled));
          return;
        case 'failed':
          reject(
            message.code === 'EADDRINUSE'
              ? new PortInUseError(options.port, '--webhook-port')
              : new Error(message.message),
          );
          return;
        case 'lookup':
          answer(message.requestId, message.instagramAccountId);
          return;
        case 'refused':
          services?.sink.refused(message.refusal);
          return;
        case 'stored':
          services?.sink.stored(message.accountId, new Date(message.at), message.spooled);
          return;
        case 'log':
          relog(logger, message.line);
          return;
        case 'pong':
          pings.get(message.id)?.();
          pings.delete(message.id);
          return;
      }
    });
  });

  function host(port: number, spooled: boolean): ReceiverThread {
    const database = options.database;
    return {
      port,
      spool:
        spooled && database.dialect === 'sqlite'
          ? {
              file: spoolFileFor(database.file),
              forget: (through) => {
                if (!exited) post({ type: 'forget', through });
              },
            }
          : undefined,
      origin: `http://127.0.0.1:${port}`,
      attach: () => {
        throw new Error('The receiver thread serves its own routes.');
      },
      connect(value) {
        services = value;
        invalidation = value.accounts.onInvalidate(() => post({ type: 'invalidate' }));
      },
      keyChanged(ready) {
        services?.accounts.checkKey();
        post({ type: 'ready', ready });
      },
      async settle() {
        if (!exited) {
          const id = nextPing++;
          await new Promise<void>((resolve) => {
            pings.set(id, resolve);
            post({ type: 'ping', id });
          });
        }
        await services?.sink.securityLog.flush();
      },
      async dispose() {
        void invalidation?.dispose();
        if (!exited) post({ type: 'stop' });
        const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
        await exit;
        clearTimeout(timer);
      },
    };
  }
}

/**
 * Built, the thread is its own bundle beside the entry points (electron.vite.config.ts). Under Vitest and
 * tsx the sources run as TypeScript: the thread registers tsx's loader before importing its entry.
 */
function threadEntry(): { url: URL; source?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = new URL('./receiver-thread.ts', here);
    const source = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
    return { url, source };
  }
  return { url: new URL(here.includes('/chunks/') ? '../receiver-thread.js' : './receiver-thread.js', here) };
}

/**
 * Lowers the main thread's priority (see MAIN_THREAD_NICE) in the headless server. Linux only: elsewhere
 * the call would lower the whole process, receiver included. `setpriority` on the process id addresses the
 * main thread alone there, and threads started later by the main thread inherit its value (the receiver
 * already runs).
 */
function yieldToReceiver(logger: Logger): void {
  // In Electron the main thread is also the browser's UI thread (window input, menus): it keeps its priority.
  if (process.platform !== 'linux' || process.versions.electron !== undefined) return;
  try {
    if (getPriority(process.pid) < MAIN_THREAD_NICE) setPriority(process.pid, MAIN_THREAD_NICE);
  } catch (error) {
    logger.debug({ err: error }, 'main thread priority left as it was');
  }
}

/** A log line from the thread, written by the main logger (its destinations, its redaction). */
function relog(logger: Logger, line: string): void {
  try {
    const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
    logger[PINO_LEVELS[level] ?? 'info']({ ...fields, thread: 'receiver' }, msg ?? '');
  } catch {
    logger.warn({ thread: 'receiver' }, 'unreadable log line from the receiver thread');
  }
}
