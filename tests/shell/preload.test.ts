import { describe, expect, it, vi } from 'vitest';
import { ipcChannel, ipcEventChannel, methodNames } from '../../shared/contract';

const recorded = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as { channel: string; input: unknown }[],
  listeners: new Map<string, ((event: unknown, message: unknown) => void)[]>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => recorded.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      recorded.invoked.push({ channel, input });
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      recorded.listeners.set(channel, [...(recorded.listeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      recorded.listeners.set(
        channel,
        (recorded.listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  },
}));

await import('../../electron/preload/index');
const api = recorded.exposed.get('switchboard')!;

describe('preload bridge', () => {
  it('exposes exactly one function per contract method plus subscribe, and nothing else', () => {
    expect([...recorded.exposed.keys()]).toEqual(['switchboard']);
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'subscribe'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('sends each method on its own derived channel', async () => {
    await (api['app.getStatus'] as (input: unknown) => Promise<unknown>)({});
    expect(recorded.invoked).toEqual([{ channel: ipcChannel('app.getStatus'), input: {} }]);
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const received: unknown[] = [];
    const subscribe = api.subscribe as (name: string, listener: (payload: unknown) => void) => () => void;
    const unsubscribe = subscribe('app.statusChanged', (payload) => received.push(payload));
    const emit = (message: unknown) => {
      for (const listener of recorded.listeners.get(ipcEventChannel) ?? []) listener({}, message);
    };
    emit({ name: 'app.statusChanged', payload: 1 });
    emit({ name: 'something.else', payload: 2 });
    unsubscribe();
    emit({ name: 'app.statusChanged', payload: 3 });
    expect(received).toEqual([1]);
  });

  it('refuses to subscribe to an event the contract does not have', () => {
    const subscribe = api.subscribe as (name: string, listener: () => void) => () => void;
    expect(() => subscribe('ipc.anything', () => {})).toThrow('Unknown event "ipc.anything"');
  });
});
