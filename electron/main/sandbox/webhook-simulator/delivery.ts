import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../clock';
import type { Random } from '../random';
import { buildEnvelope, type WebhookItem } from './events';
import { serializeLikeMeta } from './serialize';
import { signWebhookBody } from './sign';

/** How the simulator delivers, tuned per run (tests make retries fast). */
export interface DeliveryConfig {
  /** Most messaging/changes items in one POST (Meta: up to 1000, batching not guaranteed). */
  maxItemsPerPost: number;
  /** How long to gather items before a flush; 0 = flush on the next tick (items queued in one tick share POSTs). */
  batchWindowMs: number;
  /** Per-attempt timeout; Meta wants an answer within 5 s. */
  timeoutMs: number;
  /** Retries made at once after a failure (Meta "immediately retries a few times"). */
  immediateRetries: number;
  /** Delays of the later retries, in order; when exhausted the POST is dropped. */
  backoffMs: number[];
  /** Probability that a POST is delivered twice (0..1). */
  duplicateRate: number;
  /** Shuffle items and POSTs within a flush (Meta does not guarantee order). */
  reorder: boolean;
  /** Escape "/" as "\/" in bodies (reported of Meta's encoder, unverified). */
  escapeSlashes: boolean;
  /** Keep each POST's exact body in the log (turn off for long benchmarks). */
  logBodies: boolean;
}

/** Defaults close to Meta's documented behaviour, with the 36-hour tail shortened. */
export const DEFAULT_DELIVERY_CONFIG: DeliveryConfig = {
  maxItemsPerPost: 100,
  batchWindowMs: 0,
  timeoutMs: 5000,
  immediateRetries: 2,
  backoffMs: [5_000, 30_000, 120_000, 600_000],
  duplicateRate: 0,
  reorder: false,
  escapeSlashes: false,
  logBodies: true,
};

/** Where and how a group of items is delivered: one Meta app's callback. */
export interface DeliveryTarget {
  appId: string;
  callbackUrl: string;
  /** The secret that signs the bodies; empty means the POST cannot be signed. */
  secret: string;
}

/** One attempt, as recorded in the delivery log. */
export interface DeliveryAttempt {
  /** Identifies one POST body (a duplicate has its own id but the same body). */
  postId: number;
  attempt: number;
  appId: string;
  url: string;
  itemCount: number;
  duplicate: boolean;
  at: number;
  /** HTTP status, or `null` when no answer came. */
  status: number | null;
  error: string | null;
  outcome: 'delivered' | 'retrying' | 'dropped' | 'unsigned';
  body: string | null;
  signature256: string | null;
}

interface Post {
  postId: number;
  target: DeliveryTarget;
  body: string;
  headers: Record<string, string>;
  itemCount: number;
  duplicate: boolean;
  attempt: number;
}

/**
 * Delivers webhook items to callback URLs the way Meta does: batched,
 * signed, retried at once and then with backoff, optionally duplicated and
 * reordered, with a log of every attempt.
 */
export class WebhookDelivery {
  private config: DeliveryConfig;
  private pending: Array<{ target: DeliveryTarget; item: WebhookItem }> = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private busy = 0;
  private nextPostId = 1;
  private idleWaiters: Array<() => void> = [];
  private disposed = false;
  readonly log: DeliveryAttempt[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    config: Partial<DeliveryConfig> = {},
  ) {
    this.config = { ...DEFAULT_DELIVERY_CONFIG, ...config };
  }

  /** Current configuration (a copy). */
  getConfig(): DeliveryConfig {
    return { ...this.config, backoffMs: [...this.config.backoffMs] };
  }

  /** Change the configuration; applies to POSTs built from now on. */
  configure(patch: Partial<DeliveryConfig>): DeliveryConfig {
    this.config = { ...this.config, ...patch };
    return this.getConfig();
  }

