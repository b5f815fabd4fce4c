import { describe, expect, it, vi } from 'vitest';
import type { createElectronMock } from './electron-mock';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createElectronMock>,
}));
vi.mock('electron', async () => {
  const { createElectronMock: create } = await import('./electron-mock');
  electron.current = create();
  return electron.current.module;
});

describe('first instance', () => {
  it('holds the lock, listens for a second launch and keeps running with no window (tray)', async () => {
    await import('../../electron/main/shell/index');
    const app = electron.current.module.app;
    expect(app.quit).not.toHaveBeenCalled();
    expect(app.whenReady).toHaveBeenCalled();
    expect([...electron.current.appHandlers.keys()].sort()).toEqual(
      ['activate', 'before-quit', 'second-instance', 'window-all-closed'].sort(),
    );
    // Closing the last window must not quit: the receiver keeps working from the tray.
    electron.current.appHandlers.get('window-all-closed')!();
    expect(app.quit).not.toHaveBeenCalled();
  });
});
