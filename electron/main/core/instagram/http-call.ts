/**
 * One HTTP exchange with the Graph API over `node:http(s)` with keep-alive connections.
 *
 * Not `fetch`: Node's fetch (undici, web streams) cost about a tenth of the main thread's time per reply
 * under load (`npm run bench -- pipeline --cpu-prof`), for calls that send a small JSON body and read a
 * small JSON answer. Connections are reused per host (one agent per scheme for the process).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
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

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

/** The error a call fails with when it takes longer than `timeoutMs`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The error a call fails with when the answer is larger than any Graph answer. */
class AnswerTooLargeError extends Error {
  readonly code = 'EANSWERTOOLARGE';
}

export const nodeHttpCall: HttpCall = (url, init) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      { method: init.method, headers, agent: secure ? agents.https : agents.http },
      (response: IncomingMessage) => {
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
    const timer = setTimeout(() => {
      const error = new TimeoutError(`No answer within ${init.timeoutMs} ms.`);
      request.destroy(error);
      finish(() => reject(error));
    }, init.timeoutMs);
    request.on('error', (error) => finish(() => reject(error)));
    request.end(init.body);
  });
