import type {
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
  Result,
} from '../../../shared/contract';

/**
 * What the renderer knows of main: call a contract method, subscribe to an event.
 * It does not know, and must not care, whether IPC or HTTP carries them.
 */
export interface SwitchboardClient {
  readonly transport: 'ipc' | 'http';
  call<M extends MethodName>(name: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}
