import { fail, httpPaths, isEventName, type EventName, type Result } from '../../../shared/contract';
import type { SwitchboardClient } from './client';

type Listener = (payload: unknown) => void;

/**
 * The loopback HTTP transport: calls are POSTs with the run's token; events arrive over one SSE stream,
 * read with fetch so the token travels in a header (EventSource cannot send one). The stream reconnects
 * with backoff when the server restarts or the connection drops.
 */
export function createHttpClient(options: { baseUrl: string; token: string }): SwitchboardClient {
  const headers = { Authorization: `Bearer ${options.token}` };
  const listeners = new Map<EventName, Set<Listener>>();
  let streaming = false;

  const dispatchEvent = (name: string, data: string) => {
    if (!isEventName(name)) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };

  const readStream = async (): Promise<void> => {
    const response = await fetch(`${options.baseUrl}${httpPaths.events}`, { headers });
    if (!response.ok || !response.body) throw new Error(`event stream refused: ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = '';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (name) dispatchEvent(name, data.join('\n'));
      }
    }
  };

  const ensureStream = () => {
    if (streaming) return;
    streaming = true;
    let delay = 500;
    const loop = async () => {
      for (;;) {
        try {
          await readStream();
          delay = 500;
        } catch {
          // The server is restarting or unreachable: try again, more slowly each time.
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    };
    void loop();
  };

  return {
    transport: 'http',
    async call(name, input) {
      try {
        const response = await fetch(`${options.baseUrl}${httpPaths.call(name)}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
        return (await response.json()) as Result<never>;
      } catch {
        return fail('UNAVAILABLE', 'Switchboard is not reachable. Is it still running?');
      }
    },
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(name, set);
      ensureStream();
      return () => set.delete(listener as Listener);
    },
  };
}
