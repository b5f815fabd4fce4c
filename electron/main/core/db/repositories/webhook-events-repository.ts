/**
 * Webhook deliveries, stored as received before Instagram gets its 200.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { WebhookEventsTable } from '../schema';
import { asciiId, instant, longText, parseInput, toJsonText } from '../validation';
import { notFound } from './context';
import type { RepositoryContext } from './context';
import { preparedQuery } from './prepared-query';

/** Processing state of a delivery. */
export const WEBHOOK_STATES = ['received', 'processing', 'processed', 'failed', 'ignored'] as const;

/** A stored delivery. */
export interface WebhookEvent {
  id: number;
  accountId: string | null;
  rawBody: string;
  headers: Record<string, string>;
  signatureValid: boolean;
  receivedAt: Date;
  state: (typeof WEBHOOK_STATES)[number];
  attempts: number;
  processedAt: Date | null;
  error: string | null;
}

/** Bodies above this are refused (Instagram batches stay far below; MEDIUMTEXT holds 16 MB). */
const RAW_BODY_MAX_BYTES = 16 * 1024 * 1024 - 1;

const newEventSchema = z
  .object({
    accountId: asciiId(64).nullable().optional(),
    rawBody: z.string().refine((value) => Buffer.byteLength(value, 'utf8') <= RAW_BODY_MAX_BYTES, {
      message: 'must be at most 16 MB',
    }),
    headers: z.record(z.string().max(256), z.string().max(8192)),
    signatureValid: z.boolean(),
    receivedAt: instant.optional(),
  })
  .strict();

/** Input for `record`. */
export type NewWebhookEvent = z.input<typeof newEventSchema>;

/** Once per ingested delivery. */
const markProcessed = preparedQuery((db, processedAt: number | string, id: number) =>
  db
    .updateTable('webhook_events')
    .set({ state: 'processed', processed_at: processedAt, error: null })
    .where('id', '=', id),
);

