/**
 * Every rule edit leaves one audit entry, written in the transaction of the change (both dialects):
 * a refused edit leaves none, and an edit whose entry cannot be written is not applied.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RulesDocument, RuleView } from '../../shared/contract';
import type { AuditEntry } from '../../electron/main/core/db/repositories/audit-repository';
import { forEachDialect } from '../support/databases';
import { keywordRule, startRulesWorld, type RulesWorld } from './support';

forEachDialect('rules audit', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  const entries = async (accountId: string): Promise<AuditEntry[]> =>
    (await world.repos.audit.list({ accountId, limit: 500 })).reverse();

  describe('one entry per edit', () => {
    it('records create, update, switch, delete with before and after summaries', async () => {
      const account = await world.account();
      const created = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('Prices', ['price'], 'See our prices'),
      });
      await world.call('rules.update', {
        id: created.id,
        expectedVersion: 1,
        rule: keywordRule('Prices and fees', ['price'], 'See our prices', { priority: 30 }),
      });
      await world.call('rules.setActive', { id: created.id, expectedVersion: 2, isActive: false });
      await world.call('rules.delete', { id: created.id, expectedVersion: 3 });

      const log = await entries(account.id);
      expect(log.map((e) => e.action)).toEqual([
        'rule.create',
        'rule.update',
        'rule.set_active',
        'rule.delete',
      ]);
      for (const entry of log) {
        expect(entry).toMatchObject({ entityType: 'rule', entityId: created.id, accountId: account.id });
        expect(entry.actor).not.toBe('');
      }
      const [create, update, toggle, remove] = log;
      expect(create?.before).toBeNull();
      expect(create?.after).toEqual({
        name: 'Prices',
        trigger: 'keyword',
        priority: 10,
        isActive: true,
        status: 'draft',
        version: 1,
      });
      expect(update?.before).toMatchObject({ name: 'Prices', priority: 10, version: 1 });
      expect(update?.after).toMatchObject({ name: 'Prices and fees', priority: 30, version: 2 });
      expect(toggle?.before).toMatchObject({ isActive: true, version: 2 });
      expect(toggle?.after).toMatchObject({ isActive: false, version: 3 });
      expect(remove?.before).toMatchObject({ name: 'Prices and fees', version: 3 });
      expect(remove?.after).toBeNull();
      // The summaries never carry the reply text.
      expect(JSON.stringify(log)).not.toContain('See our prices');
    });

    it('records reorder and publish for the account', async () => {
      const account = await world.account();
      const a = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('A', ['a'], 'A', { priority: 20 }),
      });
      const b = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('B', ['b'], 'B', { priority: 10 }),
      });
      await world.call('rules.reorder', {
        accountId: account.id,
        order: [
          { id: b.id, expectedVersion: b.version },
          { id: a.id, expectedVersion: a.version },
        ],
      });
      await world.call('rules.publish', { accountId: account.id });

      const log = await entries(account.id);
      const reorder = log.find((e) => e.action === 'rules.reorder');
      expect(reorder).toMatchObject({ entityType: 'rule_set', entityId: account.id });
      expect((reorder?.before as Array<{ name: string }>).map((r) => r.name).sort()).toEqual(['A', 'B']);
      const after = reorder?.after as Array<{ name: string; priority: number }>;
      expect(after.find((r) => r.name === 'B')?.priority).toBeGreaterThan(
        after.find((r) => r.name === 'A')?.priority ?? Infinity,
      );
      const publish = log.find((e) => e.action === 'rules.publish');
      expect((publish?.after as Array<{ id: string }>).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('records import (with what it replaced) and copy on the target account', async () => {
      const source = await world.account();
      const target = await world.account();
      const old = await world.call<RuleView>('rules.create', {
        accountId: target.id,
        rule: keywordRule('Old', ['old'], 'Old'),
      });
      await world.call<RuleView>('rules.create', {
        accountId: source.id,
        rule: keywordRule('Hours', ['hours'], 'We open at {{var.opening}}'),
      });
      await world.call('rules.setVariables', {
        accountId: source.id,
        expectedVersion: 0,
        variables: { opening: '9:00' },
      });
      const { document } = await world.call<{ document: RulesDocument }>('rules.export', {
        accountId: source.id,
      });
      await world.call('rules.import', { accountId: target.id, document, mode: 'replace' });
      const third = await world.account();
      await world.call('rules.copy', { fromAccountId: source.id, toAccountId: third.id });

      const imported = (await entries(target.id)).find((e) => e.action === 'rules.import');
      expect(imported?.before).toEqual([{ id: old.id, name: 'Old', version: 1, priority: 10 }]);
      expect(imported?.after).toMatchObject({ mode: 'replace', rules: [{ name: 'Hours' }] });
      const copied = (await entries(third.id)).find((e) => e.action === 'rules.copy');
      expect(copied?.after).toMatchObject({
        fromAccountId: source.id,
        rules: [{ name: 'Hours' }],
        variablesAdded: ['opening'],
      });
    });
  });

  describe('same transaction as the change', () => {
    it('a refused edit (stale version) writes no entry', async () => {
      const account = await world.account();
      const created = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('Prices', ['price'], 'x'),
      });
      const result = await world.raw('rules.update', {
        id: created.id,
        expectedVersion: 7,
        rule: keywordRule('Prices', ['price'], 'y'),
      });
      expect(result.ok).toBe(false);
      expect((await entries(account.id)).map((e) => e.action)).toEqual(['rule.create']);
    });

    it('an edit whose entry cannot be written is rolled back', async () => {
      const account = await world.account();
      const created = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('Prices', ['price'], 'x'),
      });
      const spy = vi.spyOn(world.service.audit, 'record').mockRejectedValueOnce(new Error('log is full'));
      try {
        const update = await world.raw('rules.update', {
          id: created.id,
          expectedVersion: 1,
          rule: keywordRule('Renamed', ['price'], 'x'),
        });
        expect(update.ok).toBe(false);
      } finally {
        spy.mockRestore();
      }
      const stored = await world.call<RuleView>('rules.get', { id: created.id });
      expect(stored).toMatchObject({ name: 'Prices', version: 1 });

      const spyCreate = vi
        .spyOn(world.service.audit, 'record')
        .mockRejectedValueOnce(new Error('log is full'));
      try {
        const create = await world.raw('rules.create', {
          accountId: account.id,
          rule: keywordRule('Never', ['never'], 'x'),
        });
        expect(create.ok).toBe(false);
      } finally {
        spyCreate.mockRestore();
      }
      const list = await world.call<{ rules: RuleView[] }>('rules.list', { accountId: account.id });
      expect(list.rules.map((r) => r.name)).toEqual(['Prices']);
    });
  });
});
