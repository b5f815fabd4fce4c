import { describe, expect, it, vi } from 'vitest';
import type { createElectronMock } from './electron-mock';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createElectronMock>,
}));
vi.mock('electron', async () => {
  const { createElectronMock: create } = await import('./electron-mock');
  electron.current = create();
  electron.current.module.app.requestSingleInstanceLock.mockReturnValue(false);
  return electron.current.module;
});

describe('single instance', () => {
  it('a second launch quits at once and leaves the first to come to the front', async () => {
    await import('../../electron/main/shell/index');
    const app = electron.current.module.app;
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
  });
});
