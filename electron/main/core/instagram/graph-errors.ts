import { graphErrorBodySchema } from './graph-schemas';
import type { Scrub } from './graph-redact';

/**
 * How a Graph call failed.
 *
 * - `graph`: Meta's error JSON (`{"error":{code,…}}`).
 * - `http`: an answer that is not Meta's JSON (an HTML page from a proxy, an empty 502).
 * - `network`: no answer at all (refused, reset, DNS).
 * - `timeout`: no answer within the client's timeout.
 * - `invalid_response`: a success status with JSON of the wrong shape.
 * - `invalid_request`: refused before sending (empty id, token with whitespace, call the setup lacks).
 */
export type GraphErrorKind =
  'graph' | 'http' | 'network' | 'timeout' | 'invalid_response' | 'invalid_request';

/** The verdict on a failure: what it was, whether to retry, and what to tell staff. */
export interface GraphErrorClassification {
  kind: GraphErrorKind;
  httpStatus: number | null;
  code: number | null;
  subcode: number | null;
  /** Meta's `type` (`OAuthException`, `IGApiException`, `GraphMethodException`…). */
  type: string | null;
  fbtraceId: string | null;
  /** Meta's own `is_transient` hint, when it sent one. */
  isTransient: boolean | null;
  /** Meta's developer message (English, technical). */
  metaMessage: string | null;
  /** Meta's `error_user_title` / `error_user_msg`, meant for end users, when present. */
  userTitle: string | null;
  userMessage: string | null;
  /** Trying the same call again later may succeed. */
  retryable: boolean;
  /** The token is unusable: the account must be reconnected (error 190). */
  needsReconnect: boolean;
  /** A send outside the 24-hour (or 7-day HUMAN_AGENT) window. */
  outsideWindow: boolean;
  /** A throttle (4, 17, 32, 613): retry after a backoff, and slow down. */
  rateLimited: boolean;
  /** Plain words for agency staff. */
  explanation: string;
}

// instagram-api.md §10. Codes, not messages: Meta localises messages (a real
// graph.instagram.com error came back in the user's language).
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 32, 613, 1200]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const NEVER_RETRY_CODES = new Set([190, 10, 100, 551]);
const NEVER_RETRY_SUBCODES = new Set([2018108, 2018001, 2534022, 2018278, 1545041]);
const OUTSIDE_WINDOW_SUBCODES = new Set([2534022, 2018278]);
const UNAVAILABLE_SUBCODES = new Set([1545041, 2018108]);

const RECONNECT = 'Reconnect the account: open Accounts, choose it and sign in again.';

/** Plain-words texts, shared so tests and screens quote one source. */
export const EXPLANATIONS = {
  tokenExpired: `The access token has expired. ${RECONNECT}`,
  tokenAppRemoved: `The account's owner removed Switchboard's access (the app is no longer authorised). ${RECONNECT}`,
  tokenCheckpoint: `Meta wants the account's owner to log in on the Facebook or Instagram website and finish a security check. Then: ${RECONNECT}`,
  tokenPasswordChanged: `The password was changed or Meta ended the session for security reasons. ${RECONNECT}`,
  tokenUnconfirmed: `The account's owner has not confirmed their Facebook or Instagram user yet. ${RECONNECT}`,
  tokenInvalid: `The access token is not valid (missing, mistyped or revoked). ${RECONNECT}`,
  outsideWindow:
    "Instagram only allows replies within 24 hours of the customer's last message (7 days for a person using the Human Agent tag). Wait until the customer writes again.",
  userUnavailable:
    "This person isn't receiving messages from you right now (they may have blocked the account or turned off messages).",
  noMatchingUser:
    "Instagram doesn't know this recipient for this account. Customer ids differ per account: the conversation may belong to another account.",
  humanAgent:
    'Meta refused the Human Agent tag: the Human Agent feature is not approved for this app, or the customer wrote more than 7 days ago.',
  permission:
    'The account did not grant a permission this action needs (or the app lacks Meta approval for it). Reconnect the account and accept every permission Switchboard asks for.',
  permission2xx:
    'Meta refused this action for this account (a permission or a rule: for example only one private reply per comment, within 7 days).',
  consent: "This person's profile can only be read after they have sent the account a message.",
  notFound:
    "Meta could not find this item, or this account's token cannot see it. Check that the account id matches the connected account; old messages (beyond the 20 most recent) can no longer be read.",
  invalidParameter: 'Meta rejected the request as invalid (for example a message longer than 1,000 bytes).',
  rateLimited:
    'Meta is limiting how fast this account can call it. Sending will continue after a short pause.',
  metaTemporary: 'Meta had a temporary problem. It is usually safe to try again in a moment.',
  policyBlock: 'Meta has temporarily blocked this account from this action for policy reasons.',
  unknownGraph: 'Meta refused the request.',
  http: 'Meta answered with something unexpected (not its usual error format). It is usually safe to try again in a moment.',
  network:
    "Could not reach Meta (no connection, or it was cut). Check this computer's internet connection; it is safe to try again.",
  timeout: 'Meta did not answer in time. It is usually safe to try again in a moment.',
  invalidResponse:
    "Meta's answer was not in the shape Switchboard expects; Meta may have changed its API. Please report this.",
} as const;

