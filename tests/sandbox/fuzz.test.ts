import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount, Sandbox } from '../../electron/main/sandbox';
import { sandboxForTest } from './helpers';

let sandbox: Sandbox;
let account: CreatedAccount;
beforeAll(async () => {
  sandbox = await sandboxForTest();
  account = sandbox.createAccount({ loginType: 'instagram' });
  sandbox.createCustomer(account.account.id, { igsid: '1234567890123456', lastInboundSecondsAgo: 10 });
});
afterAll(async () => {
  await sandbox.dispose();
});

function isGraphError(value: unknown): boolean {
  const error = (value as { error?: Record<string, unknown> }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.message === 'string' &&
    typeof error.type === 'string' &&
    typeof error.code === 'number' &&
    typeof error.fbtrace_id === 'string'
  );
}

describe('request handling fuzz', () => {
  it('never crashes and always answers JSON: success or Meta-shaped error', async () => {
    const paths = fc.oneof(
      fc.constantFrom(
        '/v25.0/me/messages',
        '/me/messages',
        `/v25.0/${account.account.id}/messages`,
        '/v25.0/me',
        '/debug_token',
        '/refresh_access_token',
        '/v25.0/me/conversations',
        '/v25.0/me/subscribed_apps',
      ),
      fc
        .array(fc.string({ maxLength: 12 }), { maxLength: 4 })
        .map((parts) => `/${parts.map(encodeURIComponent).join('/')}`),
    );
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc
        .record(
          {
            recipient: fc.oneof(
              fc.record({ id: fc.oneof(fc.string(), fc.constant('1234567890123456'), fc.integer()) }),
              fc.anything(),
            ),
            message: fc.anything(),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            recipient: fc.constant({ id: '1234567890123456' }),
            sender_action: fc.string(),
            payload: fc.anything(),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT'),
        paths,
        bodies,
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
        fc.boolean(),
        async (method, path, body, contentType, withToken) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['content-type'] = contentType;
          if (withToken) headers.authorization = `Bearer ${account.token}`;
          const response = await fetch(`${sandbox.url}${path}`, {
            method,
            headers,
            ...(method === 'GET' ? {} : { body }),
          });
          const text = await response.text();
          const json = JSON.parse(text) as unknown;
          if (response.status >= 400) expect(isGraphError(json), text).toBe(true);
          else expect(typeof json).toBe('object');
        },
      ),
      { numRuns: 150, seed: 20260302 },
    );
  });
});
