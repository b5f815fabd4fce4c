import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import {
  GraphApiError,
  classifyGraphError,
  classifyLocalFailure,
  type GraphCallContext,
  type GraphErrorClassification,
} from './graph-errors';
import { createScrubber, redactUrl, type Scrub } from './graph-redact';
import { graphErrorBodySchema } from './graph-schemas';
import {
  DEFAULT_GRAPH_BASE_URLS,
  DEFAULT_GRAPH_TIMEOUT_MS,
  GRAPH_API_VERSION,
  type LoginType,
} from './graph-version';
import { nodeHttpCall, type HttpCall } from './http-call';
import type { InstagramCredentials } from './instagram-client';

/** Transport settings: configuration, not credentials. */
export interface GraphTransportOptions {
  /**
   * Base URL for both setups (sandbox mode and tests point it at the local
   * emulator, which serves both shapes). Default: per setup, see
   * `DEFAULT_GRAPH_BASE_URLS`.
   */
  baseUrl?: string;
  /** Per-call timeout in ms, covering connect, answer and body. Default 15 s. */
  timeoutMs?: number;
  /** Where the token goes on graph.facebook.com; Meta's pages show both. Default `header`. */
  facebookTokenIn?: 'header' | 'query';
  /** Clock for `RefreshedToken.expiresAt` (epoch ms). */
  now?: () => number;
  /** How a call goes over HTTP; `node:http(s)` with keep-alive by default. */
  http?: HttpCall;
}

/** One Graph call, described for `GraphTransport.call`. */
export interface CallSpec<T> {
  method: 'GET' | 'POST';
  /** Path after the version, segments already encoded (`me`, `123/messages`). */
  path: string;
  /** `refresh_access_token` is documented without a version segment. */
  versioned?: boolean;
  query?: Record<string, string | undefined>;
  json?: unknown;
  /**
   * `client` (default): the account's token as the setup wants it (header, or
   * query on FB Login if configured). Otherwise the name of the query
   * parameter that carries the token, for endpoints documented that way
   * (`refresh_access_token`, `debug_token`'s `input_token`).
   */
  tokenIn?: 'client' | 'access_token' | 'input_token';
  schema: z.ZodType<T>;
  /** Secrets of this call besides the account's own (an app token). */
  extraSecrets?: string[];
  /** Better words for a Graph error in this call's context. */
  explain?: (verdict: GraphErrorClassification) => string | undefined;
}

/** Whether a credential or id holds whitespace or control characters. */
export function isUnsafe(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x7f || /\s/.test(char)) return true;
  }
  return false;
}

/** An `invalid_request` error: the call was refused before anything was sent. */
export function refuse(explanation: string): GraphApiError {
  return new GraphApiError(classifyLocalFailure('invalid_request', null, explanation));
}

/**
 * Check and encode one path segment. An empty id would silently address a
 * different node (`/v25.0/?fields=…`), and a pasted id with a line break
 * would reach the HTTP layer, whose error messages quote what they reject.
 */
export function segment(name: string, value: string): string {
  if (value.length === 0 || isUnsafe(value)) throw refuse(`The ${name} is empty or contains spaces.`);
  return encodeURIComponent(value);
}

function causeCodeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function issuePaths(error: z.ZodError): string[] {
  // Paths and codes only: the offending values may be secrets (a refreshed token).
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`);
}

/**
 * HTTP to the Graph API for one account: builds URLs, authenticates, applies
 * the timeout, validates answers and turns every failure into a
 * `GraphApiError` with secrets scrubbed. Credentials live in private fields,
 * invisible to `JSON.stringify` and `util.inspect`.
 */
export class GraphTransport {
  readonly loginType: LoginType;
  readonly baseUrl: string;
  readonly now: () => number;
  readonly #accessToken: string;
  readonly #appSecret: string | undefined;
  readonly #timeoutMs: number;
  readonly #facebookTokenIn: 'header' | 'query';
  readonly #http: HttpCall;
  readonly #scrub: Scrub;

  /** @throws GraphApiError (`invalid_request`) when the credentials or options are malformed. */
  constructor(credentials: InstagramCredentials, options: GraphTransportOptions = {}) {
    if (credentials.loginType !== 'instagram' && credentials.loginType !== 'facebook')
      throw refuse('The account has no valid login type (Instagram Login or Facebook Login).');
    if (credentials.accessToken.length === 0 || isUnsafe(credentials.accessToken))
      throw refuse('The access token is empty or contains spaces or line breaks; paste it again.');
    if (
      credentials.appSecret !== undefined &&
      (credentials.appSecret.length === 0 || isUnsafe(credentials.appSecret))
    )
      throw refuse('The app secret is empty or contains spaces or line breaks; paste it again.');
    const baseUrl = (options.baseUrl ?? DEFAULT_GRAPH_BASE_URLS[credentials.loginType]).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(baseUrl))
      throw refuse('The Graph API base URL is not an http(s) URL.');
    const timeoutMs = options.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw refuse('The Graph API timeout must be positive.');

    this.loginType = credentials.loginType;
    this.baseUrl = baseUrl;
    this.now = options.now ?? Date.now;
    this.#accessToken = credentials.accessToken;
    this.#appSecret = credentials.appSecret;
    this.#timeoutMs = timeoutMs;
    this.#facebookTokenIn = options.facebookTokenIn ?? 'header';
    this.#http = options.http ?? nodeHttpCall;
    this.#scrub = createScrubber([credentials.accessToken, credentials.appSecret]);
  }

  /** Remove this account's secrets from a text (for free text Meta returns inside a success). */
  scrub(text: string): string {
    return this.#scrub(text);
  }

  /** A `GraphApiError` for a failure the caller detected after a successful call. */
  failure(verdict: GraphErrorClassification, context: Partial<GraphCallContext>): GraphApiError {
    return new GraphApiError(verdict, context, this.#scrub);
  }

  /** Perform one call and return its validated answer; every failure rejects with `GraphApiError`. */
  async call<T>(spec: CallSpec<T>): Promise<T> {
    const scrub = spec.extraSecrets
      ? createScrubber([this.#accessToken, this.#appSecret, ...spec.extraSecrets])
      : this.#scrub;
    const prefix = spec.versioned === false ? '' : `/${GRAPH_API_VERSION}`;
    const url = new URL(`${this.baseUrl}${prefix}/${spec.path}`);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const tokenIn = spec.tokenIn ?? 'client';
    if (tokenIn === 'client') this.authorize(url, headers);
    else url.searchParams.set(tokenIn, this.#accessToken);
    let body: string | undefined;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers['content-type'] = 'application/json';
    }
    const context = { method: spec.method, endpoint: scrub(redactUrl(`${url.pathname}${url.search}`)) };
    const fail = (
      verdict: GraphErrorClassification,
      extra: { causeCode?: string | null; issues?: string[] } = {},
    ): GraphApiError => new GraphApiError(verdict, { ...context, ...extra }, scrub);

    let status: number;
    let text: string;
    let traceHeader: string | null;
    try {
      // The timeout also covers a body that never finishes.
      const answer = await this.#http(url, {
        method: spec.method,
        headers,
        body,
        timeoutMs: this.#timeoutMs,
      });
      status = answer.status;
      traceHeader = answer.header('x-fb-trace-id');
      text = answer.text;
    } catch (error) {
      // Only the system error code is kept: error messages can quote addresses, URLs and header values.
      if (isTimeout(error)) throw fail(classifyLocalFailure('timeout'));
      throw fail(classifyLocalFailure('network'), { causeCode: causeCodeOf(error) });
    }

    let json: unknown;
    try {
      json = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    // Meta's error JSON wins whatever the status: a 200 carrying `error` is still a refusal.
    const isGraphError = graphErrorBodySchema.safeParse(json).success;
    if (status < 200 || status > 299 || json === undefined || isGraphError) {
      const verdict = classifyGraphError(status, json ?? text);
      const explanation = spec.explain?.(verdict);
      throw fail({
        ...verdict,
        fbtraceId: verdict.fbtraceId ?? (verdict.kind === 'graph' ? traceHeader : null),
        ...(explanation === undefined ? {} : { explanation }),
      });
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success)
      throw fail(classifyLocalFailure('invalid_response', status), { issues: issuePaths(parsed.error) });
    return parsed.data;
  }

  private authorize(url: URL, headers: Record<string, string>): void {
    // Bearer by default on both hosts: it keeps the token out of URLs, which proxies and logs record.
    if (this.loginType === 'facebook' && this.#facebookTokenIn === 'query')
      url.searchParams.set('access_token', this.#accessToken);
    else headers.authorization = `Bearer ${this.#accessToken}`;
    // appsecret_proof is a graph.facebook.com mechanism (instagram-api.md §5.2): required when the
    // app has "Require App Secret" on, harmless otherwise.
    if (this.loginType === 'facebook' && this.#appSecret !== undefined) {
      const proof = createHmac('sha256', this.#appSecret).update(this.#accessToken).digest('hex');
      url.searchParams.set('appsecret_proof', proof);
    }
  }
}
