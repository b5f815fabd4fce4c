/**
 * The renderer's only door to main: one function per contract method, plus `subscribe`.
 *
 * No generic `invoke(channel, …)` is exposed; channels are derived from the contract's method names.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannel, ipcEventChannel, isEventName, methodNames, type EventName } from '../../shared/contract';

type Listener = (payload: unknown) => void;

const api: Record<string, unknown> = Object.fromEntries(
  methodNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input)]),
);

api.subscribe = (name: EventName, listener: Listener): (() => void) => {
  if (!isEventName(name)) throw new Error(`Unknown event "${String(name)}"`);
  const handler = (_event: IpcRendererEvent, message: { name: string; payload: unknown }) => {
    if (message.name === name) listener(message.payload);
  };
  ipcRenderer.on(ipcEventChannel, handler);
  return () => {
    ipcRenderer.removeListener(ipcEventChannel, handler);
  };
};

contextBridge.exposeInMainWorld('switchboard', api);
