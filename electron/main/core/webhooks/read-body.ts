/**
 * Reads a request body into memory with a per-request limit and a limit on all bodies being read at once.
 */
import type { IncomingMessage } from 'node:http';

/** What reading a body came to. */
export type BodyResult =
  | { kind: 'ok'; body: Buffer }
  | { kind: 'too_large'; bytes: number }
  | { kind: 'busy' }
  | { kind: 'aborted'; bytes: number };

/**
 * Shared budget for bodies being read, so many slow large uploads cannot exhaust memory before a single
 * signature has been checked (a signature can only be checked once the whole body is there).
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly totalBytes: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.totalBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/**
 * Collects the body. On `too_large` or `busy` the rest of the request is discarded as it arrives (the
 * caller answers and closes the connection); memory taken from the budget is always given back.
 */
export function readBody(request: IncomingMessage, limit: number, budget: BodyBudget): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      budget.give(bytes);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      request.off('error', onAborted);
      request.off('close', onClose);
      if (result.kind !== 'ok') {
        // Keep the socket reading (and discarding) so the answer can still be read by the client.
        request.on('error', () => {});
        request.resume();
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (bytes + chunk.length > limit) {
        finish({ kind: 'too_large', bytes: bytes + chunk.length });
        return;
      }
      if (!budget.take(chunk.length)) {
        finish({ kind: 'busy' });
        return;
      }
      bytes += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      const body = Buffer.concat(chunks, bytes);
      finish({ kind: 'ok', body });
    };
    const onAborted = () => finish({ kind: 'aborted', bytes });
    // `close` before `end`: the client went away with the body unfinished.
    const onClose = () => {
      if (!request.complete) finish({ kind: 'aborted', bytes });
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('aborted', onAborted);
    request.on('error', onAborted);
    request.on('close', onClose);
  });
}
