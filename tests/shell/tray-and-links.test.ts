import { describe, expect, it, vi } from 'vitest';
import { isAllowedExternalUrl } from '../../electron/main/shell/external-links';
import type { createElectronMock } from './electron-mock';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createElectronMock>,
}));
vi.mock('electron', async () => {
  const { createElectronMock: create } = await import('./electron-mock');
  electron.current = create();
  return electron.current.module;
});

const { createTray } = await import('../../electron/main/shell/tray');

describe('tray', () => {
  it('shows the unread count in its tooltip and menu, and goes away on dispose', async () => {
    const tray = createTray({ iconPath: '/icon.png', onOpen: () => {}, onQuit: () => {} });
    const record = electron.current.trays.at(-1)!;
    expect(record.tooltip).toBe('Switchboard');
    tray.setUnreadCount(3);
    expect(record.tooltip).toBe('Switchboard — 3 unread');
    expect(record.menu.map((item) => item.label)).toEqual(['Open Switchboard (3 unread)', undefined, 'Quit']);
    tray.setUnreadCount(-2);
    expect(record.tooltip).toBe('Switchboard');
    await tray.dispose();
    expect(record.destroyed).toBe(true);
  });
});

describe('external links', () => {
  it.each([
    ['https://developers.facebook.com/apps/123', true],
    ['https://dashboard.ngrok.com/get-started/your-authtoken', true],
    ['http://developers.facebook.com/', false],
    ['https://developers.facebook.com.evil.example/', false],
    ['https://user:pass@developers.facebook.com/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});
