import type { BrowserWindow } from 'electron';
import { ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { fail, ipcChannel, ipcEventChannel, methodNames } from '../../../shared/contract';
import type { Dispatch } from '../core/api/dispatcher';
import type { EventBus } from '../core/api/event-bus';
import type { Disposable } from '../core/lib/lifecycle';

/** True when the frame is one of our windows' top frames showing our own renderer file. */
export function isTrustedSender(
  frame: WebFrameMain | null,
  windows: ReadonlySet<BrowserWindow>,
  rendererUrl: string,
): boolean {
  if (!frame || frame.parent !== null) return false;
  const owner = [...windows].find(
    (window) => !window.isDestroyed() && window.webContents.mainFrame === frame,
  );
  if (!owner) return false;
  return frame.url.split('#')[0] === rendererUrl;
}

/**
 * Registers one IPC handler per contract method, each checking the sender before dispatching, and forwards
 * every core event to our windows.
 */
export function registerIpc(options: {
  dispatch: Dispatch;
  events: EventBus;
  windows: ReadonlySet<BrowserWindow>;
  rendererUrl: string;
}): Disposable {
  const { dispatch, events, windows, rendererUrl } = options;
  for (const name of methodNames) {
    ipcMain.handle(ipcChannel(name), (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, windows, rendererUrl)) {
        return fail('FORBIDDEN', 'This window is not allowed to call Switchboard.');
      }
      return dispatch(name, input, { transport: 'ipc' });
    });
  }
  const subscription = events.subscribe((event) => {
    for (const window of windows) {
      if (!window.isDestroyed()) window.webContents.send(ipcEventChannel, event);
    }
  });
  return {
    dispose: () => {
      for (const name of methodNames) ipcMain.removeHandler(ipcChannel(name));
      void subscription.dispose();
    },
  };
}
