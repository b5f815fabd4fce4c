/**
 * The shell's desktop behaviour with Electron mocked: new-message notifications (click opens the
 * conversation), the unread badge and tray count fed from `inbox.counts` on events, start at login.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { EventBus } from '../../electron/main/core/api/event-bus';
import type { Dispatch } from '../../electron/main/core/api/dispatcher';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { defaultDesktopSettings, ok, type DesktopNotification } from '../../shared/contract';
import type { createElectronMock } from './electron-mock';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createElectronMock>,
}));
vi.mock('electron', async () => {
  const { createElectronMock: create } = await import('./electron-mock');
  electron.current = create();
  return electron.current.module;
});

const { showMessageNotifications } = await import('../../electron/main/shell/message-notifications');
const { showUnreadBadge } = await import('../../electron/main/shell/unread-badge');
const { applyStartAtLogin } = await import('../../electron/main/shell/login-item');
const { conversationRoute, createWindowOpener } = await import('../../electron/main/shell/window');

const notification = (overrides: Partial<DesktopNotification> = {}): DesktopNotification => ({
  accountId: 'a',
  conversationId: 42,
  title: 'Maria (@maria) → Sunrise Bakery · @sunrise',
  body: 'Croissants?',
  count: 1,
  private: false,
  ...overrides,
});

beforeEach(() => {
  electron.current.notifications.length = 0;
  electron.current.windows.length = 0;
  electron.current.Notification.supported = true;
  electron.current.module.app.setBadgeCount.mockClear();
  electron.current.module.app.setLoginItemSettings.mockClear();
  electron.current.module.app.isPackaged = false;
});

describe('new-message notifications', () => {
  it('show what the core worded; a click opens that conversation; nothing after dispose', async () => {
    const events = new EventBus();
    const open = vi.fn();
    const subscription = showMessageNotifications(events, open);
    events.publish('inbox.messageAdded', {
      accountId: 'a',
      conversationId: 42,
      messageId: 1,
      direction: 'inbound',
      kind: 'text',
      createdAt: new Date().toISOString(),
    });
    expect(electron.current.notifications).toHaveLength(0); // only `desktop.notify` is shown
    events.publish('desktop.notify', notification({ body: 'New message', private: true }));
    const [shown] = electron.current.notifications;
    expect(shown).toMatchObject({
      title: 'Maria (@maria) → Sunrise Bakery · @sunrise',
      body: 'New message',
      shown: true,
    });
    shown!.handlers.get('click')!();
    expect(open).toHaveBeenCalledWith(42);
    await subscription.dispose();
    events.publish('desktop.notify', notification());
    expect(electron.current.notifications).toHaveLength(1);
  });

  it('show nothing where the OS has no notifications', () => {
    electron.current.Notification.supported = false;
    const events = new EventBus();
    showMessageNotifications(events, () => {});
    events.publish('desktop.notify', notification());
    expect(electron.current.notifications).toHaveLength(0);
  });
});

describe('opening a conversation from a notification', () => {
  it('creates the window at the conversation when none is open', () => {
    const open = createWindowOpener({ windows: new Set(), preloadPath: 'p', rendererFile: '/r/index.html' });
    open(conversationRoute(42));
    expect(electron.current.windows[0]!.loadedHash).toBe('/inbox/42');
  });

  it('restores and focuses the open window and moves its route (no reload)', () => {
    const windows = new Set<BrowserWindow>();
    const open = createWindowOpener({ windows, preloadPath: 'p', rendererFile: '/r/index.html' });
    open();
    const window = electron.current.windows[0]!;
    expect(window.loadedHash).toBeUndefined();
    window.minimized = true;
    open(conversationRoute(7));
    expect(electron.current.windows).toHaveLength(1);
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
    expect(window.webContents.scripts).toEqual(['window.location.hash = "#/inbox/7";']);
  });

  it('refuses a route for anything but a conversation id', () => {
    expect(() => conversationRoute(Number.NaN)).toThrow(/conversation id/);
    expect(() => conversationRoute(-1)).toThrow(/conversation id/);
  });
});

describe('unread badge', () => {
  function counts(values: number[]) {
    const calls: string[] = [];
    const dispatch: Dispatch = vi.fn((method: string) => {
      calls.push(method);
      const total = values.shift() ?? 0;
      return Promise.resolve(ok({ totalUnread: total * 2, totalUnreadConversations: total, accounts: [] }));
    });
    return { dispatch, calls };
  }

  it('shows the unread conversations at start and after inbox events, on the dock and the tray', async () => {
    const events = new EventBus();
    const tray = { setUnreadCount: vi.fn() };
    const { dispatch, calls } = counts([3, 5]);
    const badge = showUnreadBadge({ dispatch, events, tray });
    await badge.idle();
    expect(electron.current.module.app.setBadgeCount).toHaveBeenLastCalledWith(3);
    expect(tray.setUnreadCount).toHaveBeenLastCalledWith(3);
    events.publish('inbox.conversationChanged', { accountId: 'a', conversationId: 1 });
    await badge.idle();
    expect(tray.setUnreadCount).toHaveBeenLastCalledWith(5);
    expect(calls).toEqual(['inbox.counts', 'inbox.counts']);
    await badge.dispose();
    events.publish('inbox.conversationChanged', { accountId: 'a', conversationId: 1 });
    await badge.idle();
    expect(calls).toHaveLength(2);
  });

  it('coalesces a burst of events into one more read, and keeps the count when a read fails', async () => {
    const events = new EventBus();
    const tray = { setUnreadCount: vi.fn() };
    let release: () => void = () => {};
    const calls: string[] = [];
    const dispatch: Dispatch = vi.fn(async (method: string) => {
      calls.push(method);
      if (calls.length === 1) {
        await new Promise<void>((resolve) => (release = resolve));
        return ok({ totalUnread: 1, totalUnreadConversations: 1, accounts: [] });
      }
      return { ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'no database' } };
    });
    const badge = showUnreadBadge({ dispatch, events, tray });
    for (let i = 0; i < 10; i += 1)
      events.publish('inbox.conversationChanged', { accountId: 'a', conversationId: i });
    release();
    await badge.idle();
    expect(calls).toHaveLength(2);
    expect(tray.setUnreadCount.mock.calls).toEqual([[1]]);
  });
});

describe('start at login', () => {
  const settingsDispatch = (startAtLogin: boolean): Dispatch =>
    vi.fn(() => Promise.resolve(ok({ ...defaultDesktopSettings, startAtLogin })));

  it('applies the stored preference at start and every change (installed app)', async () => {
    electron.current.module.app.isPackaged = true;
    const events = new EventBus();
    applyStartAtLogin({ dispatch: settingsDispatch(true), events, logger: silentLogger() });
    await vi.waitFor(() => expect(electron.current.module.app.setLoginItemSettings).toHaveBeenCalled());
    events.publish('desktop.settingsChanged', { ...defaultDesktopSettings, startAtLogin: false });
    events.publish('desktop.settingsChanged', {
      ...defaultDesktopSettings,
      startAtLogin: false,
      privateNotifications: true,
    });
    expect(electron.current.module.app.setLoginItemSettings.mock.calls).toEqual([
      [{ openAtLogin: true }],
      [{ openAtLogin: false }],
    ]);
  });

  it('never registers a development run', async () => {
    const events = new EventBus();
    const dispatch = settingsDispatch(true);
    applyStartAtLogin({ dispatch, events, logger: silentLogger() });
    await vi.waitFor(() => expect(dispatch).toHaveBeenCalled());
    events.publish('desktop.settingsChanged', { ...defaultDesktopSettings, startAtLogin: false });
    expect(electron.current.module.app.setLoginItemSettings).not.toHaveBeenCalled();
  });
});
