/**
 * Opens the webhook port and connects the receiver: in its own thread (the default; see
 * receiver-thread.ts for why) or, where a thread cannot start, on the main thread as before.
 */
import type { DatabaseConfig } from '../db/config';
import type { Disposable } from '../lib/lifecycle';
import { PortInUseError } from '../lib/listen';
import type { Logger } from '../lib/logger';
import { MainAccountSource } from './account-cache';
import { DeliverySpool } from './delivery-spool';
import { startReceiverThread, type ReceiverThread } from './receiver-thread-host';
import type { SecurityLog } from './security-log';
import { SpoolMover } from './spool-mover';
import { MainReceiverSink, WebhookReceiver, type WebhookReceiverDeps } from './webhook-receiver';
import { startWebhookServer, type WebhookRoutes, type WebhookServer } from './webhook-server';

/** The webhook port, open before the rest of the core exists (the tunnel and account views need its address). */
export interface WebhookPort {
  readonly server: WebhookServer;
  /** Set when the routes run in the receiver thread. */
  readonly thread: ReceiverThread | undefined;
}

/**
 * Opens the port. With `thread`, the routes run in the receiver thread on their own connection to
 * `thread.database`; if the thread cannot start (other than a taken port), they fall back to this thread.
 */
export async function openWebhookPort(options: {
  port: number;
  logger: Logger;
  groupCommit: boolean;
  thread?: { database: DatabaseConfig; writeGate: SharedArrayBuffer; ready: boolean };
}): Promise<WebhookPort> {
  const { logger } = options;
  const database = options.thread?.database;
  // An in-memory SQLite database exists only for the connection that made it: the thread could not share it.
  const shareable =
    database !== undefined && !(database.dialect === 'sqlite' && database.file === ':memory:');
  if (options.thread && shareable) {
    try {
      const thread = await startReceiverThread({
        port: options.port,
        database: options.thread.database,
        writeGate: options.thread.writeGate,
        groupCommit: options.groupCommit,
        ready: options.thread.ready,
        logger,
      });
      return { server: thread, thread };
    } catch (error) {
      if (error instanceof PortInUseError) throw error;
      logger.warn({ err: error }, 'receiver thread unavailable; webhooks are received on the main thread');
    }
  }
  return { server: await startWebhookServer({ port: options.port, logger }), thread: undefined };
}

/** The receiver as the rest of the core sees it, wherever its routes run. */
export interface Receiver extends Disposable {
  readonly securityLog: SecurityLog;
  /** True when the routes run in the receiver thread. */
  readonly threaded: boolean;
  /** The routes, when they run on this thread (to attach them to another server in tests). */
  readonly routes: WebhookRoutes | undefined;
  /** Resolves once every request answered so far has been reported here and the security log written. */
  settle(): Promise<void>;
  /** The master key's state changed: forget decrypted secrets, answer 503 while it is not ready. */
  keyChanged(ready: boolean): void;
}

/** Connects the routes to the core's services (until then webhook requests are answered 503). */
export function connectReceiver(port: WebhookPort, deps: WebhookReceiverDeps): Receiver {
  const { thread } = port;
  if (!thread) {
    const inline = new WebhookReceiver(deps);
    port.server.attach(inline);
    return {
      securityLog: inline.securityLog,
      threaded: false,
      routes: inline,
      settle: () => inline.settle(),
      keyChanged: () => {},
      dispose: () => inline.dispose(),
    };
  }
  const accounts = new MainAccountSource(deps);
  const spooled = thread.spool && openSpoolMover(thread.spool, deps);
  const sink = new MainReceiverSink({
    ...deps,
    ...(spooled ? { spooled: () => spooled.mover.added() } : {}),
  });
  thread.connect({ accounts, sink });
  // Deliveries the spool kept from before (a stop or a crash) are copied now.
  spooled?.mover.kick();
  return {
    securityLog: sink.securityLog,
    threaded: true,
    routes: undefined,
    async settle() {
      await thread.settle();
      if (!spooled) return;
      // Every delivery reported so far is in `webhook_events`, and (after the second round) the thread has
      // forgotten it in the spool.
      spooled.mover.kick();
      await spooled.mover.settled();
      await thread.settle();
    },
    keyChanged: (ready) => thread.keyChanged(ready),
    async dispose() {
      // The thread finishes the writes in flight (their callers wait for a 200) before the sink closes.
      await thread.dispose();
      if (spooled) {
        // What is still spooled is copied at the next start otherwise.
        spooled.mover.kick();
        await spooled.mover.settled();
        await spooled.mover.dispose();
        spooled.spool.close();
      }
      await sink.dispose();
      accounts.dispose();
    },
  };
}

/**
 * The main thread's side of the spool: it reads what the receiver thread spooled and copies it into
 * `webhook_events` on the main connection, one writer of the database instead of two. The thread, the
 * spool's one writer, forgets what was copied when told to. Undefined (logged) when the file cannot be
 * opened here: the deliveries stay in the spool, acknowledged and safe, until a start that can.
 */
function openSpoolMover(
  threadSpool: NonNullable<ReceiverThread['spool']>,
  deps: WebhookReceiverDeps,
): { spool: DeliverySpool; mover: SpoolMover } | undefined {
  let spool: DeliverySpool;
  try {
    spool = DeliverySpool.open(threadSpool.file);
  } catch (error) {
    deps.logger.error(
      { err: error },
      'the webhook spool cannot be read: acknowledged webhooks wait in it until the app starts again',
    );
    return undefined;
  }
  const mover = new SpoolMover({
    spool,
    repositories: deps.repositories,
    logger: deps.logger,
    onMoved: () => deps.ingest.notify(),
    forget: (through) => threadSpool.forget(through),
  });
  return { spool, mover };
}
