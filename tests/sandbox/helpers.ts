import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock, startSandbox, type Sandbox, type SandboxOptions } from '../../electron/main/sandbox';

/** A fixed base time so tests never depend on the wall clock. */
export const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** Start a sandbox on a free port with a clock frozen at T0 (tests move it with `sandbox.clock.advance`). */
export async function sandboxForTest(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ seed: 42, clock: new ManualClock(T0), ...options });
}

export interface GraphResponse {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

/** Call the emulator like a client would. */
export async function graph(
  sandbox: Sandbox,
  path: string,
  options: {
    method?: string;
    bearer?: string;
    query?: Record<string, string>;
    json?: unknown;
    raw?: string;
    contentType?: string;
  } = {},
): Promise<GraphResponse> {
  const url = new URL(path, sandbox.url);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (options.raw !== undefined) body = options.raw;
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

/** The `error` object of a Graph error answer (fails loudly when the answer is not one). */
export function errorOf(response: GraphResponse): {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  fbtrace_id: string;
} {
  const error = response.body.error as
    { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string } | undefined;
  if (!error) throw new Error(`expected a Graph error, got ${response.status} ${response.text}`);
  return error;
}

/** One POST as a test receiver saw it: exact bytes and headers. */
export interface ReceivedPost {
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  url: string;
}

/** A tiny webhook receiver that records the exact bytes it got and answers per a script. */
export interface TestReceiver {
  url: string;
  posts: ReceivedPost[];
  gets: Array<{ url: string }>;
  /** Status to answer the n-th POST (0-based) with; default 200. `'hang'` never answers. */
  respond: (index: number) => number | 'hang';
  verifyToken: string;
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const posts: ReceivedPost[] = [];
  const gets: Array<{ url: string }> = [];
  const receiver: TestReceiver = {
    url: '',
    posts,
    gets,
    respond: () => 200,
    verifyToken: 'let-me-in',
    close: async () => undefined,
  };
  const server = http.createServer((request, response) => {
    if (request.method === 'GET') {
      gets.push({ url: request.url ?? '' });
      const query = new URL(request.url ?? '/', 'http://x').searchParams;
      if (query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === receiver.verifyToken) {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(query.get('hub.challenge') ?? '');
      } else {
        response.writeHead(403).end();
      }
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = posts.length;
      posts.push({ raw: Buffer.concat(chunks), headers: request.headers, url: request.url ?? '' });
      const answer = receiver.respond(index);
      if (answer === 'hang') return;
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/instagram`;
  receiver.close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return receiver;
}

/** Parse a received body. */
export function parsed(post: ReceivedPost): { object: string; entry: Array<Record<string, unknown>> } {
  return JSON.parse(post.raw.toString('utf8')) as { object: string; entry: Array<Record<string, unknown>> };
}

/** A `messaging[]`/`standby[]` item as tests read it. */
export interface MessagingItem {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: { mid: string; text?: string; is_echo?: boolean; [key: string]: unknown };
  postback?: { mid?: string; title: string; payload?: string };
  [key: string]: unknown;
}

/** The items of one entry's `messaging[]` (or another container). */
export function itemsOf(
  post: ReceivedPost,
  entryIndex = 0,
  container: 'messaging' | 'standby' = 'messaging',
): MessagingItem[] {
  const entry = parsed(post).entry[entryIndex];
  return (entry?.[container] as MessagingItem[] | undefined) ?? [];
}
