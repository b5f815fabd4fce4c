/**
 * The queue view's part of the contract: one account's messages in one bucket, a page at a time.
 */
import type { Handlers } from '../api/dispatcher';
import { ApiError } from '../api/api-error';
import type { Repositories } from '../db/repositories';
import { toOutboxView } from './outbox-view';

/** `outbox.queueList`. */
export function outboxQueueHandlers(repositories: () => Repositories): Pick<Handlers, 'outbox.queueList'> {
  return {
    'outbox.queueList': async (input) => {
      const repos = repositories();
      if (!(await repos.accounts.get(input.accountId)))
        throw new ApiError('NOT_FOUND', 'This account no longer exists.');
      const page = await repos.outboxQueue.listBucket({
        accountId: input.accountId,
        bucket: input.bucket,
        ...(input.cursor !== undefined ? { after: input.cursor } : {}),
        limit: input.limit ?? 100,
      });
      return {
        rows: page.rows.map((row) => ({ ...toOutboxView(row), recipient: row.recipient })),
        next: page.next,
      };
    },
  };
}
