import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AccountView,
  DemoAccount,
  DemoCustomer,
  DemoEvent,
  DemoReceived,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../../../shared/contract';
import {
  seededRandom,
  startSandbox,
  SUBSCRIBABLE_FIELDS,
  type CustomerEvent,
  type Random,
  type Sandbox,
  type SandboxCustomer,
} from '../../sandbox';
import { ApiError } from '../api/api-error';
import type { Dispatch } from '../api/dispatcher';
import { ConfigError, DEMO_MYSQL_REFUSAL, type CoreConfig } from '../config';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { ProfileLookup } from '../receiving/profile-lookup';
import { MASTER_KEY_ENV, SecretKey, writeKeyFile } from '../secrets';
import {
  businessHours,
  DEMO_CLIENTS,
  DEMO_IMAGE_URL,
  DEMO_NEW_CUSTOMERS,
  DEMO_STORY_URL,
  type DemoClientSeed,
} from './demo-data';
import { CustomerSimulation, type SimulationTiming } from './simulation';

/** What demo mode needs from the running core (kept small so the module does not depend on all of it). */
export interface DemoHost {
  dispatch: Dispatch;
  webhookServer: { origin: string };
}

export interface DemoOptions {
  config: CoreConfig;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Seed of the simulated customers' schedule and choices. */
  seed?: number;
  /** Delay between simulated messages; default 20–60 s. */
  timing?: SimulationTiming;
}

/** Demo data never mixes with real data: a shared (MySQL) database is refused outright. */
export function assertDemoConfig(config: Pick<CoreConfig, 'demo' | 'databaseUrl'>): void {
  if (config.demo && config.databaseUrl !== undefined && !config.databaseUrl.startsWith('sqlite:'))
    throw new ConfigError(DEMO_MYSQL_REFUSAL);
}

const DEMO_KEY_FILE = 'demo-master.key';

/**
 * Demo mode: an in-process Instagram sandbox stands in for Meta. The core sends to the sandbox (its URL is
 * the Graph base URL) and the sandbox delivers webhooks to the core's own webhook server, so everything a
 * demo shows goes the real way: webhook → ingest → rules → outbox → Send API.
 */
export class DemoMode implements Disposable {
  /** App account id → Instagram account id, for the demo accounts of this run. */
  private readonly igIdByAccount = new Map<string, string>();
  private host: DemoHost | undefined;
  private readonly random: Random;
  private newCustomerIndex = 0;

  private constructor(
    readonly sandbox: Sandbox,
    /** The configuration the core runs with: the sandbox as Graph API, a demo key, the demo database. */
    readonly config: CoreConfig,
    private readonly options: DemoOptions,
  ) {
    this.random = seededRandom(options.seed ?? 2024);
  }

  /** Starts the sandbox and works out the demo configuration; call before the core builds its services. */
  static async prepare(options: DemoOptions): Promise<DemoMode> {
    const { config } = options;
    const env = options.env ?? process.env;
    assertDemoConfig(config);
    let keyFile = config.keyFile;
    // Headless has no keychain prompt, and demo must never touch the real keychain: a key of its own.
    if (keyFile === undefined && !env[MASTER_KEY_ENV]) {
      keyFile = join(config.dataDir, DEMO_KEY_FILE);
      if (!existsSync(keyFile)) await writeKeyFile(keyFile, SecretKey.generate());
    }
    const sandbox = await startSandbox({ port: 0, logger: options.logger });
    return new DemoMode(
      sandbox,
      {
        ...config,
        graphUrl: sandbox.url,
        keyFile,
        // Explicit, so MYSQL_* variables in the environment can never point demo at a real database.
        databaseUrl: config.databaseUrl ?? `sqlite:${join(config.dataDir, 'switchboard.db')}`,
        // Meta never calls a demo: the sandbox delivers to the local webhook port.
        tunnel: false,
      },
      options,
    );
  }

