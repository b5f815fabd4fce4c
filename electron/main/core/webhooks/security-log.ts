/**
 * The receiver's security log: every refused request, per account, without its body.
 *
 * Refusals are driven by whoever reaches the public URL, so writing one row per request would let anyone
 * turn requests into database writes. Instead they are coalesced in memory (same account, id, reason,
 * status and method → one row with a count), written once a second in one transaction, and the table is
 * pruned to the newest rows per account. If the database is down the buffered rows are dropped with a log
 * line: the log is a diagnostic, never a reason to hold anything up.
 */
import type { Repositories } from '../db/repositories';
import type { NewWebhookSecurityEntry } from '../db/repositories/webhook-security-repository';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';

/** Why a request was refused (stored as `reason`). */
export type RefusalReason =
  | 'unknown_account'
  | 'account_inactive'
  | 'account_suspended'
  | 'account_archived'
  | 'signature_missing'
  | 'signature_sha1_only'
  | 'signature_malformed'
  | 'signature_invalid'
  | 'secret_unavailable'
  | 'content_type'
  | 'body_too_large'
  | 'body_incomplete'
  | 'handshake_invalid'
  | 'verify_token_mismatch'
  | 'overflow';

/** One refused request as the routes report it. */
export interface Refusal {
  accountId: string | null;
  instagramAccountId: string;
  reason: RefusalReason;
  status: number;
  method: string;
  remoteAddress: string | undefined;
  userAgent: string | undefined;
  bodyBytes: number | null;
}

/** Rows kept per account (and for all unknown ids together). */
export const SECURITY_LOG_KEEP_PER_ACCOUNT = 500;
const FLUSH_INTERVAL_MS = 1_000;
/** Distinct rows buffered per interval; more are counted in one `overflow` row. */
const MAX_BUFFERED = 200;

/** Buffers, coalesces and writes refusals. */
export class SecurityLog implements Disposable {
  private buffer = new Map<string, NewWebhookSecurityEntry>();
  private overflow = 0;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;

  constructor(private readonly deps: { repositories: () => Repositories; logger: Logger; now?: () => Date }) {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Notes a refusal; written at the next flush. */
  record(refusal: Refusal): void {
    const at = (this.deps.now ?? (() => new Date()))();
    const key = [
      refusal.accountId,
      refusal.instagramAccountId,
      refusal.reason,
      refusal.status,
      refusal.method,
    ].join('\u0000');
    const existing = this.buffer.get(key);
    if (existing) {
      existing.occurrences = (existing.occurrences ?? 1) + 1;
      existing.lastAt = at;
      existing.bodyBytes = refusal.bodyBytes;
      return;
    }
    if (this.buffer.size >= MAX_BUFFERED) {
      this.overflow += 1;
      return;
    }
    this.buffer.set(key, {
      accountId: refusal.accountId,
      instagramAccountId: refusal.instagramAccountId.slice(0, 64),
      reason: refusal.reason,
      httpStatus: refusal.status,
      method: refusal.method.slice(0, 8),
      remoteAddress: refusal.remoteAddress?.slice(0, 64) ?? null,
      // Printable characters only: a user agent is attacker-chosen text shown on a diagnostics screen.
      userAgent: refusal.userAgent?.replace(/[^\x20-\x7e]/g, '?').slice(0, 255) ?? null,
      bodyBytes: refusal.bodyBytes,
      occurrences: 1,
      firstAt: at,
      lastAt: at,
    });
  }

  /** Writes what is buffered now (tests call it instead of waiting for the timer). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.size === 0 && this.overflow === 0) return;
    const entries = [...this.buffer.values()];
    if (this.overflow > 0) {
      const at = (this.deps.now ?? (() => new Date()))();
      entries.push({
        accountId: null,
        instagramAccountId: '-',
        reason: 'overflow',
        httpStatus: 429,
        method: '-',
        remoteAddress: null,
        userAgent: null,
        bodyBytes: null,
        occurrences: this.overflow,
        firstAt: at,
        lastAt: at,
      });
    }
    this.buffer = new Map();
    this.overflow = 0;
    this.flushing = this.write(entries).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(entries: NewWebhookSecurityEntry[]): Promise<void> {
    const refused = entries.reduce((sum, entry) => sum + (entry.occurrences ?? 1), 0);
    try {
      const repos = this.deps.repositories();
      await repos.transaction(async (tx) => {
        await tx.webhookSecurity.recordMany(entries);
        const accounts = new Set(entries.map((entry) => entry.accountId ?? null));
        for (const accountId of accounts)
          await tx.webhookSecurity.prune(accountId, SECURITY_LOG_KEEP_PER_ACCOUNT);
      });
      this.deps.logger.warn(
        { refused, reasons: [...new Set(entries.map((entry) => entry.reason))] },
        'webhook requests refused',
      );
    } catch (error) {
      this.deps.logger.warn(
        { err: error, refused },
        'webhook security log not written (database unavailable)',
      );
    }
  }
}
