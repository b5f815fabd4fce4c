/**
 * Meta's error vocabulary, as documented in instagram-api.md §7 and §10.
 *
 * Every failure the emulator reports goes through `GraphError`, so the body is
 * always `{ error: { message, type, code, error_subcode?, fbtrace_id } }`.
 */

/** Which host's conventions an answer follows: graph.instagram.com or graph.facebook.com. */
export type ErrorFlavor = 'instagram' | 'facebook';

/** The JSON body Meta sends with every Graph error. */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
  };
}

interface GraphErrorOptions {
  subcode?: number;
  /** Overrides the flavor's default exception type (e.g. `GraphMethodException`). */
  type?: string;
  isTransient?: boolean;
  status?: number;
  userTitle?: string;
  userMsg?: string;
}

/** A Graph API error the emulator answers with; thrown by rules, caught by the server. */
export class GraphError extends Error {
  readonly code: number;
  readonly subcode: number | undefined;
  readonly status: number;
  readonly typeOverride: string | undefined;
  readonly isTransient: boolean | undefined;
  readonly userTitle: string | undefined;
  readonly userMsg: string | undefined;

  constructor(code: number, message: string, options: GraphErrorOptions = {}) {
    super(message);
    this.name = 'GraphError';
    this.code = code;
    this.subcode = options.subcode;
    this.status = options.status ?? defaultStatus(code);
    this.typeOverride = options.type;
    this.isTransient = options.isTransient;
    this.userTitle = options.userTitle;
    this.userMsg = options.userMsg;
  }

  /** The body for this error on the given host flavor. */
  toBody(flavor: ErrorFlavor, fbtraceId: string): GraphErrorBody {
    const type = this.typeOverride ?? (flavor === 'instagram' ? 'IGApiException' : 'OAuthException');
    return {
      error: {
        message: this.message,
        type,
        code: this.code,
        ...(this.subcode === undefined ? {} : { error_subcode: this.subcode }),
        ...(this.isTransient === undefined ? {} : { is_transient: this.isTransient }),
        ...(this.userTitle === undefined ? {} : { error_user_title: this.userTitle }),
        ...(this.userMsg === undefined ? {} : { error_user_msg: this.userMsg }),
        fbtrace_id: fbtraceId,
      },
    };
  }
}

// Meta's HTTP statuses are not documented per code; these follow observed
// traffic (a real outside-window answer from graph.instagram.com was a 403)
// and Graph's habit of answering 400 for client errors and 500 for its own.
function defaultStatus(code: number): number {
  if (code === 1 || code === 2 || code === 1200) return 500;
  if (code === 10 || (code >= 200 && code <= 299)) return 403;
  return 400;
}

/** The catalogue of errors the emulator produces. */
export const graphErrors = {
  tokenMissing: (): GraphError =>
    new GraphError(190, 'An access token is required to request this resource.', { type: 'OAuthException' }),
  tokenInvalid: (subcode = 467): GraphError =>
    new GraphError(190, 'Invalid OAuth access token - Cannot parse access token', { subcode }),
  tokenRevoked: (subcode: number): GraphError => new GraphError(190, revokedMessage(subcode), { subcode }),
  tokenExpired: (expiredAt: number, now: number): GraphError =>
    new GraphError(
      190,
      `Error validating access token: Session has expired on ${new Date(expiredAt).toUTCString()}. The current time is ${new Date(now).toUTCString()}.`,
      { subcode: 463 },
    ),
  permission: (what = 'this action'): GraphError =>
    new GraphError(10, `(#10) Application does not have permission for ${what}`),
  permission200: (message: string): GraphError => new GraphError(200, `(#200) ${message}`),
  consentRequired: (): GraphError =>
    new GraphError(230, '(#230) User consent is required to access user profile'),
  param: (message: string, subcode?: number): GraphError =>
    new GraphError(100, `(#100) ${message}`, subcode === undefined ? {} : { subcode }),
  unsupported: (method: string, id: string): GraphError =>
    new GraphError(
      100,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      { subcode: 33, type: 'GraphMethodException' },
    ),
  unknownPath: (path: string): GraphError =>
    new GraphError(2500, `Unknown path components: ${path}`, { type: 'OAuthException' }),
  noMatchingUser: (): GraphError => new GraphError(100, 'No matching user found', { subcode: 2018001 }),
  userUnavailable: (): GraphError =>
    new GraphError(551, "(#551) This person isn't available right now.", { subcode: 1545041 }),
  outsideWindow: (flavor: ErrorFlavor): GraphError =>
    flavor === 'instagram'
      ? new GraphError(10, 'This message is sent outside of allowed window.', { subcode: 2534022 })
      : new GraphError(
          10,
          '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
          { subcode: 2018278 },
        ),
  humanAgentNotEnabled: (): GraphError =>
    new GraphError(
      10,
      '(#10) The HUMAN_AGENT tag is not available: the Human Agent feature is not enabled for this app.',
    ),
  appRateLimit: (): GraphError =>
    new GraphError(4, '(#4) Application request limit reached', {
      isTransient: true,
      type: 'OAuthException',
    }),
  customRateLimit: (): GraphError =>
    new GraphError(613, '(#613) Calls to this API have exceeded the rate limit.', { isTransient: true }),
  serviceError: (status = 500): GraphError =>
    new GraphError(2, 'An unexpected error has occurred. Please retry your request later.', {
      isTransient: true,
      status,
      type: 'OAuthException',
    }),
} as const;

function revokedMessage(subcode: number): string {
  switch (subcode) {
    case 458:
      return 'Error validating access token: The user has not authorized application.';
    case 459:
      return 'Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.';
    case 460:
      return 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
    case 464:
      return 'Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.';
    default:
      return 'Invalid OAuth access token.';
  }
}
