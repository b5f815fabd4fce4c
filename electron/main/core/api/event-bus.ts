import type { EventName, EventPayload } from '../../../../shared/contract';
import type { Disposable } from '../lib/lifecycle';

export type AnyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
type Listener = (event: AnyEvent) => void;

/**
 * Typed publish/subscribe for contract events inside the core.
 *
 * Transports (IPC, SSE) subscribe to everything and forward; features publish with a typed payload.
 * A listener that throws is isolated so one bad subscriber cannot stop delivery to the others.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  publish<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const event = { name, payload } as AnyEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: Listener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
