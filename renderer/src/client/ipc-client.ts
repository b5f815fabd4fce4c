import type { EventName, MethodName, Result } from '../../../shared/contract';
import type { SwitchboardClient } from './client';

/** The bridge the preload exposes: one function per method, plus subscribe. */
export type PreloadBridge = Record<MethodName, (input: unknown) => Promise<Result<unknown>>> & {
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
};

export function createIpcClient(bridge: PreloadBridge): SwitchboardClient {
  return {
    transport: 'ipc',
    call: (name, input) => bridge[name](input) as never,
    subscribe: (name, listener) => bridge.subscribe(name, listener as (payload: unknown) => void),
  };
}
