import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../../shared/contract';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { EventBus } from './api/event-bus';
import { startApiServer, type ApiServer } from './api/http-server';
import type { CoreConfig } from './config';
import { DisposableStore } from './lib/lifecycle';
import type { Logger } from './lib/logger';
import { StatusStore } from './status/status-store';
import { startWebhookServer, type WebhookServer } from './webhooks/webhook-server';
import { DatabaseService } from './database-service';

export interface CoreOptions {
  config: CoreConfig;
  shell: AppInfo['shell'];
  version: string;
  logger: Logger;
}

/** The running core: one per process, whichever shell (Electron or headless) started it. */
export interface Core {
  readonly info: AppInfo;
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly status: StatusStore;
  readonly database: DatabaseService;
  readonly webhookServer: WebhookServer;
  /** Starts the loopback HTTP transport; it is disposed with the core. */
  startApiServer(options: { port: number; token: string; rendererDir?: string }): Promise<ApiServer>;
  /** Stops every server, timer and subscription the core owns. */
  dispose(): Promise<void>;
}

/**
 * The composition root: builds every service from the configuration and owns their lifetimes.
 *
 * It never imports Electron, so tests, the headless server and the desktop app all run the same core.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { config, logger } = options;
  const disposables = new DisposableStore();
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const events = new EventBus((error) => logger.error({ err: error }, 'event listener failed'));
    // The status store needs the database's first status, and the database reports to the store.
    const statusHolder: { store?: StatusStore } = {};
    const database = disposables.add(
      new DatabaseService({
        databaseUrl: config.databaseUrl,
        env: process.env,
        defaultSqliteFile: join(config.dataDir, 'switchboard.db'),
        logger,
        onStatus: (value) => statusHolder.store?.update('database', value),
      }),
    );
    const status = new StatusStore(
      {
        database: database.initialStatus(),
        tunnel: config.tunnel
          ? { state: 'off', message: 'The tunnel starts once an ngrok authtoken is set in Settings.' }
          : { state: 'off', message: 'Tunnel disabled (--no-tunnel).' },
        sync: { state: 'idle' },
      },
      events,
    );
    statusHolder.store = status;

    const info: AppInfo = {
      name: 'Switchboard',
      version: options.version,
      shell: options.shell,
      demo: config.demo,
      dataDir: config.dataDir,
      platform: process.platform,
    };

    await database.start();
    const webhookServer = disposables.add(await startWebhookServer({ port: config.webhookPort, logger }));
    status.update('webhookBaseUrl', webhookServer.origin);

    const handlers: Handlers = {
      'app.getInfo': () => info,
      'app.getStatus': () => status.get(),
    };
    const dispatch = createDispatcher(handlers, logger);

    return {
      info,
      dispatch,
      events,
      status,
      database,
      webhookServer,
      startApiServer: async (serverOptions) =>
        disposables.add(await startApiServer({ ...serverOptions, dispatch, events, logger })),
      dispose: () => disposables.dispose(),
    };
  } catch (error) {
    await disposables.dispose();
    throw error;
  }
}
