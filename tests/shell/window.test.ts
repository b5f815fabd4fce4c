import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { createElectronMock } from './electron-mock';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createElectronMock>,
}));
vi.mock('electron', async () => {
  const { createElectronMock: create } = await import('./electron-mock');
  electron.current = create();
  return electron.current.module;
});

const { createMainWindow } = await import('../../electron/main/shell/window');

beforeEach(() => {
  electron.current.windows.length = 0;
  electron.current.module.shell.openExternal.mockClear();
});

describe('main window', () => {
  it('is hardened: context isolation, sandbox, no Node integration, no webview', () => {
    createMainWindow({
      preloadPath: '/app/out/preload/index.cjs',
      rendererFile: '/app/out/renderer/index.html',
    });
    const [window] = electron.current.windows;
    expect(window!.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(window!.loadedFile).toBe('/app/out/renderer/index.html');
  });

  it('denies every new window and opens only allow-listed links in the OS browser', () => {
    createMainWindow({ preloadPath: 'p', rendererFile: '/r/index.html' });
    const contents = electron.current.windows[0]!.webContents;
    expect(contents.openHandler!({ url: 'https://developers.facebook.com/apps' })).toEqual({
      action: 'deny',
    });
    expect(contents.openHandler!({ url: 'https://evil.example/phish' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'http://developers.facebook.com/' })).toEqual({ action: 'deny' });
    expect(electron.current.module.shell.openExternal.mock.calls).toEqual([
      ['https://developers.facebook.com/apps'],
    ]);
  });

  it('blocks navigation away from the app', () => {
    createMainWindow({ preloadPath: 'p', rendererFile: '/r/index.html' });
    const contents = electron.current.windows[0]!.webContents;
    const event = { preventDefault: vi.fn() };
    contents.handlers.get('will-navigate')!(event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(electron.current.module.shell.openExternal).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });
});
