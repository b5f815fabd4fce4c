import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../../electron/main/core/db/errors';
import { forEachDialect } from '../support/databases';
import { igId, newAccount } from './fixtures';

forEachDialect('accounts repository', (db) => {
  it('creates, reads, lists, updates and deletes an account', async () => {
    const { accounts } = db().repos;
    const input = newAccount({
      displayName: 'Café Müller ☕',
      clientName: 'Müller GmbH',
      brandColor: '#FF8800',
      loginType: 'facebook',
      accessTokenEncrypted: 'v1:iv:ciphertext',
      tokenExpiresAt: new Date('2031-05-06T07:08:09.123Z'),
      settings: {
        timezone: 'Europe/Berlin',
        businessHours: [{ day: 1, start: '09:00', end: '17:30' }],
        automationEnabled: true,
        hourlySendBudget: 50,
        humanAgentAllowed: true,
      },
    });
    const created = await accounts.create(input);
    expect(created).toMatchObject({
      instagramAccountId: input.instagramAccountId,
      username: input.username,
      displayName: 'Café Müller ☕',
      clientName: 'Müller GmbH',
      brandColor: '#FF8800',
      loginType: 'facebook',
      status: 'active',
      healthStatus: 'unknown',
      accessTokenEncrypted: 'v1:iv:ciphertext',
    });
    expect(created.tokenExpiresAt?.toISOString()).toBe('2031-05-06T07:08:09.123Z');
    expect(created.settings.businessHours).toEqual([{ day: 1, start: '09:00', end: '17:30' }]);
    expect(created.createdAt).toBeInstanceOf(Date);

    expect(await accounts.get(created.id)).toEqual(created);
    expect(await accounts.getByInstagramId(input.instagramAccountId)).toEqual(created);
    expect((await accounts.list()).map((a) => a.id)).toContain(created.id);

    const updated = await accounts.update(created.id, { status: 'archived', displayName: null });
    expect(updated.status).toBe('archived');
    expect(updated.displayName).toBeNull();
    expect(updated.clientName).toBe('Müller GmbH');
    expect((await accounts.list()).map((a) => a.id)).not.toContain(created.id);
    expect((await accounts.list({ includeArchived: true })).map((a) => a.id)).toContain(created.id);

    await accounts.setHealth(created.id, {
      status: 'error',
      message: 'Token expired',
      checkedAt: new Date('2030-01-01T00:00:00.007Z'),
    });
    const unhealthy = await accounts.get(created.id);
    expect(unhealthy).toMatchObject({ healthStatus: 'error', healthMessage: 'Token expired' });
    expect(unhealthy?.healthCheckedAt?.getTime()).toBe(Date.parse('2030-01-01T00:00:00.007Z'));

    await accounts.delete(created.id);
    expect(await accounts.get(created.id)).toBeNull();
    await expect(accounts.delete(created.id)).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
  });

  it('applies default settings when none are given', async () => {
    const account = await db().repos.accounts.create(newAccount());
    expect(account.settings).toEqual({
      timezone: 'UTC',
      businessHours: [],
      automationEnabled: false,
      hourlySendBudget: 200,
      humanAgentAllowed: false,
    });
    expect(account.loginType).toBe('instagram');
  });

  it('refuses a second account with the same Instagram id', async () => {
    const input = newAccount();
    await db().repos.accounts.create(input);
    const error = await db()
      .repos.accounts.create({ ...input, username: 'other' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('DB_CONFLICT');
  });

  it('upserts by Instagram id: reconnecting keeps the id and refreshes only given fields', async () => {
    const { accounts } = db().repos;
    const instagramAccountId = igId();
    const first = await accounts.upsertByInstagramId({
      instagramAccountId,
      username: 'before',
      clientName: 'Kept Client',
      accessTokenEncrypted: 'old',
    });
    const second = await accounts.upsertByInstagramId({
      instagramAccountId,
      username: 'after',
      accessTokenEncrypted: 'new',
    });
    expect(second.id).toBe(first.id);
    expect(second.username).toBe('after');
    expect(second.accessTokenEncrypted).toBe('new');
    expect(second.clientName).toBe('Kept Client');
    const all = (await accounts.list({ includeArchived: true })).filter(
      (a) => a.instagramAccountId === instagramAccountId,
    );
    expect(all).toHaveLength(1);
  });

  describe('input validation (before the database sees it)', () => {
    it('rejects a username longer than its column', async () => {
      const error = await db()
        .repos.accounts.create(newAccount({ username: 'x'.repeat(256) }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DB_INVALID_INPUT', field: 'username' });
      expect((error as Error).message).toMatch(/username must be at most 255 characters/);
    });

    it('counts emoji as one character each, as MariaDB does', async () => {
      const account = await db().repos.accounts.create(newAccount({ displayName: '🎉'.repeat(255) }));
      expect(account.displayName).toBe('🎉'.repeat(255));
      await expect(
        db().repos.accounts.create(newAccount({ displayName: '🎉'.repeat(256) })),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'displayName' });
    });

    it('rejects an invalid enum value', async () => {
      await expect(db().repos.accounts.create(newAccount({ status: 'deleted' }))).rejects.toMatchObject({
        code: 'DB_INVALID_INPUT',
        field: 'status',
      });
      await expect(db().repos.accounts.create(newAccount({ loginType: 'twitter' }))).rejects.toMatchObject({
        code: 'DB_INVALID_INPUT',
        field: 'loginType',
      });
    });

    it('rejects malformed settings and ids with spaces', async () => {
      await expect(
        db().repos.accounts.create(
          newAccount({
            settings: {
              timezone: 'UTC',
              businessHours: [{ day: 9, start: '09:00', end: '10:00' }],
              automationEnabled: true,
              hourlySendBudget: 1,
              humanAgentAllowed: false,
            },
          }),
        ),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'settings.businessHours.0.day' });
      await expect(
        db().repos.accounts.create(newAccount({ instagramAccountId: '123 456' })),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'instagramAccountId' });
    });

    it('stores nothing when input is rejected', async () => {
      const instagramAccountId = igId();
      await db()
        .repos.accounts.create({ instagramAccountId, username: 'x'.repeat(300) })
        .catch(() => undefined);
      expect(await db().repos.accounts.getByInstagramId(instagramAccountId)).toBeNull();
    });
  });
});
