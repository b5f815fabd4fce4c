/**
 * One HTTP exchange with the Graph API over `node:http(s)` with keep-alive connections.
 *
 * Not `fetch`: Node's fetch (undici, web streams) cost about a tenth of the main thread's time per reply
 * under load (`npm run bench -- pipeline --cpu-prof`), for calls that send a small JSON body and read a
 * small JSON answer. Connections are reused per host (one agent per scheme for the process).
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What the transport needs of an answer. */
export interface HttpAnswer {
  status: number;
  /** A response header (lower-case name), or null. */
  header(name: string): string | null;
  text: string;
}

export interface HttpRequestInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | undefined;
  /** Covers connecting, the answer and its body; past it the call fails with a `TimeoutError`. */
  timeoutMs: number;
}

/** Performs one call; rejects with the system error (its `code`) or a `TimeoutError`. */
export type HttpCall = (url: URL, init: HttpRequestInit) => Promise<HttpAnswer>;

/** Graph answers are small; anything this large is not one (and is not kept in memory). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * How long an idle connection is kept. Node's agent only honours a server's `Keep-Alive: timeout=N` hint
 * (closing a second before the server does) when it has a timeout of its own; without one it keeps idle
 * connections forever and sends the next call on a connection the server is closing.
 */
const IDLE_CONNECTION_MS = 30_000;

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: IDLE_CONNECTION_MS }),
};

/** The error a call fails with when it takes longer than `timeoutMs`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The error a call fails with when the answer is larger than any Graph answer. */
class AnswerTooLargeError extends Error {
  readonly code = 'EANSWERTOOLARGE';
}

/** What a server closing an idle keep-alive connection looks like to the next request sent on it. */
const CLOSED_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Performs one call. A GET that fails because the kept-alive connection it was sent on had been closed by
 * the server, before any answer, is sent again on another connection: nothing was done, and reading is
 * harmless to repeat. A POST is not: whether the server acted is unknown, which the caller must handle
 * (the outbox checks the conversation before sending again).
 */
export const nodeHttpCall: HttpCall = (url, init) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    let settled = false;
    let current: ClientRequest | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const send = () => {
      let answered = false;
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        { method: init.method, headers, agent: secure ? agents.https : agents.http },
        (response: IncomingMessage) => {
          answered = true;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
              request.destroy(new AnswerTooLargeError('The answer is larger than any Graph answer.'));
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () =>
            finish(() =>
              resolve({
                status: response.statusCode ?? 0,
                header: (name) => {
                  const value = response.headers[name];
                  return Array.isArray(value) ? value.join(', ') : (value ?? null);
                },
                text: Buffer.concat(chunks).toString('utf8'),
              }),
            ),
          );
          response.on('error', (error) => finish(() => reject(error)));
        },
      );
      current = request;
      request.on('error', (error: NodeJS.ErrnoException) => {
        // Each closed connection is dropped from the pool, so this ends on a new connection at the latest.
        const closedBeforeAnswer =
          request.reusedSocket && !answered && CLOSED_CONNECTION_CODES.has(error.code ?? '');
        if (closedBeforeAnswer && init.method === 'GET' && !settled) send();
        else finish(() => reject(error));
      });
      request.end(init.body);
    };
    const timer = setTimeout(() => {
      const error = new TimeoutError(`No answer within ${init.timeoutMs} ms.`);
      current?.destroy(error);
      finish(() => reject(error));
    }, init.timeoutMs);
    send();
  });
