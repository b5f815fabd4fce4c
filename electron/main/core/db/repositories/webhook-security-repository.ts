/**
 * The webhook security log (`webhook_security_log`): refused webhook requests per account, without bodies.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { WebhookSecurityLogTable } from '../schema';
import { asciiId, instant, parseInput, varchar } from '../validation';
import type { RepositoryContext } from './context';

/** One coalesced refusal: `occurrences` identical refusals between `firstAt` and `lastAt`. */
export interface WebhookSecurityEntry {
  id: number;
  accountId: string | null;
  instagramAccountId: string;
  reason: string;
  httpStatus: number;
  method: string;
  remoteAddress: string | null;
  userAgent: string | null;
  bodyBytes: number | null;
  occurrences: number;
  firstAt: Date;
  lastAt: Date;
}

const entrySchema = z
  .object({
    accountId: asciiId(64).nullable(),
    instagramAccountId: asciiId(64),
    reason: varchar(48).min(1),
    httpStatus: z.number().int().min(100).max(599),
    method: varchar(8).min(1),
    remoteAddress: varchar(64).nullable(),
    userAgent: varchar(255).nullable(),
    bodyBytes: z.number().int().min(0).nullable(),
    occurrences: z.number().int().min(1),
    firstAt: instant,
    lastAt: instant,
  })
  .strict();

/** Input for `recordMany`. */
export type NewWebhookSecurityEntry = z.input<typeof entrySchema>;

/** Writes, reads and prunes the webhook security log. */
export class WebhookSecurityRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** Appends entries in one statement. */
  async recordMany(entries: readonly NewWebhookSecurityEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { specifics } = this.context;
    const rows = entries.map((input) => {
      const entry = parseInput(entrySchema, input, 'webhook security entry');
      return {
        account_id: entry.accountId,
        instagram_account_id: entry.instagramAccountId,
        reason: entry.reason,
        http_status: entry.httpStatus,
        method: entry.method,
        remote_address: entry.remoteAddress,
        user_agent: entry.userAgent,
        body_bytes: entry.bodyBytes,
        occurrences: entry.occurrences,
        first_at: specifics.time(entry.firstAt),
        last_at: specifics.time(entry.lastAt),
      };
    });
    await this.context.db.insertInto('webhook_security_log').values(rows).execute();
  }

  /** Entries newest first, for one connected account or for one id in the URL. */
  async list(
    filter: { accountId?: string; instagramAccountId?: string; limit?: number } = {},
  ): Promise<WebhookSecurityEntry[]> {
    let query = this.context.db
      .selectFrom('webhook_security_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    if (filter.instagramAccountId !== undefined)
      query = query.where('instagram_account_id', '=', filter.instagramAccountId);
    return (await query.execute()).map((row) => this.fromRow(row));
  }

  /**
   * Keeps the newest `keep` entries of one account (null = requests naming no connected account) and
   * deletes the rest; returns how many were deleted. Two statements: MySQL cannot delete from a table
   * it selects from in the same statement.
   */
  async prune(accountId: string | null, keep: number): Promise<number> {
    const { db } = this.context;
    const boundary = await db
      .selectFrom('webhook_security_log')
      .select('id')
      .$call((q) =>
        accountId === null ? q.where('account_id', 'is', null) : q.where('account_id', '=', accountId),
      )
      .orderBy('id', 'desc')
      .limit(1)
      .offset(keep)
      .executeTakeFirst();
    if (!boundary) return 0;
    const result = await db
      .deleteFrom('webhook_security_log')
      .$call((q) =>
        accountId === null ? q.where('account_id', 'is', null) : q.where('account_id', '=', accountId),
      )
      .where('id', '<=', boundary.id)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private fromRow(row: Selectable<WebhookSecurityLogTable>): WebhookSecurityEntry {
    const { specifics } = this.context;
    return {
      id: Number(row.id),
      accountId: row.account_id,
      instagramAccountId: row.instagram_account_id,
      reason: row.reason,
      httpStatus: Number(row.http_status),
      method: row.method,
      remoteAddress: row.remote_address,
      userAgent: row.user_agent,
      bodyBytes: row.body_bytes === null ? null : Number(row.body_bytes),
      occurrences: Number(row.occurrences),
      firstAt: specifics.readTime(row.first_at),
      lastAt: specifics.readTime(row.last_at),
    };
  }
}
