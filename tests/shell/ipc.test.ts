import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ipcChannel, ipcEventChannel, methodNames } from '../../shared/contract';
import { EventBus } from '../../electron/main/core/api/event-bus';
import type { createElectronMock } from './electron-mock';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createElectronMock>,
}));
vi.mock('electron', async () => {
  const { createElectronMock: create } = await import('./electron-mock');
  electron.current = create();
  return electron.current.module;
});

const { registerIpc } = await import('../../electron/main/shell/ipc');
const { createMainWindow } = await import('../../electron/main/shell/window');

const rendererFile = '/app/out/renderer/index.html';

function setup() {
  electron.current.ipcHandlers.clear();
  const window = createMainWindow({ preloadPath: 'p', rendererFile }) as unknown as {
    webContents: { mainFrame: { parent: null; url: string }; sent: unknown[] };
  };
  const windows = new Set([window]) as unknown as Set<BrowserWindow>;
  const dispatch = vi.fn(async () => ({ ok: true as const, value: 'dispatched' }));
  const events = new EventBus();
  const registration = registerIpc({ dispatch, events, windows, rendererUrl: `file://${rendererFile}` });
  return { window, dispatch, events, registration };
}

describe('IPC wiring', () => {
  it('registers exactly one handler per contract method, on derived channels', () => {
    setup();
    expect([...electron.current.ipcHandlers.keys()].sort()).toEqual(methodNames.map(ipcChannel).sort());
  });

  it('dispatches calls from our window', async () => {
    const { window, dispatch } = setup();
    const handler = electron.current.ipcHandlers.get(ipcChannel('app.getInfo'))!;
    const result = await handler({ senderFrame: window.webContents.mainFrame }, {});
    expect(result).toEqual({ ok: true, value: 'dispatched' });
    expect(dispatch).toHaveBeenCalledWith('app.getInfo', {}, { transport: 'ipc' });
  });

  it('refuses calls from a frame that is not our window, or that shows another page', async () => {
    const { window, dispatch } = setup();
    const handler = electron.current.ipcHandlers.get(ipcChannel('app.getInfo'))!;
    const stranger = { parent: null, url: `file://${rendererFile}` };
    const child = { parent: window.webContents.mainFrame, url: `file://${rendererFile}` };
    expect(await handler({ senderFrame: stranger }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await handler({ senderFrame: child }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect(await handler({ senderFrame: window.webContents.mainFrame }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('forwards core events to our windows and stops on dispose', async () => {
    const { window, events, registration } = setup();
    const status = {
      database: { state: 'ok', dialect: 'sqlite', location: 'x' },
      tunnel: { state: 'off' },
      sync: { state: 'idle' },
      encryption: { state: 'ready', source: 'keychain', keyId: 'k', message: null },
    } as const;
    events.publish('app.statusChanged', status);
    expect(window.webContents.sent).toEqual([
      { channel: ipcEventChannel, payload: { name: 'app.statusChanged', payload: status } },
    ]);
    await registration.dispose();
    expect(electron.current.ipcHandlers.size).toBe(0);
    expect(events.listenerCount).toBe(0);
  });
});
