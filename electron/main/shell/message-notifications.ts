import { Notification } from 'electron';
import type { EventBus } from '../core/api/event-bus';
import type { Disposable } from '../core/lib/lifecycle';

/**
 * OS notifications for new inbound messages. The core already decided (preferences, quiet hours, privacy,
 * grouping) and worded them in `desktop.notify`; this only shows them, and a click opens the conversation.
 */
export function showMessageNotifications(
  events: EventBus,
  openConversation: (conversationId: number) => void,
): Disposable {
  // Held until clicked or closed: some platforms drop the click handler of a collected notification.
  const alive = new Set<Notification>();
  const subscription = events.subscribe((event) => {
    if (event.name !== 'desktop.notify' || !Notification.isSupported()) return;
    const { title, body, conversationId } = event.payload;
    const notification = new Notification({ title, body });
    alive.add(notification);
    notification.on('click', () => {
      alive.delete(notification);
      openConversation(conversationId);
    });
    notification.on('close', () => alive.delete(notification));
    notification.show();
  });
  return {
    dispose: () => {
      void subscription.dispose();
      alive.clear();
    },
  };
}
