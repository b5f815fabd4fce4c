import { describe, expect, it } from 'vitest';
import {
  EXPLANATIONS,
  classifyGraphError,
  createScrubber,
  redactUrl,
} from '../../electron/main/core/instagram';

/** A Meta error body, as Meta writes it. */
function metaError(fields: Record<string, unknown>): string {
  return JSON.stringify({ error: { type: 'OAuthException', fbtrace_id: 'AbCdEf123', ...fields } });
}

// Expected values are written out by hand from instagram-api.md §10 — not computed from the code's tables.
describe('classifyGraphError', () => {
  it('190/463 expired token: reconnect, not retryable', () => {
    const verdict = classifyGraphError(
      400,
      metaError({
        message: 'Error validating access token: Session has expired on Tuesday, 03-Mar-26 12:00:00 PDT.',
        code: 190,
        error_subcode: 463,
      }),
    );
    expect(verdict).toEqual({
      kind: 'graph',
      httpStatus: 400,
      code: 190,
      subcode: 463,
      type: 'OAuthException',
      fbtraceId: 'AbCdEf123',
      isTransient: null,
      metaMessage: 'Error validating access token: Session has expired on Tuesday, 03-Mar-26 12:00:00 PDT.',
      userTitle: null,
      userMessage: null,
      retryable: false,
      needsReconnect: true,
      outsideWindow: false,
      rateLimited: false,
      explanation:
        'The access token has expired. Reconnect the account: open Accounts, choose it and sign in again.',
    });
  });

  it.each([
    [458, EXPLANATIONS.tokenAppRemoved],
    [459, EXPLANATIONS.tokenCheckpoint],
    [460, EXPLANATIONS.tokenPasswordChanged],
    [464, EXPLANATIONS.tokenUnconfirmed],
    [467, EXPLANATIONS.tokenInvalid],
  ])('190/%i: reconnect with its own explanation', (subcode, explanation) => {
    expect(
      classifyGraphError(400, metaError({ message: 'x', code: 190, error_subcode: subcode })),
    ).toMatchObject({
      needsReconnect: true,
      retryable: false,
      explanation,
    });
  });

  it('190 without subcode (token missing): reconnect', () => {
    expect(
      classifyGraphError(400, metaError({ message: 'An access token is required', code: 190 })),
    ).toMatchObject({ needsReconnect: true, retryable: false, subcode: null });
  });

  it('accepts an already-parsed body, and IGApiException on graph.instagram.com', () => {
    const verdict = classifyGraphError(403, {
      error: {
        message: 'This message is sent outside of allowed window.',
        type: 'IGApiException',
        code: 10,
        error_subcode: 2534022,
        fbtrace_id: 'A1',
      },
    });
    expect(verdict).toMatchObject({
      kind: 'graph',
      type: 'IGApiException',
      code: 10,
      subcode: 2534022,
      outsideWindow: true,
      retryable: false,
      needsReconnect: false,
      explanation:
        "Instagram only allows replies within 24 hours of the customer's last message (7 days for a person using the Human Agent tag). Wait until the customer writes again.",
    });
  });

  it('10/2018278 (Messenger outside window): outsideWindow, not retryable', () => {
    expect(
      classifyGraphError(
        403,
        metaError({ message: '(#10) outside window', code: 10, error_subcode: 2018278 }),
      ),
    ).toMatchObject({ outsideWindow: true, retryable: false });
  });

  it('plain 10: permission, not outside the window', () => {
    expect(
      classifyGraphError(403, metaError({ message: '(#10) Application does not have permission', code: 10 })),
    ).toMatchObject({
      outsideWindow: false,
      retryable: false,
      needsReconnect: false,
      explanation: EXPLANATIONS.permission,
    });
  });

  it.each([
    [551, 1545041],
    [200, 1545041],
    [10, 2018108],
  ])('%i/%i: the person is not receiving messages', (code, subcode) => {
    expect(classifyGraphError(400, metaError({ message: 'x', code, error_subcode: subcode }))).toMatchObject({
      retryable: false,
      outsideWindow: false,
      explanation:
        "This person isn't receiving messages from you right now (they may have blocked the account or turned off messages).",
    });
  });

  it('100/2018001 no matching user: not retryable', () => {
    expect(
      classifyGraphError(
        400,
        metaError({ message: 'No matching user found', code: 100, error_subcode: 2018001 }),
      ),
    ).toMatchObject({ retryable: false, explanation: EXPLANATIONS.noMatchingUser });
  });

  it('100 invalid parameter: not retryable even when Meta marks it transient', () => {
    expect(
      classifyGraphError(
        400,
        metaError({ message: '(#100) Param text too long', code: 100, is_transient: true }),
      ),
    ).toMatchObject({ retryable: false, explanation: EXPLANATIONS.invalidParameter });
  });

  it.each([200, 230, 299])('%i (permission family): not retryable', (code) => {
    expect(classifyGraphError(403, metaError({ message: 'x', code })).retryable).toBe(false);
  });

  it.each([
    [4, true],
    [17, true],
    [32, true],
    [613, true],
  ])('%i rate limit: retryable and rateLimited', (code, rateLimited) => {
    expect(classifyGraphError(400, metaError({ message: 'limit', code, is_transient: true }))).toMatchObject({
      retryable: true,
      rateLimited,
      needsReconnect: false,
      explanation: EXPLANATIONS.rateLimited,
    });
  });

  it.each([
    [1, 500],
    [2, 503],
    [1200, 500],
  ])('%i temporary failure (HTTP %i): retryable, not a rate limit', (code, status) => {
    expect(classifyGraphError(status, metaError({ message: 'try later', code }))).toMatchObject({
      retryable: true,
      rateLimited: false,
      httpStatus: status,
      explanation: EXPLANATIONS.metaTemporary,
    });
  });

  it('an unknown code: retryable only with a 5xx or is_transient', () => {
    expect(classifyGraphError(400, metaError({ message: 'x', code: 9999 })).retryable).toBe(false);
    expect(classifyGraphError(500, metaError({ message: 'x', code: 9999 })).retryable).toBe(true);
    expect(
      classifyGraphError(400, metaError({ message: 'x', code: 9999, is_transient: true })).retryable,
    ).toBe(true);
  });

  it("an unknown code falls back to Meta's end-user message", () => {
    const verdict = classifyGraphError(
      400,
      metaError({
        message: 'x',
        code: 9999,
        error_user_title: 'Oops',
        error_user_msg: 'Try the app instead.',
      }),
    );
    expect(verdict).toMatchObject({
      userTitle: 'Oops',
      userMessage: 'Try the app instead.',
      explanation: 'Meta refused the request. Meta says: Try the app instead.',
    });
  });

  it.each([
    [502, '<html><body>502 Bad Gateway</body></html>'],
    [503, ''],
    [500, '{"unexpected":"json"}'],
    [400, '{"error":"just a string"}'],
  ])('HTTP %i with a body that is not Meta error JSON → http, retryable', (status, body) => {
    expect(classifyGraphError(status, body)).toMatchObject({
      kind: 'http',
      httpStatus: status,
      code: null,
      retryable: true,
      needsReconnect: false,
      explanation: EXPLANATIONS.http,
    });
  });

  it('HTTP 429 without Meta JSON counts as a rate limit', () => {
    expect(classifyGraphError(429, 'Too Many Requests')).toMatchObject({ kind: 'http', rateLimited: true });
  });
});

describe('redaction', () => {
  it('masks secret query parameters by name, whatever their value', () => {
    expect(
      redactUrl(
        '/v25.0/debug_token?input_token=EAAabc&access_token=123%7Csecret&fields=id&appsecret_proof=ff00&client_secret=s',
      ),
    ).toBe(
      '/v25.0/debug_token?input_token=[redacted]&access_token=[redacted]&fields=id&appsecret_proof=[redacted]&client_secret=[redacted]',
    );
    expect(redactUrl('Authorization: Bearer IGAAxyz')).toBe('Authorization: Bearer [redacted]');
    expect(redactUrl('Invalid OAuth access token')).toBe('Invalid OAuth access token');
  });

  it('masks known secrets in plain, URL-encoded and JSON-escaped forms', () => {
    const scrub = createScrubber(['123|s3cr3t/value+x', undefined, 'short']);
    expect(scrub('a 123|s3cr3t/value+x b')).toBe('a [redacted] b');
    expect(scrub('a 123%7Cs3cr3t%2Fvalue%2Bx b')).toBe('a [redacted] b');
    expect(scrub('short words stay')).toBe('short words stay');
  });
});
