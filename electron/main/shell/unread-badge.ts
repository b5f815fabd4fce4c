import { app } from 'electron';
import type { MethodOutput } from '../../../shared/contract';
import type { Dispatch } from '../core/api/dispatcher';
import type { EventBus } from '../core/api/event-bus';
import type { Disposable } from '../core/lib/lifecycle';

/** What shows the unread total besides the dock/taskbar badge (the tray). */
export interface UnreadDisplay {
  setUnreadCount(count: number): void;
}

/**
 * The unread badge (dock/taskbar where the platform has one) and the tray's count: the number of
 * conversations with unread messages, read from the core's `inbox.counts` at start and again after each
 * inbox event (never on a timer). Reads never overlap: events during one read cause exactly one more.
 */
export function showUnreadBadge(options: {
  dispatch: Dispatch;
  events: EventBus;
  tray: UnreadDisplay;
}): Disposable & {
  /** Resolves when no read is running or queued (for tests). */
  idle(): Promise<void>;
} {
  let running: Promise<void> | null = null;
  let again = false;
  let disposed = false;

  const read = async (): Promise<void> => {
    do {
      again = false;
      const result = await options.dispatch('inbox.counts', {}, { transport: 'in-process' });
      // No database yet (or a failed read): keep what is shown; the next event reads again.
      if (disposed || !result.ok) continue;
      const count = (result.value as MethodOutput<'inbox.counts'>).totalUnreadConversations;
      app.setBadgeCount(count); // false where unsupported (most Linux desktops): the tray still shows it
      options.tray.setUnreadCount(count);
    } while (again && !disposed);
  };
  const refresh = () => {
    if (running) {
      again = true;
      return;
    }
    running = read().finally(() => {
      running = null;
    });
  };

  let databaseState: string | undefined;
  const subscription = options.events.subscribe((event) => {
    if (event.name === 'inbox.conversationChanged' || event.name === 'inbox.messageAdded') refresh();
    else if (event.name === 'app.statusChanged' && event.payload.database.state !== databaseState) {
      // The database came (back): its counts are readable now.
      databaseState = event.payload.database.state;
      if (databaseState === 'ok') refresh();
    }
  });
  refresh();
  return {
    idle: async () => {
      while (running) await running;
    },
    dispose: () => {
      disposed = true;
      void subscription.dispose();
    },
  };
}
