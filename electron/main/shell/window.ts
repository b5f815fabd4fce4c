import { BrowserWindow, shell } from 'electron';
import { isAllowedExternalUrl } from './external-links';

export interface MainWindowOptions {
  preloadPath: string;
  /** The built renderer's index.html. */
  rendererFile: string;
  iconPath?: string;
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
  void window.loadFile(options.rendererFile);
  return window;
}
