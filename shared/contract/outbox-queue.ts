import { z } from 'zod';
import { method } from './define';
import { outboxMessageViewSchema } from './outbox';

/**
 * The queue view per account: its messages bucket by bucket (waiting, paced, held, sending, failed,
 * unknown, expired), a page at a time. The counts come from `outbox.queue`; changes are pushed with
 * `outbox.messageChanged`.
 */

export const outboxQueueBucketSchema = z.enum(
  ['waiting', 'paced', 'held', 'sending', 'failed', 'unknown', 'expired'],
  { error: 'Choose waiting, paced, held, sending, failed, unknown or expired' },
);
export type OutboxQueueBucket = z.infer<typeof outboxQueueBucketSchema>;

export const outboxQueueRowSchema = outboxMessageViewSchema.extend({
  /** The person the message goes to. */
  recipient: z
    .object({ igsid: z.string(), username: z.string().nullable(), name: z.string().nullable() })
    .strict(),
});
export type OutboxQueueRow = z.infer<typeof outboxQueueRowSchema>;

export const outboxQueueMethods = {
  'outbox.queueList': method({
    summary:
      "One page of an account's queue in one bucket: waiting, paced, held and sending oldest first; failed, unknown and expired newest first.",
    input: z
      .object({
        accountId: z.string().min(1, 'Choose an account'),
        bucket: outboxQueueBucketSchema,
        /** `next` of the previous page. */
        cursor: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(200, 'Ask for at most 200 rows a page').optional(),
      })
      .strict(),
    output: z.object({ rows: z.array(outboxQueueRowSchema), next: z.number().int().nullable() }).strict(),
  }),
} as const;
