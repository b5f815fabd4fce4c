import { describe, expect, it } from 'vitest';
import { CommitGroup } from '../../electron/main/core/db/commit-group';
import { forEachDialect } from '../support/databases';

forEachDialect('commit group', (db) => {
  const group = () => new CommitGroup({ repositories: () => db().repos, enabled: true });

  it('commits the writes of one turn together and undoes only the one that failed', async () => {
    const commits = group();
    const [a, b, c] = await Promise.allSettled([
      commits.run(async (tx) => {
        await tx.settings.set('group.a', 1);
        return 'a';
      }),
      commits.run(async (tx) => {
        await tx.settings.set('group.b', 2);
        throw new Error('b failed');
      }),
      commits.run(async (tx) => {
        // Runs after the failed one, in the same transaction: sees the first write, not the undone one.
        return [await tx.settings.get('group.a'), await tx.settings.get('group.b')];
      }),
    ]);
    expect(a).toEqual({ status: 'fulfilled', value: 'a' });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'b failed' } });
    expect(c).toEqual({ status: 'fulfilled', value: [1, null] });
    expect(await db().repos.settings.get('group.a')).toBe(1);
    expect(await db().repos.settings.get('group.b')).toBeNull();
  });

  it('runs a write alone in a transaction of its own', async () => {
    const failure = await group()
      .run(async (tx) => {
        await tx.settings.set('group.alone', 1);
        throw new Error('alone failed');
      })
      .catch((error: unknown) => error);
    expect((failure as Error).message).toBe('alone failed');
    expect(await db().repos.settings.get('group.alone')).toBeNull();
  });

  it('groups the next turn again after a flush', async () => {
    const commits = group();
    await Promise.all([
      commits.run((tx) => tx.settings.set('group.t1', 1)),
      commits.run((tx) => tx.settings.set('group.t2', 2)),
    ]);
    await commits.run((tx) => tx.settings.set('group.t3', 3));
    expect([await db().repos.settings.get('group.t1'), await db().repos.settings.get('group.t3')]).toEqual([
      1, 3,
    ]);
  });
});

describe('commit group without a database', () => {
  it('rejects every write of the turn with the reason the database cannot be used', async () => {
    const away = new Error('The database is not available.');
    const commits = new CommitGroup({
      repositories: () => {
        throw away;
      },
      enabled: true,
    });
    const results = await Promise.allSettled([commits.run(async () => 1), commits.run(async () => 2)]);
    expect(results).toEqual([
      { status: 'rejected', reason: away },
      { status: 'rejected', reason: away },
    ]);
  });
});
