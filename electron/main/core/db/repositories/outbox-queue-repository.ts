/**
 * The queue view's reads over the outbox: one account's messages in one bucket (waiting, paced,
 * held, sending, failed, unknown, expired) a page at a time, keyed on the id, with the person each
 * one goes to; and the figures the counts leave out (recently expired, when the next paced one goes).
 */
import { z } from 'zod';
import { asciiId, parseInput } from '../validation';
import type { RepositoryContext } from './context';
import { OutboxRepository } from './outbox-repository';
import type { OutboundMessage } from './outbox-repository';

/** The buckets of the queue view. */
export const OUTBOX_QUEUE_BUCKETS = [
  'waiting',
  'paced',
  'held',
  'sending',
  'failed',
  'unknown',
  'expired',
] as const;
export type OutboxQueueBucket = (typeof OUTBOX_QUEUE_BUCKETS)[number];

/** Buckets of messages still to go are listed oldest first; finished ones newest first. */
const newestFirst: ReadonlySet<OutboxQueueBucket> = new Set(['failed', 'unknown', 'expired']);

/** An outbound message with the person it goes to. */
export interface OutboxQueueRow extends OutboundMessage {
  recipient: { igsid: string; username: string | null; name: string | null };
}

const pageSchema = z
  .object({
    accountId: asciiId(64),
    bucket: z.enum(OUTBOX_QUEUE_BUCKETS),
    /** The id of the last row of the previous page. */
    after: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();

/** Reads for the per-account queue view. */
export class OutboxQueueRepository {
  private readonly outbox: OutboxRepository;

  constructor(private readonly context: RepositoryContext) {
    this.outbox = new OutboxRepository(context);
  }

  /**
   * One page of a bucket; `next` is the cursor of the following page, or null on the last one.
   * Waiting, paced, held and sending are listed oldest first (the order they go out); failed,
   * unknown and expired newest first.
   */
  async listBucket(
    input: z.input<typeof pageSchema>,
  ): Promise<{ rows: OutboxQueueRow[]; next: number | null }> {
    const parsed = parseInput(pageSchema, input, 'queue page');
    const limit = parsed.limit ?? 100;
    const descending = newestFirst.has(parsed.bucket);
    let query = this.context.db
      .selectFrom('outbound_messages as o')
      .innerJoin('conversations as c', 'c.id', 'o.conversation_id')
      .selectAll('o')
      .select([
        'c.participant_igsid as recipient_igsid',
        'c.participant_username as recipient_username',
        'c.participant_name as recipient_name',
      ])
      .where('o.account_id', '=', parsed.accountId);
    query = query.where((eb) => {
      switch (parsed.bucket) {
        case 'waiting':
          return eb.and([
            eb('o.state', '=', 'pending'),
            eb.or([eb('o.wait_kind', 'is', null), eb('o.wait_kind', 'in', ['retry', 'verify'])]),
          ]);
        case 'paced':
        case 'held':
          return eb.and([eb('o.state', '=', 'pending'), eb('o.wait_kind', '=', parsed.bucket)]);
        default:
          return eb('o.state', '=', parsed.bucket);
      }
    });
    if (parsed.after !== undefined) query = query.where('o.id', descending ? '<' : '>', parsed.after);
    const rows = await query
      .orderBy('o.id', descending ? 'desc' : 'asc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map((row) => {
      const { recipient_igsid, recipient_username, recipient_name, ...outbound } = row;
      return {
        ...this.outbox.fromRow(outbound),
        recipient: { igsid: recipient_igsid, username: recipient_username, name: recipient_name },
      };
    });
    const last = page.at(-1);
    return { rows: page, next: rows.length > limit && last ? last.id : null };
  }

  /** How many of the account's messages expired since `since` (the window closed before they could go). */
  async countExpiredSince(accountId: string, since: Date): Promise<number> {
    const row = await this.context.db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('account_id', '=', accountId)
      .where('state', '=', 'expired')
      .where('updated_at', '>=', this.context.specifics.time(since))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** When the account's next paced message is due to go, or null when none waits for the budget. */
  async nextPacedAt(accountId: string): Promise<Date | null> {
    const row = await this.context.db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('account_id', '=', accountId)
      .where('state', '=', 'pending')
      .where('wait_kind', '=', 'paced')
      .executeTakeFirst();
    const due = row?.due;
    return due === null || due === undefined ? null : this.context.specifics.readTime(due);
  }
}