function explainGraph(code: number, subcode: number | null, userMessage: string | null): string {
  if (code === 190) {
    switch (subcode) {
      case 463:
        return EXPLANATIONS.tokenExpired;
      case 458:
        return EXPLANATIONS.tokenAppRemoved;
      case 459:
        return EXPLANATIONS.tokenCheckpoint;
      case 460:
        return EXPLANATIONS.tokenPasswordChanged;
      case 464:
        return EXPLANATIONS.tokenUnconfirmed;
      default:
        return EXPLANATIONS.tokenInvalid;
    }
  }
  if (subcode !== null && OUTSIDE_WINDOW_SUBCODES.has(subcode)) return EXPLANATIONS.outsideWindow;
  if (code === 551 || (subcode !== null && UNAVAILABLE_SUBCODES.has(subcode)))
    return EXPLANATIONS.userUnavailable;
  if (subcode === 2018001) return EXPLANATIONS.noMatchingUser;
  if (subcode === 33) return EXPLANATIONS.notFound;
  if (code === 10) return EXPLANATIONS.permission;
  if (code === 230) return EXPLANATIONS.consent;
  if (code >= 200 && code <= 299) return EXPLANATIONS.permission2xx;
  if (code === 100) return EXPLANATIONS.invalidParameter;
  if (RATE_LIMIT_CODES.has(code)) return EXPLANATIONS.rateLimited;
  if (code === 1 || code === 2 || code === 1200) return EXPLANATIONS.metaTemporary;
  if (code === 368) return EXPLANATIONS.policyBlock;
  // Meta's end-user message is written for people; better than nothing for an unknown code.
  return userMessage ? `${EXPLANATIONS.unknownGraph} Meta says: ${userMessage}` : EXPLANATIONS.unknownGraph;
}

