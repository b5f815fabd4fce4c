import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type {
  ContractError,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../../shared/contract';
import type { SwitchboardClient } from '../client';

const ClientContext = createContext<SwitchboardClient | null>(null);

export function ClientProvider({ client, children }: { client: SwitchboardClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): SwitchboardClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

export type QueryState<T> =
  { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; error: ContractError };

/** Calls a method when the component mounts (and when `refresh` is called); errors stay data. */
export function useContractQuery<M extends MethodName>(
  name: M,
  input: MethodInput<M>,
): [QueryState<MethodOutput<M>>, () => void, (value: MethodOutput<M>) => void] {
  const client = useClient();
  const [state, setState] = useState<QueryState<MethodOutput<M>>>({ status: 'loading' });
  const inputKey = JSON.stringify(input);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    void client.call(name, JSON.parse(inputKey) as MethodInput<M>).then((result) => {
      if (cancelled) return;
      setState(result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      cancelled = true;
    };
  }, [client, name, inputKey, generation]);
  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  const replace = useCallback((value: MethodOutput<M>) => setState({ status: 'ok', value }), []);
  return [state, refresh, replace];
}

/** Subscribes to a pushed event for the component's lifetime. */
export function useEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.subscribe(name, (payload) => latest.current(payload)), [client, name]);
}
