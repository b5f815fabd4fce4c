import type { Handlers } from '../api/dispatcher';
import type { OutboxService } from './outbox-service';

type OutboxHandlers = Pick<
  Handlers,
  | 'outbox.send'
  | 'outbox.listConversation'
  | 'outbox.retry'
  | 'outbox.cancel'
  | 'outbox.queue'
  | 'outbox.setPacing'
>;

/** The outbox part of the contract. */
export function outboxHandlers(outbox: OutboxService): OutboxHandlers {
  return {
    'outbox.send': (input) => outbox.send(input),
    'outbox.listConversation': async (input) => ({
      messages: await outbox.listConversation(input.conversationId),
    }),
    'outbox.retry': (input) => outbox.retry(input.id),
    'outbox.cancel': (input) => outbox.cancel(input.id),
    'outbox.queue': async (input) => ({ accounts: await outbox.queue(input.accountId) }),
    'outbox.setPacing': (input) => outbox.setPacing(input.accountId, input.perSecond),
  };
}