  /** Queue items for delivery. */
  enqueue(target: DeliveryTarget, items: readonly WebhookItem[]): void {
    if (this.disposed) throw new Error('WebhookDelivery is disposed');
    for (const item of items) this.pending.push({ target, item });
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        void this.flush();
      }, this.config.batchWindowMs);
    }
  }

  /** Build and send POSTs for everything queued now. */
  async flush(): Promise<void> {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.busy++;
    try {
      const posts = this.buildPosts(batch);
      // Sequential sends make the arrival order exactly the (possibly shuffled) POST order.
      for (const post of posts) {
        if (this.disposed) break;
        await this.attempt(post);
      }
    } finally {
      this.done();
    }
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  async drain(): Promise<void> {
    if (this.pending.length > 0) await this.flush();
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.pending.length > 0) await this.drain();
  }

  /** Stop everything: timers cleared, requests aborted, waiters released. */
  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
    this.pending = [];
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    await Promise.resolve();
  }

  private isIdle(): boolean {
    return (
      this.pending.length === 0 && this.busy === 0 && this.retryTimers.size === 0 && this.flushTimer === null
    );
  }

  private done(): void {
    this.busy--;
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.random.int(i + 1);
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }

  private buildPosts(batch: Array<{ target: DeliveryTarget; item: WebhookItem }>): Post[] {
    const groups = new Map<string, { target: DeliveryTarget; items: WebhookItem[] }>();
    for (const { target, item } of batch) {
      const key = `${target.appId}\u0000${target.callbackUrl}`;
      const group = groups.get(key) ?? { target, items: [] };
      group.items.push(item);
      groups.set(key, group);
    }
    const posts: Post[] = [];
    for (const { target, items } of groups.values()) {
      const ordered = this.config.reorder ? this.shuffle([...items]) : items;
      for (let i = 0; i < ordered.length; i += Math.max(1, this.config.maxItemsPerPost)) {
        const chunk = ordered.slice(i, i + Math.max(1, this.config.maxItemsPerPost));
        const body = serializeLikeMeta(buildEnvelope(chunk, this.clock.now()), {
          escapeSlashes: this.config.escapeSlashes,
        });
        const post: Post = {
          postId: this.nextPostId++,
          target,
          body,
          headers: {},
          itemCount: chunk.length,
          duplicate: false,
          attempt: 0,
        };
        posts.push(post);
        if (this.config.duplicateRate > 0 && this.random.next() < this.config.duplicateRate) {
          posts.push({ ...post, postId: this.nextPostId++, duplicate: true });
        }
      }
    }
    return this.config.reorder ? this.shuffle(posts) : posts;
  }

  private record(
    post: Post,
    status: number | null,
    error: string | null,
    outcome: DeliveryAttempt['outcome'],
    signature: string | null,
  ): void {
    this.log.push({
      postId: post.postId,
      attempt: post.attempt,
      appId: post.target.appId,
      url: post.target.callbackUrl,
      itemCount: post.itemCount,
      duplicate: post.duplicate,
      at: this.clock.now(),
      status,
      error,
      outcome,
      body: this.config.logBodies ? post.body : null,
      signature256: signature,
    });
  }

  private async attempt(post: Post): Promise<void> {
    let headers: Record<string, string>;
    try {
      headers = { ...signWebhookBody(post.body, post.target.secret) };
    } catch (error) {
      post.attempt++;
      this.record(post, null, (error as Error).message, 'unsigned', null);
      return;
    }
    const maxImmediate = 1 + this.config.immediateRetries;
    for (let i = 0; i < maxImmediate; i++) {
      if (this.disposed) return;
      post.attempt++;
      const result = await this.send(post, headers);
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      if (ok) {
        this.record(post, result.status, null, 'delivered', headers['x-hub-signature-256'] ?? null);
        return;
      }
      const backoffIndex = post.attempt - maxImmediate;
      const willRetry = i < maxImmediate - 1 || backoffIndex < this.config.backoffMs.length;
      this.record(
        post,
        result.status,
        result.error,
        willRetry ? 'retrying' : 'dropped',
        headers['x-hub-signature-256'] ?? null,
      );
    }
    this.scheduleBackoff(post, headers, 0);
  }

  private scheduleBackoff(post: Post, headers: Record<string, string>, index: number): void {
    const delay = this.config.backoffMs[index];
    if (delay === undefined || this.disposed) return;
    const timer = setTimeout(() => {
      // Count the retry as busy before the timer disappears, so drain() keeps waiting.
      this.busy++;
      this.retryTimers.delete(timer);
      void (async () => {
        try {
          if (this.disposed) return;
          post.attempt++;
          const result = await this.send(post, headers);
          const ok = result.status !== null && result.status >= 200 && result.status < 300;
          const more = index + 1 < this.config.backoffMs.length;
          this.record(
            post,
            result.status,
            result.error,
            ok ? 'delivered' : more ? 'retrying' : 'dropped',
            headers['x-hub-signature-256'] ?? null,
          );
          if (!ok) this.scheduleBackoff(post, headers, index + 1);
        } finally {
          this.done();
        }
      })();
    }, delay);
    this.retryTimers.add(timer);
  }

  private send(
    post: Post,
    signature: Record<string, string>,
  ): Promise<{ status: number | null; error: string | null }> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (status: number | null, error: string | null): void => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(request);
        resolve({ status, error });
      };
      const url = new URL(post.target.callbackUrl);
      const transport = url.protocol === 'https:' ? https : http;
      const bytes = Buffer.from(post.body, 'utf8');
      const request = transport.request(
        url,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': String(bytes.length),
            'user-agent': 'facebookexternalua',
            ...signature,
          },
        },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', () => finish(response.statusCode ?? null, null));
          response.on('error', (error) => finish(response.statusCode ?? null, error.message));
        },
      );
      this.inFlight.add(request);
      request.setTimeout(this.config.timeoutMs, () => {
        request.destroy(new Error(`timeout after ${this.config.timeoutMs} ms`));
      });
      request.on('error', (error) => finish(null, error.message));
      request.end(bytes);
    });
  }
}