function isRetryable(
  code: number,
  subcode: number | null,
  isTransient: boolean | null,
  status: number,
): boolean {
  if (NEVER_RETRY_CODES.has(code) || (code >= 200 && code <= 299)) return false;
  if (subcode !== null && NEVER_RETRY_SUBCODES.has(subcode)) return false;
  if (RETRYABLE_CODES.has(code)) return true;
  if (isTransient === true) return true;
  return status >= 500;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Classify a Graph answer that is not a success: Meta's error JSON becomes a
 * `graph` verdict with its code's retry and reconnect rules; anything else
 * (HTML, empty, unknown JSON) is `http` and retryable, since proxies and
 * Meta's edge produce those for transient trouble.
 *
 * Pure: the sender, the token-health check and the accounts screen reuse it.
 *
 * @param status HTTP status of the answer.
 * @param body The body: raw text or already-parsed JSON.
 */
export function classifyGraphError(status: number, body: unknown): GraphErrorClassification {
  const parsed = graphErrorBodySchema.safeParse(parseBody(body));
  if (!parsed.success) {
    return {
      kind: 'http',
      httpStatus: status,
      code: null,
      subcode: null,
      type: null,
      fbtraceId: null,
      isTransient: null,
      metaMessage: null,
      userTitle: null,
      userMessage: null,
      retryable: true,
      needsReconnect: false,
      outsideWindow: false,
      rateLimited: status === 429,
      explanation: EXPLANATIONS.http,
    };
  }
  const error = parsed.data.error;
  const code = error.code;
  const subcode = error.error_subcode ?? null;
  const isTransient = error.is_transient ?? null;
  const userMessage = error.error_user_msg ?? null;
  return {
    kind: 'graph',
    httpStatus: status,
    code,
    subcode,
    type: error.type ?? null,
    fbtraceId: error.fbtrace_id ?? null,
    isTransient,
    metaMessage: error.message ?? null,
    userTitle: error.error_user_title ?? null,
    userMessage,
    retryable: isRetryable(code, subcode, isTransient, status),
    needsReconnect: code === 190,
    outsideWindow: code === 10 && subcode !== null && OUTSIDE_WINDOW_SUBCODES.has(subcode),
    rateLimited: RATE_LIMIT_CODES.has(code),
    explanation: explainGraph(code, subcode, userMessage),
  };
}

/** A verdict for failures without a Graph answer (network, timeout, wrong shape, refused locally). */
export function classifyLocalFailure(
  kind: 'network' | 'timeout' | 'invalid_response' | 'invalid_request',
  httpStatus: number | null = null,
  explanation?: string,
): GraphErrorClassification {
  const defaults = {
    network: EXPLANATIONS.network,
    timeout: EXPLANATIONS.timeout,
    invalid_response: EXPLANATIONS.invalidResponse,
    invalid_request: 'Switchboard refused to send this request because it is malformed.',
  } as const;
  return {
    kind,
    httpStatus,
    code: null,
    subcode: null,
    type: null,
    fbtraceId: null,
    isTransient: null,
    metaMessage: null,
    userTitle: null,
    userMessage: null,
    retryable: kind === 'network' || kind === 'timeout',
    needsReconnect: false,
    outsideWindow: false,
    rateLimited: false,
    explanation: explanation ?? defaults[kind],
  };
}

/** Where a failure happened: the HTTP method and the path with secrets masked. */
export interface GraphCallContext {
  method: string;
  /** Path and query, secrets already masked (`/v25.0/me?fields=…`). */
  endpoint: string;
  /** For `network`: the system error code (`ECONNREFUSED`, `UND_ERR_SOCKET`…), never its message. */
  causeCode?: string | null;
  /** For `invalid_response`: which fields were wrong (paths only, never values). */
  issues?: string[];
}

const identity: Scrub = (text) => text;

/**
 * Every failure of an `InstagramClient` call. All fields are plain data and
 * free of secrets (the constructor scrubs every string it is given), so the
 * error may be logged, serialised or shown as is.
 */
export class GraphApiError extends Error implements GraphErrorClassification {
  override readonly name = 'GraphApiError';
  readonly kind: GraphErrorKind;
  readonly httpStatus: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly type: string | null;
  readonly fbtraceId: string | null;
  readonly isTransient: boolean | null;
  readonly metaMessage: string | null;
  readonly userTitle: string | null;
  readonly userMessage: string | null;
  readonly retryable: boolean;
  readonly needsReconnect: boolean;
  readonly outsideWindow: boolean;
  readonly rateLimited: boolean;
  readonly explanation: string;
  readonly method: string | null;
  readonly endpoint: string | null;
  readonly causeCode: string | null;
  readonly issues: string[];

  constructor(
    verdict: GraphErrorClassification,
    context: Partial<GraphCallContext> = {},
    scrub: Scrub = identity,
  ) {
    const clean = (text: string | null | undefined): string | null =>
      text === null || text === undefined ? null : scrub(text);
    const endpoint = clean(context.endpoint);
    const metaMessage = clean(verdict.metaMessage);
    // The endpoint goes last: redaction masks a query value up to the next separator, and a
    // character after it would be swallowed into the mask.
    const where = endpoint === null ? '' : ` — ${context.method ?? 'GET'} ${endpoint}`;
    const codeText =
      verdict.code === null
        ? ''
        : ` #${verdict.code}${verdict.subcode === null ? '' : `/${verdict.subcode}`}`;
    const statusText = verdict.httpStatus === null ? '' : ` (HTTP ${verdict.httpStatus})`;
    super(
      scrub(
        `Graph API ${verdict.kind} error${codeText}${statusText}: ${metaMessage ?? verdict.explanation}${where}`,
      ),
    );
    this.kind = verdict.kind;
    this.httpStatus = verdict.httpStatus;
    this.code = verdict.code;
    this.subcode = verdict.subcode;
    this.type = clean(verdict.type);
    this.fbtraceId = clean(verdict.fbtraceId);
    this.isTransient = verdict.isTransient;
    this.metaMessage = metaMessage;
    this.userTitle = clean(verdict.userTitle);
    this.userMessage = clean(verdict.userMessage);
    this.retryable = verdict.retryable;
    this.needsReconnect = verdict.needsReconnect;
    this.outsideWindow = verdict.outsideWindow;
    this.rateLimited = verdict.rateLimited;
    this.explanation = scrub(verdict.explanation);
    this.method = context.method ?? null;
    this.endpoint = endpoint;
    this.causeCode = clean(context.causeCode);
    this.issues = (context.issues ?? []).map(scrub);
  }

  /** Plain data for logs and IPC (no stack: it adds nothing a log line needs). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      httpStatus: this.httpStatus,
      code: this.code,
      subcode: this.subcode,
      type: this.type,
      fbtraceId: this.fbtraceId,
      isTransient: this.isTransient,
      metaMessage: this.metaMessage,
      userTitle: this.userTitle,
      userMessage: this.userMessage,
      retryable: this.retryable,
      needsReconnect: this.needsReconnect,
      outsideWindow: this.outsideWindow,
      rateLimited: this.rateLimited,
      explanation: this.explanation,
      method: this.method,
      endpoint: this.endpoint,
      causeCode: this.causeCode,
      issues: this.issues,
    };
  }
}

/** Narrowing helper for callers that catch `unknown`. */
export function isGraphApiError(error: unknown): error is GraphApiError {
  return error instanceof GraphApiError;
}
