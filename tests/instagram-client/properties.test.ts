import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GraphApiError,
  classifyGraphError,
  createScrubber,
  redactUrl,
} from '../../electron/main/core/instagram';

const token = fc.stringMatching(/^(IGAA|EAA)[A-Za-z0-9]{20,200}$/);

describe('properties', () => {
  it('classifyGraphError never throws and always gives a graph or http verdict, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(fc.jsonValue(), fc.string()),
        (status, body) => {
          const verdict = classifyGraphError(status, body);
          expect(['graph', 'http']).toContain(verdict.kind);
          expect(verdict.explanation.length).toBeGreaterThan(0);
          // A token problem is never something a retry fixes.
          if (verdict.needsReconnect) expect(verdict.retryable).toBe(false);
        },
      ),
    );
  });

  it('a token Meta echoes anywhere in an error body never reaches the error', () => {
    fc.assert(
      fc.property(token, fc.string(), fc.string(), (secret, before, after) => {
        const body = {
          error: {
            message: `${before}${secret}${after}`,
            type: 'OAuthException',
            code: 190,
            error_user_msg: `${secret}`,
            fbtrace_id: 'T',
          },
        };
        const error = new GraphApiError(
          classifyGraphError(400, body),
          { method: 'GET', endpoint: `/v25.0/me?access_token=${secret}` },
          createScrubber([secret]),
        );
        const rendered = `${JSON.stringify(error)}\n${error.message}\n${error.stack ?? ''}`;
        expect(rendered).not.toContain(secret);
      }),
    );
  });

  it('redactUrl removes any access_token value from a query string', () => {
    fc.assert(
      fc.property(token, (secret) => {
        const url = `/v25.0/me/messages?x=1&access_token=${encodeURIComponent(secret)}&y=2`;
        expect(redactUrl(url)).toBe('/v25.0/me/messages?x=1&access_token=[redacted]&y=2');
      }),
    );
  });
});
