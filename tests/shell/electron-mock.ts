import { vi } from 'vitest';

/**
 * A recording stand-in for the parts of Electron the shell uses. The shell cannot run here (no Electron
 * binary), so its wiring is checked against this record.
 */
export function createElectronMock() {
  const ipcHandlers = new Map<string, (event: unknown, input: unknown) => unknown>();
  const windows: FakeWindow[] = [];
  const appHandlers = new Map<string, (...args: unknown[]) => void>();

  class FakeWebContents {
    readonly handlers = new Map<string, (...args: unknown[]) => void>();
    openHandler: ((details: { url: string }) => { action: string }) | undefined;
    readonly sent: unknown[] = [];
    url = 'file:///app/out/renderer/index.html';
    readonly mainFrame = { parent: null, url: '' };
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
    on(name: string, handler: (...args: unknown[]) => void) {
      this.handlers.set(name, handler);
    }
    getURL() {
      return this.url;
    }
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
  }

  class FakeWindow {
    readonly webContents = new FakeWebContents();
    loadedFile: string | undefined;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    loadFile(file: string) {
      this.loadedFile = file;
      this.webContents.mainFrame.url = `file://${file}`;
      return Promise.resolve();
    }
    once() {}
    on() {}
    isDestroyed() {
      return this.destroyed;
    }
  }

  const shell = { openExternal: vi.fn(() => Promise.resolve()) };
  const ipcMain = {
    handle: vi.fn((channel: string, handler: (event: unknown, input: unknown) => unknown) => {
      if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
      ipcHandlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel)),
  };
  const trays: { tooltip: string; menu: { label?: string }[]; destroyed: boolean }[] = [];
  class Tray {
    readonly record = { tooltip: '', menu: [] as { label?: string }[], destroyed: false };
    constructor() {
      trays.push(this.record);
    }
    setToolTip(text: string) {
      this.record.tooltip = text;
    }
    setContextMenu(menu: { items: { label?: string }[] }) {
      this.record.menu = menu.items;
    }
    on() {}
    destroy() {
      this.record.destroyed = true;
    }
  }
  const app = {
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    on: vi.fn((name: string, handler: (...args: unknown[]) => void) => appHandlers.set(name, handler)),
    whenReady: vi.fn(() => new Promise(() => {})),
    getPath: vi.fn(() => '/tmp/switchboard-user-data'),
    isPackaged: false,
  };

  return {
    module: {
      app,
      BrowserWindow: FakeWindow,
      shell,
      ipcMain,
      Tray,
      Menu: { buildFromTemplate: (items: unknown[]) => ({ items }) },
      nativeImage: { createFromPath: (path: string) => ({ path }) },
      dialog: { showErrorBox: vi.fn() },
    },
    ipcHandlers,
    windows,
    trays,
    appHandlers,
  };
}
