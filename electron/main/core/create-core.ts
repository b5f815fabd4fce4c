import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../../shared/contract';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { EventBus } from './api/event-bus';
import { startApiServer, type ApiServer } from './api/http-server';
import type { CoreConfig } from './config';
import { DisposableStore } from './lib/lifecycle';
import type { Logger } from './lib/logger';
import { IngestWorker } from './receiving/ingest-worker';
import type { ProfileLookup } from './receiving/profile-lookup';
import { KeytarSecretStore, type SecretStore } from './secrets';
import { StatusStore } from './status/status-store';
import { TunnelManager } from './tunnel/tunnel-manager';
import { resolveTunnelSettings } from './tunnel/tunnel-settings';
import { connectReceiver, openWebhookPort, type Receiver } from './webhooks/receiver';
import { groupCommitFor } from './webhooks/webhook-receiver';
import type { WebhookServer } from './webhooks/webhook-server';
import { DatabaseService } from './database-service';
import {
  databaseSettingsHandlers,
  DatabaseSettingsService,
  readSavedDatabase,
  savedToConfig,
} from './database-settings';
import { DemoMode, demoHandlers } from './demo';
import { settingsHandlers } from './settings';
import { accountsHandlers } from './accounts/accounts-handlers';
import { AccountsService } from './accounts/accounts-service';
import { KeyService } from './accounts/key-service';
import { TokenRefresher } from './accounts/token-refresher';
import { createGraphInstagramClientFactory } from './instagram';
import { createOutbox, type Outbox, type OutboxTuning } from './outbox/create-outbox';
import { outboxHandlers } from './outbox/outbox-handlers';
import { outboxQueueHandlers } from './outbox/outbox-queue-handlers';
import { inboxHandlers } from './inbox/inbox-handlers';
import { DesktopNotifier, DesktopSettingsStore, desktopHandlers } from './notifications';
import { DiagnosticsService, diagnosticsHandlers, ReceivingHealthService } from './receiving-health';
import { InboxService } from './inbox/inbox-service';
import { SavedRepliesService, savedRepliesHandlers } from './saved-replies/saved-replies-service';
import {
  CommentEvaluator,
  CompiledRulesCache,
  RuleEvaluator,
  RuleLab,
  RulesService,
  RuleTransfer,
  rulesHandlers,
} from './rules';

export interface CoreOptions {
  config: CoreConfig;
  shell: AppInfo['shell'];
  version: string;
  logger: Logger;
  /**
   * Where the ngrok authtoken and the MySQL password are kept; default the OS keychain (service from
   * SWITCHBOARD_KEYCHAIN_SERVICE, as for the master key).
   */
  secrets?: SecretStore;
  /** Fills in participants' names after ingest; none yet (the Graph implementation comes later). */
  profileLookup?: ProfileLookup;
  /** Outbox timings and clock (tests make them small); defaults are production values. */
  outbox?: OutboxTuning;
  /**
   * false: receive webhooks on the main thread instead of the receiver thread (the default). For tests
   * that attach the routes to a server of their own.
   */
  receiverThread?: boolean;
}

/** The running core: one per process, whichever shell (Electron or headless) started it. */
export interface Core {
  readonly info: AppInfo;
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly status: StatusStore;
  readonly database: DatabaseService;
  readonly keys: KeyService;
  readonly accounts: AccountsService;
  readonly webhookServer: WebhookServer;
  /** The webhook routes: verified deliveries stored before their 200, refusals in the security log. */
  readonly webhookReceiver: Receiver;
  /** Turns stored deliveries into messages; the receiver calls `notify()` after each stored delivery. */
  readonly ingest: IngestWorker;
  /** Queues replies (`sender`) and delivers them (`worker`): the only path to Meta's Send API. */
  readonly outbox: Outbox;
  /** Rule editing, and the evaluation of published rules on every inbound message ingest stores. */
  readonly rules: { service: RulesService; evaluator: RuleEvaluator };
  /** The public address of the webhook port; undefined with --no-tunnel. */
  readonly tunnel: TunnelManager | undefined;
  /** Subscription checks (start, daily) and gap recovery; their timer is disposed with the core. */
  readonly receivingHealth: ReceivingHealthService;
  /** Starts the loopback HTTP transport; it is disposed with the core. */
  startApiServer(options: { port: number; token: string; rendererDir?: string }): Promise<ApiServer>;
  /** Stops every server, timer and subscription the core owns. */
  dispose(): Promise<void>;
}

/** Which setting gave `databaseUrl`: demo mode, the environment variable, or the `--database` flag. */
function databaseUrlSetting(config: CoreConfig): string {
  if (config.demo) return '--demo';
  const fromEnv = process.env.SWITCHBOARD_DATABASE_URL;
  return fromEnv && fromEnv === config.databaseUrl ? 'SWITCHBOARD_DATABASE_URL' : '--database';
}

