/**
 * Electron entry: the thin shell around the core. It owns the window, tray, single-instance lock and IPC;
 * everything else is the same core the headless server runs.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow } from 'electron';
import { app, dialog } from 'electron';
import { appVersion } from '../core/app-version';
import { ConfigError, parseCommandLine } from '../core/config';
import { createCore, type Core } from '../core/create-core';
import { DisposableStore } from '../core/lib/lifecycle';
import { createLogger } from '../core/lib/logger';
import { registerIpc } from './ipc';
import { applyStartAtLogin } from './login-item';
import { showMessageNotifications } from './message-notifications';
import { showCoreNotifications } from './notifications';
import { createTray } from './tray';
import { showUnreadBadge } from './unread-badge';
import { conversationRoute, createWindowOpener } from './window';

const rendererFile = join(import.meta.dirname, '..', 'renderer', 'index.html');
const preloadPath = join(import.meta.dirname, '..', 'preload', 'index.cjs');
const iconPath = join(import.meta.dirname, '..', 'renderer', 'icon.png');

const windows = new Set<BrowserWindow>();
const disposables = new DisposableStore();
let core: Core | undefined;

const showMainWindow = createWindowOpener({ windows, preloadPath, rendererFile, iconPath });

async function start(): Promise<void> {
  const argv = process.argv.slice(app.isPackaged ? 1 : 2);
  const env = {
    ...process.env,
    SWITCHBOARD_DATA_DIR: process.env.SWITCHBOARD_DATA_DIR ?? app.getPath('userData'),
  };
  const parsed = parseCommandLine(argv, env, { strict: false });
  if (parsed.help) {
    app.quit();
    return;
  }
  const { config } = parsed;
  const logger = createLogger({
    file: join(config.dataDir, 'logs', 'switchboard.log'),
    stderr: !app.isPackaged,
  });
  core = await createCore({ config, shell: 'electron', version: appVersion, logger });
  disposables.add(core);
  disposables.add(
    registerIpc({
      dispatch: core.dispatch,
      events: core.events,
      windows,
      rendererUrl: pathToFileURL(rendererFile).href,
    }),
  );
  const tray = disposables.add(
    createTray({ iconPath, onOpen: () => showMainWindow(), onQuit: () => app.quit() }),
  );
  disposables.add(showCoreNotifications(core.events, () => showMainWindow()));
  disposables.add(
    showMessageNotifications(core.events, (conversationId) =>
      showMainWindow(conversationRoute(conversationId)),
    ),
  );
  disposables.add(showUnreadBadge({ dispatch: core.dispatch, events: core.events, tray }));
  disposables.add(applyStartAtLogin({ dispatch: core.dispatch, events: core.events, logger }));
  showMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another Switchboard is running: it receives 'second-instance' and comes to the front.
  app.quit();
} else {
  app.on('second-instance', () => showMainWindow());
  app.on('activate', () => showMainWindow());
  // The tray keeps the app (and its webhook receiver) alive when the last window closes.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (disposables.isDisposed) return;
    event.preventDefault();
    void disposables.dispose().finally(() => app.exit(0));
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Switchboard could not start', message);
      app.exit(1);
    });
}
