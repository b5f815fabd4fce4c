import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphErrors } from './errors';

/** Largest body the emulator reads; Meta's own limits are far below this for JSON. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Read a request body up to the limit. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw graphErrors.param('Request body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Parse a POST body as Meta does: JSON or form-encoded (form values holding
 * JSON objects, like `recipient={"id":"…"}`, are decoded). Anything else is
 * not read, so required parameters come out missing.
 */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return {};
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw graphErrors.param('Invalid JSON in request body');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw graphErrors.param('Request body must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
      const trimmed = value.trim();
      if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        try {
          out[key] = JSON.parse(trimmed) as unknown;
          continue;
        } catch {
          throw graphErrors.param(`Invalid JSON for parameter ${key}`);
        }
      }
      out[key] = value;
    }
    return out;
  }
  throw graphErrors.param(
    `Unsupported Content-Type "${type || '(none)'}": send application/json or application/x-www-form-urlencoded`,
  );
}

/** Write a JSON answer. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}
