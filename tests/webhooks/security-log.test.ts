/**
 * The security log table on both dialects: written in batches, read per account, pruned to a bound.
 */
import { expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';
import { createAccount } from '../receiving/support';
import type { NewWebhookSecurityEntry } from '../../electron/main/core/db/repositories/webhook-security-repository';

function entry(accountId: string | null, index: number): NewWebhookSecurityEntry {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, index));
  return {
    accountId,
    instagramAccountId: '17841400000000042',
    reason: 'signature_invalid',
    httpStatus: 403,
    method: 'POST',
    remoteAddress: '203.0.113.9',
    userAgent: `agent ${index}`,
    bodyBytes: index,
    occurrences: 1 + (index % 3),
    firstAt: at,
    lastAt: at,
  };
}

forEachDialect('webhook security log', (get) => {
  it('keeps the newest rows per account and leaves other accounts alone', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const neighbour = await createAccount(repos);
    await repos.webhookSecurity.recordMany(Array.from({ length: 30 }, (_, i) => entry(account.id, i)));
    await repos.webhookSecurity.recordMany(Array.from({ length: 5 }, (_, i) => entry(neighbour.id, i)));
    await repos.webhookSecurity.recordMany(Array.from({ length: 7 }, (_, i) => entry(null, i)));

    expect(await repos.webhookSecurity.prune(account.id, 10)).toBe(20);
    expect(await repos.webhookSecurity.prune(null, 3)).toBe(4);
    expect(await repos.webhookSecurity.prune(neighbour.id, 10)).toBe(0);

    const kept = await repos.webhookSecurity.list({ accountId: account.id });
    expect(kept.map((e) => e.userAgent)).toEqual(Array.from({ length: 10 }, (_, i) => `agent ${29 - i}`));
    expect(kept[0]).toMatchObject({
      reason: 'signature_invalid',
      httpStatus: 403,
      occurrences: 3,
      bodyBytes: 29,
    });
    expect(kept[0]!.lastAt.toISOString()).toBe('2026-01-01T00:00:29.000Z');
    expect(await repos.webhookSecurity.list({ accountId: neighbour.id })).toHaveLength(5);
    const unknown = await repos.webhookSecurity.list({ instagramAccountId: '17841400000000042', limit: 500 });
    expect(unknown.filter((e) => e.accountId === null)).toHaveLength(3);
  });

  it('refuses over-long attacker-chosen text before the database sees it', async () => {
    const { repos } = get();
    await expect(
      repos.webhookSecurity.recordMany([{ ...entry(null, 1), userAgent: 'x'.repeat(256) }]),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
  });
});
