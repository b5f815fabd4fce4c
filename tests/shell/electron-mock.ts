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
    readonly scripts: string[] = [];
    executeJavaScript(code: string) {
      this.scripts.push(code);
      return Promise.resolve(undefined);
    }
  }

  class FakeWindow {
    readonly webContents = new FakeWebContents();
    loadedFile: string | undefined;
    loadedHash: string | undefined;
    destroyed = false;
    minimized = false;
    readonly calls: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    loadFile(file: string, options?: { hash?: string }) {
      this.loadedFile = file;
      this.loadedHash = options?.hash;
      this.webContents.mainFrame.url = `file://${file}`;
      return Promise.resolve();
    }
    once() {}
    on() {}
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.calls.push('restore');
    }
    show() {
      this.calls.push('show');
    }
    focus() {
      this.calls.push('focus');
    }
  }

  const notifications: {
    title: string;
    body: string;
    shown: boolean;
    handlers: Map<string, () => void>;
  }[] = [];
  class Notification {
    static supported = true;
    static isSupported() {
      return Notification.supported;
    }
    readonly record: (typeof notifications)[number];
    constructor(options: { title: string; body: string }) {
      this.record = { ...options, shown: false, handlers: new Map() };
      notifications.push(this.record);
    }
    on(name: string, handler: () => void) {
      this.record.handlers.set(name, handler);
    }
    show() {
      this.record.shown = true;
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
    setBadgeCount: vi.fn((_count: number) => true),
    setLoginItemSettings: vi.fn((_settings: { openAtLogin: boolean }) => {}),
  };

  return {
    module: {
      app,
      BrowserWindow: FakeWindow,
      Notification,
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
    notifications,
    Notification,
  };
}
