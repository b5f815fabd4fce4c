/**
 * What the receiver needs to know about an account, kept in memory: acknowledging fast under load must not
 * mean a database read and two decryptions per delivery.
 */
import type { AccountsService } from '../accounts/accounts-service';
import type { KeyService } from '../accounts/key-service';
import type { EventBus } from '../api/event-bus';
import type { Account, Repositories } from '../db';
import type { Disposable } from '../lib/lifecycle';

/** A connected account as the receiver sees it. Secrets are held as buffers and never logged. */
export interface ReceiverAccount {
  accountId: string;
  instagramAccountId: string;
  status: Account['status'];
  verifyToken: string | null;
  /** The secrets that may sign this account's webhooks (app secret, Instagram app secret); may be empty. */
  secrets: readonly Buffer[];
  /** A stored secret could not be decrypted (damaged, or encrypted with another key). */
  secretUnreadable: boolean;
}

/** Unknown ids are remembered briefly, so a flood of requests for made-up ids does not hit the database. */
const UNKNOWN_TTL_MS = 10_000;
/** Bound on remembered ids; the map is simply cleared when it grows past this (made-up ids are endless). */
const MAX_ENTRIES = 10_000;

interface Entry {
  value: Promise<ReceiverAccount | null>;
  /** When a "not connected" answer stops being trusted. */
  expiresAt: number;
}

/**
 * Accounts by Instagram id, with their decrypted secrets and verify token, loaded by `load` and kept until
 * `clear()`. "Not connected" answers are trusted for 10 s; a failed load is never kept.
 */
export class ReceiverAccountCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every invalidation: a lookup that started before it must not refill the cache. */
  private generation = 0;

  constructor(
    private readonly deps: {
      load: (instagramAccountId: string) => Promise<ReceiverAccount | null>;
      now?: () => number;
    },
  ) {}

  /** The account for `instagramAccountId`, or null when none is connected. Throws when the load fails. */
  get(instagramAccountId: string): Promise<ReceiverAccount | null> {
    const now = (this.deps.now ?? Date.now)();
    const cached = this.entries.get(instagramAccountId);
    if (cached && cached.expiresAt > now) return cached.value;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const generation = this.generation;
    const value = this.deps.load(instagramAccountId);
    const entry: Entry = { value, expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(instagramAccountId, entry);
    value.then(
      (account) => {
        if (generation !== this.generation) return;
        if (account === null) entry.expiresAt = now + UNKNOWN_TTL_MS;
      },
      () => {
        // A failed read (database down) is never cached: the next request asks again.
        if (this.entries.get(instagramAccountId) === entry) this.entries.delete(instagramAccountId);
      },
    );
    return value;
  }

  /** Forgets everything (secrets included). */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}

/**
 * The main thread's account source: reads the database and decrypts with the master key. Cleared on
 * `accounts.changed` (create, edit, status, credentials, verify token) and whenever the master key changes;
 * `onInvalidate` lets a receiver thread's own cache follow.
 */
export class MainAccountSource implements Disposable {
  private readonly cache: ReceiverAccountCache;
  private keyId: string | null;
  private readonly subscription: Disposable;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      accounts: Pick<AccountsService, 'decryptAll'>;
      keys: Pick<KeyService, 'getStatus'>;
      events: EventBus;
      now?: () => number;
    },
  ) {
    this.cache = new ReceiverAccountCache({
      load: (id) => this.load(id),
      ...(deps.now ? { now: deps.now } : {}),
    });
    this.keyId = deps.keys.getStatus().keyId;
    this.subscription = deps.events.subscribe((event) => {
      if (event.name === 'accounts.changed') this.clear();
    });
  }

  /** False while the master key is not loaded: nothing can be verified (answer 503, Meta retries). */
  get ready(): boolean {
    return this.deps.keys.getStatus().state === 'ready';
  }

  /** See {@link ReceiverAccountCache.get}; notices a changed master key first. */
  get(instagramAccountId: string): Promise<ReceiverAccount | null> {
    this.checkKey();
    return this.cache.get(instagramAccountId);
  }

  /** Call when the master key's status changed: forgets secrets decrypted with the old one. */
  checkKey(): void {
    const keyId = this.deps.keys.getStatus().keyId;
    if (keyId === this.keyId) return;
    this.keyId = keyId;
    this.clear();
  }

  /** Runs `listener` after every invalidation. */
  onInvalidate(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  clear(): void {
    this.cache.clear();
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    void this.subscription.dispose();
    this.listeners.clear();
    this.cache.clear();
  }

  private async load(instagramAccountId: string): Promise<ReceiverAccount | null> {
    const account = await this.deps.repositories().accounts.getByInstagramId(instagramAccountId);
    if (!account) return null;
    const credentials = this.deps.accounts.decryptAll(account);
    const stored = [account.appSecretEncrypted, account.instagramAppSecretEncrypted].filter(
      (v) => v !== null,
    );
    const secrets = [credentials.appSecret, credentials.instagramAppSecret]
      .filter((secret): secret is string => secret !== null && secret.length > 0)
      .map((secret) => Buffer.from(secret, 'utf8'));
    return {
      accountId: account.id,
      instagramAccountId: account.instagramAccountId,
      status: account.status,
      verifyToken: account.webhookVerifyToken,
      secrets,
      secretUnreadable: secrets.length < stored.length,
    };
  }
}