/** Reads and writes webhook deliveries. */
export class WebhookEventsRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** Stores a delivery (state `received`) and returns its id. Call before acknowledging. */
  async record(input: NewWebhookEvent): Promise<number> {
    const parsed = parseInput(newEventSchema, input, 'webhook delivery');
    const result = await this.context.db
      .insertInto('webhook_events')
      .values(this.toRow(parsed, parsed.accountId ?? null))
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  /**
   * Stores several deliveries (state `received`) with one insert per 100, in the order given, so ingest
   * takes them in that order. Each is checked as `record` checks it; one bad delivery refuses the call.
   * A delivery whose account was removed since it was received is kept without its account, as removing
   * an account leaves the deliveries already stored (`on delete set null`).
   */
  async recordMany(inputs: readonly NewWebhookEvent[]): Promise<void> {
    const { db } = this.context;
    const parsed = inputs.map((input) => parseInput(newEventSchema, input, 'webhook delivery'));
    const named = [
      ...new Set(parsed.flatMap((delivery) => (delivery.accountId ? [delivery.accountId] : []))),
    ];
    const existing =
      named.length === 0
        ? new Set<string>()
        : new Set(
            (
              await db
                .selectFrom('instagram_business_accounts')
                .select('id')
                .where('id', 'in', named)
                .execute()
            ).map((row) => row.id),
          );
    const rows = parsed.map((delivery) =>
      this.toRow(
        delivery,
        delivery.accountId && existing.has(delivery.accountId) ? delivery.accountId : null,
      ),
    );
    // 100 rows of 6 values stay far below both dialects' limits on bound parameters.
    for (let start = 0; start < rows.length; start += 100)
      await db
        .insertInto('webhook_events')
        .values(rows.slice(start, start + 100))
        .execute();
  }

  /** The delivery, or null. */
  async get(id: number): Promise<WebhookEvent | null> {
    const row = await this.context.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /** Deliveries waiting for ingest (also those interrupted by a crash), oldest first. */
  async listPending(limit = 100): Promise<WebhookEvent[]> {
    const rows = await this.context.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('state', 'in', ['received', 'processing'])
      .orderBy('received_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** Deliveries newest first, for the diagnostics screen (one account or all; some states or all). */
  async listRecent(
    filter: { accountId?: string; states?: readonly WebhookEvent['state'][]; limit?: number } = {},
  ): Promise<WebhookEvent[]> {
    let query = this.context.db
      .selectFrom('webhook_events')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    if (filter.states !== undefined) query = query.where('state', 'in', [...filter.states]);
    return (await query.execute()).map((row) => this.fromRow(row));
  }

  /**
   * Puts a finished delivery back in the ingest queue (replay), with a fresh attempt count so it is not
   * set aside at once; a delivery still queued is left as it is. Returns false when there is no such id.
   */
  async requeue(id: number): Promise<boolean> {
    const result = await this.context.db
      .updateTable('webhook_events')
      .set({ state: 'received', attempts: 0, processed_at: null, error: null })
      .where('id', '=', id)
      .where('state', 'in', ['processed', 'failed', 'ignored'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    return (await this.get(id)) !== null;
  }

  /** Ingest started on the delivery. */
  async markProcessing(id: number): Promise<void> {
    await this.setState(id, { state: 'processing' }, true);
  }

  /** Counts an attempt for several deliveries at once (one statement, one commit). */
  async markProcessingMany(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    // The count exists for deliveries that crash the process (set aside after a few attempts): it must
    // survive that crash, and a power loss only costs one more attempt. So no wait for the disk here,
    // one flush less per ingest group (`npm run bench -- pipeline` at 200/s: about 0.6 ms each).
    const { db, specifics } = this.context;
    await specifics.withoutFlush(db, (target) =>
      target
        .updateTable('webhook_events')
        .set({ state: 'processing' })
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', [...ids])
        .execute(),
    );
  }

  /** Ingest finished. */
  async markProcessed(id: number, at: Date = this.context.now()): Promise<void> {
    const result = await markProcessed.run(this.context, this.context.specifics.time(at), id);
    if (Number(result.numAffectedRows ?? 0) === 0) throw notFound('webhook delivery', id);
  }

  /**
   * Ingest finished for several deliveries: one statement for a whole group (ingest's transaction). Throws
   * `DB_NOT_FOUND`, naming the missing ids, when any of them does not exist.
   */
  async markProcessedMany(ids: readonly number[], at: Date = this.context.now()): Promise<void> {
    const distinct = [...new Set(ids)];
    if (distinct.length === 0) return;
    if (distinct.length === 1) return this.markProcessed(distinct[0]!, at);
    const result = await this.context.db
      .updateTable('webhook_events')
      .set({ state: 'processed', processed_at: this.context.specifics.time(at), error: null })
      .where('id', 'in', distinct)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === distinct.length) return;
    const found = await this.context.db
      .selectFrom('webhook_events')
      .select('id')
      .where('id', 'in', distinct)
      .execute();
    // MariaDB counts changed rows only: a delivery already in this state is there all the same.
    const present = new Set(found.map((row) => Number(row.id)));
    const missing = distinct.filter((id) => !present.has(id));
    if (missing.length > 0) throw notFound('webhook deliveries', missing.join(', '));
  }

  /** Ingest failed; the error is kept for the diagnostics screen. */
  async markFailed(id: number, error: string): Promise<void> {
    await this.setState(id, { state: 'failed', error: parseInput(longText(), error, 'error text') });
  }

  /** Nothing to do for this delivery (e.g. a field we do not handle), with why. */
  async markIgnored(id: number, reason: string): Promise<void> {
    await this.setState(id, {
      state: 'ignored',
      processed_at: this.context.specifics.time(this.context.now()),
      error: parseInput(longText(), reason, 'reason'),
    });
  }

  private async setState(
    id: number,
    values: { state: string; processed_at?: number | string; error?: string | null },
    countAttempt = false,
  ): Promise<void> {
    const result = await this.context.db
      .updateTable('webhook_events')
      .set(values)
      .$if(countAttempt, (q) => q.set((eb) => ({ attempts: eb('attempts', '+', 1) })))
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('webhook delivery', id);
  }

  /** The columns of a new delivery, checked (`received`, its time or now). */
  private toRow(delivery: z.output<typeof newEventSchema>, accountId: string | null) {
    return {
      account_id: accountId,
      raw_body: delivery.rawBody,
      headers: toJsonText(delivery.headers, 'headers'),
      signature_valid: delivery.signatureValid ? 1 : 0,
      received_at: this.context.specifics.time(delivery.receivedAt ?? this.context.now()),
      state: 'received' as const,
    };
  }

  private fromRow(row: Selectable<WebhookEventsTable>): WebhookEvent {
    const { specifics } = this.context;
    return {
      id: Number(row.id),
      accountId: row.account_id,
      rawBody: row.raw_body,
      headers: JSON.parse(row.headers) as Record<string, string>,
      signatureValid: specifics.readBool(row.signature_valid),
      receivedAt: specifics.readTime(row.received_at),
      state: row.state as WebhookEvent['state'],
      attempts: Number(row.attempts),
      processedAt: specifics.readTimeOrNull(row.processed_at),
      error: row.error,
    };
  }
}