/**
 * The composition root: builds every service from the configuration and owns their lifetimes.
 *
 * It never imports Electron, so tests, the headless server and the desktop app all run the same core.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { logger } = options;
  let { config } = options;
  const disposables = new DisposableStore();
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    // Demo mode (./demo): an in-process sandbox is the Graph API, with its own key and database.
    const demo = config.demo ? disposables.add(await DemoMode.prepare({ config, logger })) : undefined;
    if (demo) config = demo.config;
    const events = new EventBus((error) => logger.error({ err: error }, 'event listener failed'));
    // The status store needs the database's first status, and the database reports to the store.
    const statusHolder: {
      store?: StatusStore;
      ingest?: IngestWorker;
      keys?: KeyService;
      outbox?: Outbox;
      receiver?: Receiver;
    } = {};
    const keychainService = process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
    const secrets =
      options.secrets ?? new KeytarSecretStore(keychainService ? { service: keychainService } : {});
    const defaultSqliteFile = join(config.dataDir, 'switchboard.db');
    // The choice saved in Settings (never in demo mode: demo data lives only in its own file).
    const savedDatabase = config.demo ? { saved: null, problem: null } : readSavedDatabase(config.dataDir);
    if (savedDatabase.problem) logger.warn(savedDatabase.problem);
    const keyChecks = new Set<Promise<unknown>>();
    const database = disposables.add(
      new DatabaseService({
        secrets,
        databaseUrl: config.databaseUrl,
        databaseUrlSetting: databaseUrlSetting(config),
        saved: savedDatabase.saved ? savedToConfig(savedDatabase.saved, defaultSqliteFile) : null,
        env: process.env,
        defaultSqliteFile,
        logger,
        onStatus: (value) => {
          statusHolder.store?.update('database', value);
          // A database that becomes usable later (server back after a reconnect) starts ingest then.
          if (value.state === 'ok') statusHolder.ingest?.start();
          if (value.state === 'ok') statusHolder.outbox?.startWhenReady();
          if (value.state === 'ok' && statusHolder.keys) {
            const check = statusHolder.keys.checkAgainstDatabase(database.repositories);
            keyChecks.add(check);
            void check.finally(() => keyChecks.delete(check));
          }
        },
      }),
    );
    // Registered after the database, so disposed before it: a key check started by a reconnect finishes
    // before the connection closes (it used to fail with "driver has already been destroyed").
    disposables.add({ dispose: async () => void (await Promise.allSettled([...keyChecks])) });
    const keys = new KeyService({
      keyFile: config.keyFile,
      env: process.env,
      ...(keychainService ? { keychainService } : {}),
      logger,
      onChange: (value) => {
        statusHolder.store?.update('encryption', value);
        if (value.state === 'ready') statusHolder.outbox?.startWhenReady();
        statusHolder.receiver?.keyChanged(value.state === 'ready');
      },
    });
    statusHolder.keys = keys;
    const status = new StatusStore(
      {
        database: database.initialStatus(),
        encryption: keys.getStatus(),
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
    await keys.start(database.isReady ? database.repositories : undefined);
    const groupCommit = groupCommitFor(process.env.SWITCHBOARD_GROUP_COMMIT);
    const databaseConfig = options.receiverThread === false ? null : await database.connectionConfig();
    const webhookPort = await openWebhookPort({
      port: config.webhookPort,
      logger,
      groupCommit,
      ...(databaseConfig
        ? {
            thread: {
              database: databaseConfig,
              writeGate: database.writeGate.buffer,
              ready: keys.getStatus().state === 'ready',
            },
          }
        : {}),
    });
    const webhookServer = disposables.add(webhookPort.server);
    status.update('webhookBaseUrl', webhookServer.origin);

    // Rules run inside ingest's transaction: a message, its decision and its reply commit together.
    const ruleCache = new CompiledRulesCache();
    const ruleEvaluator = new RuleEvaluator({
      repositories: () => database.repositories,
      events,
      cache: ruleCache,
      logger,
    });
    // Comment-to-DM rules: the same rules (event type `comment`), one private reply per comment.
    const commentEvaluator = new CommentEvaluator({ cache: ruleCache, logger });
    const ingest = disposables.add(
      new IngestWorker({
        repositories: () => database.repositories,
        events,
        logger,
        onStoredMany: ruleEvaluator.onStoredMany,
        onComment: commentEvaluator.onStored,
        // SQLite's two connections take turns where the receiver thread writes to the database (its spool could
        // not be opened: it then waits while ingest writes); MariaDB's do not.
        ...(database.initialStatus().dialect === 'sqlite'
          ? { writeContended: () => database.writeGate.contended }
          : {}),
        ...(options.profileLookup ? { profileLookup: options.profileLookup } : {}),
        ...(!options.profileLookup && demo ? { profileLookup: demo.profileLookup } : {}),
      }),
    );
    statusHolder.ingest = ingest;
    const rulesService = new RulesService({
      repositories: () => database.repositories,
      events,
      cache: ruleCache,
    });
    const ruleLab = new RuleLab({ repositories: () => database.repositories, cache: ruleCache });
    const ruleTransfer = new RuleTransfer(rulesService, () => database.repositories);
    if (database.isReady) ingest.start();

    const tunnel = config.tunnel
      ? disposables.add(
          new TunnelManager({
            webhookPort: webhookServer.port,
            logger,
            onState: (value) => {
              status.update('tunnel', value);
              status.update(
                'webhookBaseUrl',
                value.state === 'online' && value.url ? value.url : webhookServer.origin,
              );
            },
          }),
        )
      : undefined;
    if (tunnel) void resolveTunnelSettings({ env: process.env, secrets }).then((s) => tunnel.start(s));

    const clientFactory = createGraphInstagramClientFactory(
      config.graphUrl ? { baseUrl: config.graphUrl } : {},
    );
    const accounts = new AccountsService({
      database,
      keys,
      events,
      logger,
      webhookBaseUrl: () => status.get().webhookBaseUrl ?? webhookServer.origin,
      clientFactory,
    });
    const tokenRefresher = disposables.add(
      new TokenRefresher({ database, keys, accounts, events, logger, clientFactory }),
    );
    tokenRefresher.start();
    const receivingHealth = disposables.add(
      new ReceivingHealthService({
        database,
        keys,
        accounts,
        events,
        logger,
        clientFactory,
        onStored: ruleEvaluator.onStored,
      }),
    );
    receivingHealth.start();

    // Registered after ingest, so it is disposed first: writes in flight finish before ingest and database stop.
    const webhookReceiver = disposables.add(
      connectReceiver(webhookPort, {
        repositories: () => database.repositories,
        accounts,
        keys,
        events,
        ingest,
        logger,
        groupCommit,
      }),
    );
    statusHolder.receiver = webhookReceiver;

    // Sends need the database and the key (to read tokens): started when both are ready.
    const outbox = disposables.add(
      createOutbox({
        database,
        keys,
        accounts,
        events,
        logger,
        graphUrl: config.graphUrl,
        ...(options.outbox ? { tuning: options.outbox } : {}),
      }),
    );
    statusHolder.outbox = outbox;
    outbox.startWhenReady();
    // A rule reply is queued inside ingest's transaction: wake the sender at once instead of on its next
    // safety pass, so automatic answers go out in milliseconds.
    disposables.add(
      events.subscribe((event) => {
        if (event.name === 'rules.evaluated' && event.payload.outboxId !== null) outbox.worker.notify();
        // A new row not waiting for anything (a comment rule's private reply, a staff retry): send it now.
        if (event.name === 'outbox.messageChanged' && event.payload.state === 'pending')
          outbox.worker.notify();
      }),
    );

    // New inbound messages become `desktop.notify` events per the desktop preferences (quiet hours, privacy).
    const desktopSettings = new DesktopSettingsStore({
      repositories: () => database.repositories,
      events,
      logger,
    });
    disposables.add(
      new DesktopNotifier({
        repositories: () => database.repositories,
        events,
        settings: desktopSettings,
        logger,
      }),
    );

    const handlers: Handlers = {
      'app.getInfo': () => info,
      'app.getStatus': () => status.get(),
      ...accountsHandlers({ accounts, keys, database }),
      ...outboxHandlers(outbox.service),
      ...outboxQueueHandlers(() => database.repositories),
      ...inboxHandlers(new InboxService({ repositories: () => database.repositories, events })),
      ...rulesHandlers({ rules: rulesService, lab: ruleLab, transfer: ruleTransfer }),
      ...diagnosticsHandlers({
        health: receivingHealth,
        diagnostics: new DiagnosticsService({
          repositories: () => database.repositories,
          notifyIngest: () => ingest.notify(),
        }),
      }),
      ...demoHandlers(demo),
      ...desktopHandlers(desktopSettings),
      ...databaseSettingsHandlers(
        new DatabaseSettingsService({
          dataDir: config.dataDir,
          defaultSqliteFile,
          database,
          secrets,
          logger,
        }),
      ),
      ...savedRepliesHandlers(new SavedRepliesService(() => database.repositories)),
      ...settingsHandlers({
        secrets,
        logger,
        onNgrokAuthtokenChange: async () => {
          if (tunnel) await tunnel.restart(await resolveTunnelSettings({ env: process.env, secrets }));
        },
      }),
    };
    const dispatch = createDispatcher(handlers, logger);

    const core: Core = {
      info,
      dispatch,
      events,
      status,
      database,
      keys,
      accounts,
      webhookServer,
      webhookReceiver,
      ingest,
      rules: { service: rulesService, evaluator: ruleEvaluator },
      outbox,
      tunnel,
      receivingHealth,
      startApiServer: async (serverOptions) =>
        disposables.add(await startApiServer({ ...serverOptions, dispatch, events, logger })),
      dispose: () => disposables.dispose(),
    };
    // Seeds (or re-links) the demo clients; its simulated customers stop first when the core is disposed.
    if (demo) disposables.add(await demo.start(core));
    return core;
  } catch (error) {
    await disposables.dispose();
    throw error;
  }
}