  /** Names of sandbox customers, as Instagram's profile API would give them. */
  readonly profileLookup: ProfileLookup = {
    lookup: (accountId, igsid) => {
      const igId = this.igIdByAccount.get(accountId) ?? accountId;
      const customer = this.sandbox.core.state.customer(igId, igsid);
      return Promise.resolve(customer ? { username: customer.username, name: customer.name } : undefined);
    },
  };

  /**
   * Seeds the demo clients on first start, or links the existing ones to this run's sandbox, then starts
   * the simulated customers. The returned disposable stops them (register it so it stops before the core).
   */
  async start(host: DemoHost): Promise<Disposable> {
    this.host = host;
    const { accounts } = await this.call('accounts.list', { includeArchived: true });
    for (const seed of DEMO_CLIENTS) {
      const existing = accounts.find((account) => account.instagramAccountId === seed.instagramAccountId);
      if (existing) await this.relink(seed, existing);
      else await this.seed(seed);
    }
    const simulation = new CustomerSimulation({
      random: this.random,
      ...(this.options.timing ? { timing: this.options.timing } : {}),
      tick: () => this.simulateSomeone(),
      onError: (error) => this.options.logger.warn({ err: error }, 'demo: a simulated customer failed'),
    });
    simulation.start();
    this.options.logger.info({ accounts: this.igIdByAccount.size }, 'demo mode ready');
    return simulation;
  }

  async overview(): Promise<{ accounts: DemoAccount[] }> {
    const { accounts } = await this.call('accounts.list', {});
    return {
      accounts: accounts
        .filter((account) => this.igIdByAccount.has(account.id))
        .map((account) => ({
          accountId: account.id,
          instagramAccountId: account.instagramAccountId,
          username: account.username,
          clientName: account.clientName,
          brandColor: account.brandColor,
          customers: this.sandbox.core.state
            .customersOf(account.instagramAccountId)
            .reverse()
            .map(customerView),
        })),
    };
  }

  /** A customer sends something; it reaches the core through the webhook path like a real delivery. */
  async simulate(input: {
    accountId: string;
    igsid?: string | undefined;
    username?: string | undefined;
    event: DemoEvent;
  }): Promise<{ customer: DemoCustomer; mid: string | null }> {
    const igId = this.demoAccount(input.accountId);
    let customer: SandboxCustomer;
    if (input.igsid !== undefined) {
      const found = this.sandbox.core.state.customer(igId, input.igsid);
      if (!found) throw new ApiError('NOT_FOUND', 'This customer is not in the demo sandbox any more.');
      customer = found;
    } else {
      customer = this.newCustomer(igId, input.username);
    }
    const event = await this.customerEvent(input.accountId, igId, customer.igsid, input.event);
    const result = this.sandbox.customerEvent(igId, customer.igsid, event);
    if (!result.queued)
      throw new ApiError(
        'UNAVAILABLE',
        `The sandbox did not deliver it: ${result.skippedReason ?? 'unknown'}.`,
      );
    return { customer: customerView(customer), mid: result.mid };
  }

  /** What the account sent to the customer through the Send API, since this start. */
  customerReceived(input: { accountId: string; igsid: string }): { messages: DemoReceived[] } {
    const igId = this.demoAccount(input.accountId);
    return {
      messages: this.sandbox
        .sentMessages({ accountId: igId })
        .filter((record) => record.recipientId === input.igsid)
        .map((record) => ({
          at: new Date(record.at).toISOString(),
          kind: record.kind,
          text: record.message?.text ?? null,
          attachments: (record.message?.attachments ?? []).map((attachment) =>
            typeof attachment === 'object' && attachment !== null && 'type' in attachment
              ? String(attachment.type)
              : 'attachment',
          ),
        })),
    };
  }

  async dispose(): Promise<void> {
    await this.sandbox.dispose();
  }

