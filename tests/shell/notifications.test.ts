import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../electron/main/core/api/event-bus';

const shown = vi.hoisted(() => ({
  notifications: [] as { title: string; body: string; clicks: (() => void)[] }[],
}));
vi.mock('electron', () => ({
  Notification: class {
    static isSupported() {
      return true;
    }
    readonly record: { title: string; body: string; clicks: (() => void)[] };
    constructor(options: { title: string; body: string }) {
      this.record = { ...options, clicks: [] };
    }
    on(_event: 'click', handler: () => void) {
      this.record.clicks.push(handler);
    }
    show() {
      shown.notifications.push(this.record);
    }
  },
}));

const { showCoreNotifications } = await import('../../electron/main/shell/notifications');

describe('desktop notifications', () => {
  it('warns about an expiring token, opens the window on click, and stops when disposed', async () => {
    const events = new EventBus();
    const onClick = vi.fn();
    const subscription = showCoreNotifications(events, onClick);
    events.publish('accounts.changed', { accountId: 'a' });
    events.publish('accounts.tokenExpiring', {
      accountId: 'a',
      username: 'bakery',
      daysLeft: 1,
      message: 'Refreshing failed.',
    });
    expect(shown.notifications.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: '@bakery: reconnect within 1 day', body: 'Refreshing failed.' },
    ]);
    shown.notifications[0]!.clicks[0]!();
    expect(onClick).toHaveBeenCalledOnce();
    await subscription.dispose();
    events.publish('accounts.tokenExpiring', {
      accountId: 'a',
      username: 'bakery',
      daysLeft: 3,
      message: 'x',
    });
    expect(shown.notifications).toHaveLength(1);
  });
});
