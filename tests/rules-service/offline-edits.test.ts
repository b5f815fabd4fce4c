/**
 * Rule edits kept on this computer while the database is unreachable (the renderer's queue), saved
 * later through the real contract and core on both dialects. The only stand-in is at the transport:
 * while "offline", calls answer UNAVAILABLE as the core does when the database cannot be reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result, RuleView } from '../../shared/contract';
import {
  mergePending,
  OfflineEdits,
  pendingKey,
  retryDelayMs,
  type EditStore,
  type PendingEdit,
  type RuleSaver,
} from '../../shared/rules/offline-edits';
import { forEachDialect } from '../support/databases';
import { keywordRule, startRulesWorld, type RulesWorld } from './support';

/** `localStorage`'s shape over a Map (Node has no localStorage). */
class MemoryStore implements EditStore {
  readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const UNREACHABLE: Result<never> = {
  ok: false,
  error: { code: 'UNAVAILABLE', message: 'The database cannot be reached (connection refused).' },
};

function edit(overrides: Partial<PendingEdit> = {}): Omit<PendingEdit, 'format' | 'conflict' | 'savedAt'> {
  return {
    accountId: 'acc',
    ruleId: 'r1',
    isNew: false,
    baseVersion: 3,
    rule: keywordRule('Prices', ['price'], 'x'),
    name: 'Prices',
    ...overrides,
  };
}

describe('merging edits kept on this computer', () => {
  it('a second save keeps the first base version and the new-rule flag, with the latest body', () => {
    const first = mergePending(null, edit({ baseVersion: 3 }), new Date('2026-01-01T10:00:00Z'));
    const second = mergePending(
      first,
      edit({ baseVersion: 9, name: 'Prices 2', rule: keywordRule('Prices 2', ['cost'], 'y') }),
      new Date('2026-01-01T10:05:00Z'),
    );
    expect(second).toMatchObject({ baseVersion: 3, name: 'Prices 2', savedAt: '2026-01-01T10:05:00.000Z' });
    expect(second.rule).toMatchObject({ name: 'Prices 2' });
    const created = mergePending(null, edit({ isNew: true, baseVersion: 0 }), new Date());
    expect(mergePending(created, edit({ isNew: false, baseVersion: 0 }), new Date()).isNew).toBe(true);
  });

  it('a conflict stays until a save is made against the version it named', () => {
    const conflicted: PendingEdit = {
      ...mergePending(null, edit({ baseVersion: 3 }), new Date()),
      conflict: { currentVersion: 5, message: 'changed' },
    };
    expect(mergePending(conflicted, edit({ baseVersion: 3 }), new Date()).conflict).not.toBeNull();
    const resolved = mergePending(conflicted, edit({ baseVersion: 5 }), new Date());
    expect(resolved).toMatchObject({ conflict: null, baseVersion: 5 });
  });

  it('is stored per account and rule; unreadable entries are ignored', () => {
    const store = new MemoryStore();
    const edits = new OfflineEdits(store);
    edits.keep(edit({ accountId: 'a', ruleId: 'r1' }));
    edits.keep(edit({ accountId: 'b', ruleId: 'r1' }));
    store.setItem(pendingKey('a', 'broken'), '{not json');
    store.setItem(pendingKey('a', 'old'), JSON.stringify({ format: 99 }));
    store.setItem('unrelated', 'x');
    expect([...store.items.keys()]).toContain('switchboard.rules.pending.a.r1');
    expect(edits.list('a').map((e) => e.ruleId)).toEqual(['r1']);
    expect(edits.list().length).toBe(2);
    expect(edits.get('b', 'r1')?.baseVersion).toBe(3);
  });

  it('retries back off from 5 seconds to at most 5 minutes', () => {
    expect([0, 1, 2, 3].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(20)).toBe(300_000);
  });
});

forEachDialect('rule edits saved once the database is back', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  /** The contract's two save calls, answering UNAVAILABLE while `online.value` is false. */
  function transport(online: { value: boolean }, calls: string[] = []): RuleSaver {
    return {
      create: async (accountId, rule) => {
        calls.push('create');
        if (!online.value) return UNREACHABLE;
        return (await world.raw('rules.create', { accountId, rule })) as Result<RuleView>;
      },
      update: async (id, expectedVersion, rule) => {
        calls.push(`update@${expectedVersion}`);
        if (!online.value) return UNREACHABLE;
        return (await world.raw('rules.update', { id, expectedVersion, rule })) as Result<RuleView>;
      },
    };
  }

  it('keeps edits while unreachable, then saves them against their base version (new rules once)', async () => {
    const account = await world.account();
    const stored = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Prices', ['price'], 'old'),
    });
    const edits = new OfflineEdits(new MemoryStore());
    edits.keep(
      edit({
        accountId: account.id,
        ruleId: stored.id,
        baseVersion: stored.version,
        rule: keywordRule('Prices', ['price'], 'new reply'),
      }),
    );
    edits.keep(
      edit({
        accountId: account.id,
        ruleId: 'offline-new-rule-1',
        isNew: true,
        baseVersion: 0,
        name: 'Hours',
        rule: keywordRule('Hours', ['hours'], 'We open at 9'),
      }),
    );
    const online = { value: false };
    const calls: string[] = [];

    const down = await edits.flush(account.id, transport(online, calls));
    expect(down.map((o) => o.kind)).toEqual(['still_offline', 'still_offline']);
    expect(calls).toHaveLength(1); // stops at the first unreachable answer
    expect(edits.list(account.id)).toHaveLength(2);

    online.value = true;
    const up = await edits.flush(account.id, transport(online));
    expect(up.map((o) => o.kind)).toEqual(['saved', 'saved']);
    expect(edits.list(account.id)).toEqual([]);
    const list = await world.call<{ rules: RuleView[] }>('rules.list', { accountId: account.id });
    const prices = list.rules.find((r) => r.id === stored.id);
    expect(prices?.version).toBe(stored.version + 1);
    expect(prices?.rule?.response).toMatchObject({ variants: ['new reply'] });
    expect(list.rules.find((r) => r.id === 'offline-new-rule-1')?.name).toBe('Hours');
  });

  it('a rule changed elsewhere meanwhile becomes a conflict, not an overwrite, until resolved', async () => {
    const account = await world.account();
    const stored = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Prices', ['price'], 'v1'),
    });
    const edits = new OfflineEdits(new MemoryStore());
    edits.keep(
      edit({
        accountId: account.id,
        ruleId: stored.id,
        baseVersion: stored.version,
        rule: keywordRule('Prices', ['price'], 'mine'),
      }),
    );
    // Another workstation saves while this one is offline.
    await world.call('rules.update', {
      id: stored.id,
      expectedVersion: stored.version,
      rule: keywordRule('Prices', ['price'], 'theirs'),
    });

    const online = { value: true };
    const first = await edits.flush(account.id, transport(online));
    expect(first).toHaveLength(1);
    expect(first[0]?.kind).toBe('conflict');
    expect(first[0]?.edit.conflict?.currentVersion).toBe(stored.version + 1);
    const theirs = await world.call<RuleView>('rules.get', { id: stored.id });
    expect(theirs.rule?.response).toMatchObject({ variants: ['theirs'] });

    // Not retried on its own: it waits for staff.
    const calls: string[] = [];
    expect((await edits.flush(account.id, transport(online, calls)))[0]?.kind).toBe('conflict');
    expect(calls).toEqual([]);

    // "Overwrite with mine" saves against the current version.
    edits.keep(
      edit({
        accountId: account.id,
        ruleId: stored.id,
        baseVersion: theirs.version,
        rule: keywordRule('Prices', ['price'], 'mine'),
      }),
    );
    const resolved = await edits.flush(account.id, transport(online));
    expect(resolved.map((o) => o.kind)).toEqual(['saved']);
    const final = await world.call<RuleView>('rules.get', { id: stored.id });
    expect(final.rule?.response).toMatchObject({ variants: ['mine'] });
  });

  it('an edit of a rule deleted meanwhile is kept for staff, with the reason, and not retried', async () => {
    const account = await world.account();
    const stored = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Gone', ['gone'], 'x'),
    });
    await world.call('rules.delete', { id: stored.id, expectedVersion: stored.version });
    const edits = new OfflineEdits(new MemoryStore());
    edits.keep(edit({ accountId: account.id, ruleId: stored.id, baseVersion: stored.version }));
    const outcomes = await edits.flush(account.id, transport({ value: true }));
    expect(outcomes[0]?.kind).toBe('refused');
    expect(edits.get(account.id, stored.id)?.conflict?.message).toMatch(/does not exist/);
  });
});