  private async seed(seed: DemoClientSeed): Promise<void> {
    const created = this.createSandboxAccount(seed);
    const account = await this.call('accounts.create', {
      instagramAccountId: seed.instagramAccountId,
      username: seed.username,
      displayName: seed.displayName,
      clientName: seed.clientName,
      brandColor: seed.brandColor,
      loginType: 'instagram',
      accessToken: created.token,
      appSecret: created.app.secret,
      instagramAppSecret: created.app.instagramAppSecret,
      settings: {
        timezone: seed.timezone,
        businessHours: businessHours([1, 2, 3, 4, 5, 6], '07:00', '19:00'),
        automationEnabled: true,
      },
    });
    this.linked(seed, account);
    const test = await this.call('accounts.testConnection', { id: account.id });
    if (!test.ok) this.options.logger.warn({ account: seed.username, test }, 'demo: connection test failed');
    for (const [index, rule] of seed.rules.entries()) {
      await this.call('rules.create', {
        accountId: account.id,
        rule: {
          name: rule.name,
          priority: (seed.rules.length - index) * 10,
          trigger: { type: 'keyword', keywords: rule.keywords },
          response: { kind: 'text', variants: [rule.reply] },
        },
      });
    }
    await this.call('rules.publish', { accountId: account.id });
    // A few conversations from before the demo started, so the inbox is not empty on first sight.
    for (const past of seed.history) {
      const customer = this.sandbox.createCustomer(seed.instagramAccountId, {
        username: past.username,
        name: past.name,
      });
      this.sandbox.customerEvent(
        seed.instagramAccountId,
        customer.igsid,
        { type: 'text', text: past.text },
        { secondsAgo: past.hoursAgo * 3600 },
      );
    }
  }

  /** A restart: the sandbox is new, so the account and its customers are recreated and the app gets the new credentials. */
  private async relink(seed: DemoClientSeed, account: AccountView): Promise<void> {
    const created = this.createSandboxAccount(seed);
    await this.call('accounts.update', {
      id: account.id,
      accessToken: created.token,
      appSecret: created.app.secret,
      instagramAppSecret: created.app.instagramAppSecret,
    });
    this.linked(seed, account);
    const { conversations } = await this.call('inbox.list', {
      filter: { accountIds: [account.id] },
      limit: 500,
    });
    const now = this.sandbox.clock.now();
    for (const row of conversations.slice().reverse()) {
      if (this.sandbox.core.state.customer(seed.instagramAccountId, row.participantIgsid)) continue;
      const lastInbound = row.lastInboundAt === null ? null : Date.parse(row.lastInboundAt);
      this.sandbox.createCustomer(seed.instagramAccountId, {
        igsid: row.participantIgsid,
        ...(row.participantUsername ? { username: row.participantUsername } : {}),
        name: row.participantName,
        lastInboundSecondsAgo:
          lastInbound === null ? null : Math.max(0, Math.round((now - lastInbound) / 1000)),
      });
    }
  }

  private createSandboxAccount(seed: DemoClientSeed) {
    const origin = this.requireHost().webhookServer.origin;
    return this.sandbox.createAccount({
      loginType: 'instagram',
      id: seed.instagramAccountId,
      username: seed.username,
      name: seed.displayName,
      app: {
        name: `${seed.clientName} (demo)`,
        callbackUrl: `${origin}/webhooks/instagram/${seed.instagramAccountId}`,
      },
      subscribedFields: [...SUBSCRIBABLE_FIELDS.instagram],
    });
  }

  private linked(seed: DemoClientSeed, account: AccountView): void {
    this.igIdByAccount.set(account.id, seed.instagramAccountId);
    const app = this.sandbox.core.app(this.sandbox.core.account(seed.instagramAccountId).appId);
    this.sandbox.updateApp(app.id, { verifyToken: account.webhookVerifyToken });
  }

