import { Notification } from 'electron';
import type { EventBus } from '../core/api/event-bus';
import type { Disposable } from '../core/lib/lifecycle';

/**
 * Desktop notifications for what staff must not miss: a token about to expire while refreshing fails.
 * (New-message notifications arrive with the inbox.)
 */
export function showCoreNotifications(events: EventBus, onClick: () => void): Disposable {
  return events.subscribe((event) => {
    if (event.name !== 'accounts.tokenExpiring' || !Notification.isSupported()) return;
    const { username, daysLeft } = event.payload;
    const notification = new Notification({
      title: `@${username}: reconnect within ${daysLeft} day${daysLeft === 1 ? '' : 's'}`,
      body: event.payload.message,
    });
    notification.on('click', onClick);
    notification.show();
  });
}
