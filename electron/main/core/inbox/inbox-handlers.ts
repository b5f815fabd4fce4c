import type { Handlers } from '../api/dispatcher';
import type { InboxService } from './inbox-service';

type InboxHandlers = Pick<
  Handlers,
  | 'inbox.list'
  | 'inbox.counts'
  | 'inbox.labels'
  | 'inbox.getConversation'
  | 'inbox.thread'
  | 'inbox.markRead'
  | 'inbox.markUnread'
  | 'inbox.update'
  | 'inbox.setAutomationPause'
  | 'inbox.addNote'
  | 'inbox.deleteNote'
>;

/** The inbox part of the contract. */
export function inboxHandlers(inbox: InboxService): InboxHandlers {
  return {
    'inbox.list': (input) => inbox.list(input),
    'inbox.counts': () => inbox.counts(),
    'inbox.labels': () => inbox.labels(),
    'inbox.getConversation': (input) => inbox.getConversation(input.conversationId),
    'inbox.thread': (input) => inbox.thread(input),
    'inbox.markRead': (input) => inbox.markRead(input.conversationId),
    'inbox.markUnread': (input) => inbox.markUnread(input.conversationId),
    'inbox.update': (input) => inbox.update(input),
    'inbox.setAutomationPause': (input) => inbox.setAutomationPause(input.conversationId, input.until),
    'inbox.addNote': (input) => inbox.addNote(input),
    'inbox.deleteNote': (input) => inbox.deleteNote(input.id),
  };
}