  /** One simulated customer writes: mostly someone new or recent, with what that business hears every day. */
  private async simulateSomeone(): Promise<void> {
    const accountIds = [...this.igIdByAccount.keys()];
    if (accountIds.length === 0) return;
    const accountId = accountIds[this.random.int(accountIds.length)] as string;
    const seed = DEMO_CLIENTS.find(
      (client) => client.instagramAccountId === this.igIdByAccount.get(accountId),
    );
    if (!seed) return;
    const known = this.sandbox.core.state.customersOf(seed.instagramAccountId);
    const reuse = known.length > 0 && this.random.next() < 0.4;
    const text = seed.messages[this.random.int(seed.messages.length)] as string;
    await this.simulate({
      accountId,
      ...(reuse ? { igsid: (known[this.random.int(known.length)] as SandboxCustomer).igsid } : {}),
      event: { type: 'text', text },
    });
  }

  private newCustomer(igId: string, username: string | undefined): SandboxCustomer {
    if (username !== undefined) {
      const taken = this.sandbox.core.state.customersOf(igId).find((c) => c.username === username);
      if (taken) return taken;
      return this.sandbox.createCustomer(igId, { username, name: null });
    }
    const pick = DEMO_NEW_CUSTOMERS[this.newCustomerIndex % DEMO_NEW_CUSTOMERS.length] as {
      username: string;
      name: string;
    };
    const round = Math.floor(this.newCustomerIndex / DEMO_NEW_CUSTOMERS.length);
    this.newCustomerIndex += 1;
    const candidate = round === 0 ? pick.username : `${pick.username}${round + 1}`;
    const taken = this.sandbox.core.state.customersOf(igId).some((c) => c.username === candidate);
    return this.sandbox.createCustomer(igId, {
      username: taken ? `${candidate}.${this.newCustomerIndex}` : candidate,
      name: pick.name,
    });
  }

  private async customerEvent(
    accountId: string,
    igId: string,
    igsid: string,
    event: DemoEvent,
  ): Promise<CustomerEvent> {
    switch (event.type) {
      case 'text':
        return { type: 'text', text: event.text };
      case 'image':
        return { type: 'attachments', attachments: [{ type: 'image', url: DEMO_IMAGE_URL }] };
      case 'story_mention':
        return { type: 'story_mention', url: DEMO_STORY_URL };
      case 'reaction': {
        const targetMid = await this.lastMessageMid(accountId, igId, igsid);
        const emoji = event.emoji ?? '❤️';
        return { type: 'reaction', targetMid, reaction: emoji === '❤️' ? 'love' : 'other', emoji };
      }
    }
  }

  /** The message a reaction lands on: the latest one of the conversation (the sandbox's, else the app's). */
  private async lastMessageMid(accountId: string, igId: string, igsid: string): Promise<string> {
    const conversationId = this.sandbox.core.state.conversationByCustomer.get(`${igId}:${igsid}`);
    const messages = conversationId
      ? this.sandbox.core.state.conversations.get(conversationId)?.messages
      : [];
    const last = messages?.at(-1);
    if (last) return last.mid;
    const { conversations } = await this.call('inbox.list', {
      filter: { accountIds: [accountId] },
      limit: 500,
    });
    const row = conversations.find((conversation) => conversation.participantIgsid === igsid);
    if (row) {
      const thread = await this.call('inbox.thread', { conversationId: row.id, limit: 1 });
      if (thread.messages[0]) return thread.messages[0].mid;
    }
    throw new ApiError('CONFLICT', 'There is no message to react to yet: send a text first.');
  }

  private demoAccount(accountId: string): string {
    const igId = this.igIdByAccount.get(accountId);
    if (!igId) throw new ApiError('NOT_FOUND', 'Choose one of the demo accounts.');
    return igId;
  }

  private requireHost(): DemoHost {
    if (!this.host) throw new Error('demo mode has not started');
    return this.host;
  }

  private async call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.requireHost().dispatch(name, input, { transport: 'in-process' });
    if (!result.ok) throw new Error(`demo: ${name} failed: ${result.error.message}`);
    return result.value as MethodOutput<M>;
  }
}

function customerView(customer: SandboxCustomer): DemoCustomer {
  return { igsid: customer.igsid, username: customer.username, name: customer.name };
}
