import { OffsetClock, systemClock, type Clock } from './clock';
import { IdFactory } from './ids';
import { randomSeed, seededRandom } from './random';
import {
  SandboxCore,
  type CreateAccountInput,
  type CreateAppInput,
  type CreateCustomerInput,
  type CreatedAccount,
  type CustomerEventOptions,
  type CustomerEventResult,
} from './graph-emulator/core';
import type { FaultSpec } from './graph-emulator/faults';
import type { SendCounters } from './graph-emulator/rate-meter';
import { GraphEmulatorServer, type SandboxLogger } from './graph-emulator/server';
import type {
  RateLimits,
  SandboxApp,
  SandboxCustomer,
  SentRecord,
  TokenRecord,
} from './graph-emulator/state';
import { WebhookDelivery, type DeliveryAttempt, type DeliveryConfig } from './webhook-simulator/delivery';
import type { CustomerEvent } from './webhook-simulator/events';
import type { VerificationResult } from './webhook-simulator/verify';

/** Options for `startSandbox`. */
export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Base clock; the sandbox adds an adjustable offset on top. */
  clock?: Clock;
  /** Seed for ids, duplication and reordering; random when omitted. */
  seed?: number;
  delivery?: Partial<DeliveryConfig>;
  /** Limits given to new accounts (default: 100 sends/s, as the IG-Login overview states; no hourly cap). */
  defaultRateLimits?: RateLimits;
  logger?: SandboxLogger;
}

/**
 * A running sandbox: the Graph emulator on loopback plus the webhook
 * simulator, with the in-process API that the admin HTTP API mirrors.
 */
export class Sandbox {
  private disposed = false;

  private constructor(
    /** Domain state and operations (for advanced use; prefer the methods below). */
    readonly core: SandboxCore,
    private readonly server: GraphEmulatorServer,
  ) {}

  /** Start a sandbox. Always `dispose()` it. */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const seed = options.seed ?? randomSeed();
    const clock = new OffsetClock(options.clock ?? systemClock);
    // Separate streams so adding an id somewhere does not change delivery shuffles.
    const ids = new IdFactory(seededRandom(seed));
    const deliveryRandom = seededRandom(seed ^ 0x5eed);
    const delivery = new WebhookDelivery(clock, deliveryRandom, options.delivery);
    const core = new SandboxCore(
      clock,
      ids,
      seededRandom(seed ^ 0xc0de),
      delivery,
      options.defaultRateLimits ?? { perSecond: 100, perHour: null },
    );
    try {
      const server = await GraphEmulatorServer.start(core, {
        port: options.port ?? 0,
        ...(options.logger ? { logger: options.logger } : {}),
      });
      return new Sandbox(core, server);
    } catch (error) {
      await delivery.dispose();
      throw error;
    }
  }

  /** Base URL of the emulated Graph API (both hosts' shapes): `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.server.url;
  }

  /** The sandbox clock: `advance(ms)`, `setOffset(ms)`, `now()`. */
  get clock(): OffsetClock {
    return this.core.clock;
  }

  /** Create a Meta app (secrets, callback URL, verify token). */
  createApp(input: CreateAppInput = {}): SandboxApp {
    return this.core.createApp(input);
  }

  /** Point an app's webhooks somewhere (or change its secrets). */
  updateApp(appId: string, patch: Partial<Omit<SandboxApp, 'id'>>): SandboxApp {
    return this.core.updateApp(appId, patch);
  }

  /** Create an account with a fresh token (and an app unless `appId` names one). */
  createAccount(input: CreateAccountInput): CreatedAccount {
    return this.core.createAccount(input);
  }

  /** Create a customer of an account. */
  createCustomer(accountId: string, input: CreateCustomerInput = {}): SandboxCustomer {
    return this.core.createCustomer(accountId, input);
  }

  /** Issue another token for an account. */
  issueToken(
    accountId: string,
    options: { ageSeconds?: number; expiresInSeconds?: number | null; scopes?: string[] } = {},
  ): TokenRecord {
    return this.core.issueToken(accountId, options);
  }

  /** Age, expire or revoke a token. */
  updateToken(
    token: string,
    patch: { ageSeconds?: number; expire?: boolean; revokeSubcode?: number | null; scopes?: string[] },
  ): TokenRecord {
    return this.core.updateToken(token, patch);
  }

  /**
   * A customer does something (sends a DM, reacts, comments…): state is
   * updated and the webhook queued toward the app's callback URL. Await
   * `drainWebhooks()` to wait for delivery.
   */
  customerEvent(
    accountId: string,
    igsid: string,
    event: CustomerEvent,
    options: CustomerEventOptions = {},
  ): CustomerEventResult {
    return this.core.customerEvent(accountId, igsid, event, options);
  }

  /** Shorthand: the customer sends a text DM. */
  customerSends(accountId: string, igsid: string, text: string): CustomerEventResult {
    return this.core.customerEvent(accountId, igsid, { type: 'text', text });
  }

  /** Every Send API call the emulator accepted (optionally for one account / since a time). */
  sentMessages(filter: { accountId?: string; since?: number } = {}): SentRecord[] {
    return this.core.sentMessages(filter);
  }

  /** Accepted/rejected sends and the highest per-second/per-hour pace seen. */
  counters(accountId: string): SendCounters {
    return this.core.counters(accountId);
  }

  /** Inject a fault into the account's next `count` Graph calls (`null` = until cleared). */
  injectFault(accountId: string, fault: FaultSpec, count: number | null = 1): void {
    this.core.faults.add(this.core.account(accountId).id, fault, count);
  }

  clearFaults(accountId: string): void {
    this.core.faults.clear(accountId);
  }

  setRateLimits(accountId: string, limits: Partial<RateLimits>): void {
    this.core.updateAccount(accountId, { rateLimits: limits });
  }

  /** Webhook delivery attempts so far. */
  get deliveries(): readonly DeliveryAttempt[] {
    return this.core.delivery.log;
  }

  configureWebhooks(patch: Partial<DeliveryConfig>): DeliveryConfig {
    return this.core.delivery.configure(patch);
  }

  /** Wait until every queued webhook is delivered, dropped or given up. */
  drainWebhooks(): Promise<void> {
    return this.core.delivery.drain();
  }

  /** Run Meta's verification handshake against the app's callback URL. */
  verifyWebhook(appId: string, challenge?: string): Promise<VerificationResult> {
    return this.core.verifyWebhook(appId, challenge);
  }

  /** Stop the server, cancel deliveries and timers. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.core.delivery.dispose();
    await this.server.close();
  }
}

/** Start a sandbox (same as `Sandbox.start`). */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return Sandbox.start(options);
}
