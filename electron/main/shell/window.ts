import { BrowserWindow, shell } from 'electron';
import { isAllowedExternalUrl } from './external-links';

export interface MainWindowOptions {
  preloadPath: string;
  /** The built renderer's index.html. */
  rendererFile: string;
  iconPath?: string;
  /** The route to open at, e.g. `/inbox/42` (the renderer's hash router). */
  route?: string;
}

/**
 * The main window, hardened per Electron's security checklist: context isolation, sandboxed renderer, no
 * Node integration, no navigation away from our page, no new windows; allow-listed links go to the OS browser.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Switchboard',
    backgroundColor: '#f6f7f9',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });

  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) {
      event.preventDefault();
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    }
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(options.rendererFile, options.route ? { hash: options.route } : undefined);
  return window;
}

/** The route of one conversation in the inbox; refuses anything but a conversation id. */
export function conversationRoute(conversationId: number): string {
  if (!Number.isSafeInteger(conversationId) || conversationId <= 0) {
    throw new Error(`Not a conversation id: ${String(conversationId)}`);
  }
  return `/inbox/${conversationId}`;
}

/** Shows a route in a window that is already open (the hash router follows; no reload). */
export function showRoute(window: BrowserWindow, route: string): void {
  void window.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(`#${route}`)};`);
}

/**
 * Brings the main window to the front — restoring it, or creating it when the tray kept the app running
 * alone — optionally at a route (a notification's conversation).
 */
export function createWindowOpener(
  options: Omit<MainWindowOptions, 'route'> & { windows: Set<BrowserWindow> },
): (route?: string) => void {
  const { windows, ...windowOptions } = options;
  return (route) => {
    const existing = [...windows].find((window) => !window.isDestroyed());
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      if (route) showRoute(existing, route);
      return;
    }
    const window = createMainWindow({ ...windowOptions, ...(route ? { route } : {}) });
    windows.add(window);
    window.on('closed', () => windows.delete(window));
  };
}
