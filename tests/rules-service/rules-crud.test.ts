/**
 * Editing rules through the contract on both dialects: versions and conflicts, draft/published,
 * reorder, import/export, copy, intents, and the compiled-rule cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentVersionOf, type RulesDocument, type RuleView } from '../../shared/contract';
import { forEachDialect } from '../support/databases';
import { keywordRule, startRulesWorld, type RulesWorld } from './support';

interface RuleList {
  rules: RuleView[];
  accountErrors: string[];
  intentErrors: string[];
}

forEachDialect('rules service', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  describe('create, update, delete', () => {
    it('creates a draft at version 1 and updates it against its version', async () => {
      const account = await world.account();
      const created = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('Prices', ['price'], 'See our prices'),
      });
      expect(created).toMatchObject({
        version: 1,
        status: 'draft',
        publishedVersion: null,
        compileErrors: [],
      });
      expect(created.rule?.trigger).toEqual({ type: 'keyword', keywords: ['price'], mode: 'word' });

      const updated = await world.call<RuleView>('rules.update', {
        id: created.id,
        expectedVersion: 1,
        rule: keywordRule('Prices', ['price', 'cost'], 'See our prices'),
      });
      expect(updated.version).toBe(2);
      expect(updated.rule?.trigger).toMatchObject({ keywords: ['price', 'cost'] });
    });

    it('refuses a stale version with CONFLICT that names the current version', async () => {
      const account = await world.account();
      const created = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('Hours', ['hours'], 'We open at 9'),
      });
      await world.call('rules.update', {
        id: created.id,
        expectedVersion: 1,
        rule: keywordRule('Hours', ['open'], 'At 9'),
      });
      const stale = await world.raw('rules.update', {
        id: created.id,
        expectedVersion: 1,
        rule: keywordRule('Hours', ['hours'], 'Overwrite?'),
      });
      expect(stale.ok).toBe(false);
      if (stale.ok) return;
      expect(stale.error.code).toBe('CONFLICT');
      expect(stale.error.message).toContain('Someone else changed the rule "Hours"');
      expect(currentVersionOf(stale.error)).toBe(2);
      // Nothing was overwritten.
      const current = await world.call<RuleView>('rules.get', { id: created.id });
      expect(current.rule?.response).toMatchObject({ variants: ['At 9'] });

      const staleDelete = await world.raw('rules.delete', { id: created.id, expectedVersion: 1 });
      expect(staleDelete).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await world.call('rules.delete', { id: created.id, expectedVersion: 2 })).toEqual({
        deleted: true,
      });
      expect(await world.raw('rules.get', { id: created.id })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    });

    it('publishes drafts; the published copy keeps running while a new draft is edited', async () => {
      const account = await world.account();
      const created = await world.call<RuleView>('rules.create', {
        accountId: account.id,
        rule: keywordRule('Hello', ['hello'], 'Hello v1'),
      });
      const published = await world.call<{ published: string[]; rules: RuleView[] }>('rules.publish', {
        accountId: account.id,
      });
      expect(published.published).toEqual([created.id]);
      expect(published.rules[0]).toMatchObject({ status: 'published', publishedVersion: 1, version: 1 });

      await world.call('rules.update', {
        id: created.id,
        expectedVersion: 1,
        rule: keywordRule('Hello', ['hello'], 'Hello v2'),
      });
      const loaded = await world.service.load(account.id);
      expect(loaded.live.rules[0]?.rule.response).toMatchObject({ variants: ['Hello v1'] });
      expect(loaded.draft.rules[0]?.rule.response).toMatchObject({ variants: ['Hello v2'] });
      const view = await world.call<RuleView>('rules.get', { id: created.id });
      expect(view).toMatchObject({ status: 'draft', version: 2, publishedVersion: 1 });
    });

    it('switches a rule off live at once, checked on its version', async () => {
      const account = await world.account();
      const rule = await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hi'));
      const off = await world.call<RuleView>('rules.setActive', {
        id: rule.id,
        expectedVersion: rule.version,
        isActive: false,
      });
      expect(off).toMatchObject({ isActive: false, version: rule.version + 1 });
      const loaded = await world.service.load(account.id);
      expect(loaded.live.rules[0]?.rule.isActive).toBe(false);
    });
  });

  it('reorders in one transaction: first listed gets the highest priority; a stale entry changes nothing', async () => {
    const account = await world.account();
    const a = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('A', ['a1'], 'A'),
    });
    const b = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('B', ['b1'], 'B'),
    });
    const c = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('C', ['c1'], 'C'),
    });

    const stale = await world.raw('rules.reorder', {
      accountId: account.id,
      order: [
        { id: c.id, expectedVersion: 1 },
        { id: a.id, expectedVersion: 7 },
        { id: b.id, expectedVersion: 1 },
      ],
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const untouched = await world.call<RuleList>('rules.list', { accountId: account.id });
    expect(untouched.rules.map((r) => r.version)).toEqual([1, 1, 1]);

    const missing = await world.raw('rules.reorder', {
      accountId: account.id,
      order: [{ id: c.id, expectedVersion: 1 }],
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!missing.ok) expect(missing.error.message).toContain('must list every rule');

    const reordered = await world.call<RuleList>('rules.reorder', {
      accountId: account.id,
      order: [
        { id: c.id, expectedVersion: 1 },
        { id: a.id, expectedVersion: 1 },
        { id: b.id, expectedVersion: 1 },
      ],
    });
    expect(reordered.rules.map((r) => [r.name, r.priority])).toEqual([
      ['C', 30],
      ['A', 20],
      ['B', 10],
    ]);
  });

  it('exports and imports a rule set as JSON (round trip), appending or replacing', async () => {
    const source = await world.account();
    await world.call('rules.setIntents', {
      accountId: source.id,
      expectedVersion: 0,
      intents: [{ name: 'hours', examples: ['when are you open', 'opening hours'] }],
    });
    await world.call('rules.setVariables', {
      accountId: source.id,
      expectedVersion: 1,
      variables: { phone: '+33 1 23' },
    });
    await world.call('rules.create', {
      accountId: source.id,
      rule: keywordRule('Call', ['call'], 'Call us on {{var.phone}}', {
        conditions: { firstMessageOnly: true },
      }),
    });
    await world.call('rules.create', {
      accountId: source.id,
      rule: {
        name: 'Hours',
        priority: 3,
        trigger: { type: 'intent', intent: 'hours', threshold: 0.4 },
        response: {
          kind: 'text',
          variants: ['9 to 6'],
          quickReplies: [{ title: 'Directions', payload: 'DIR' }],
        },
      },
    });
    const { document } = await world.call<{ document: RulesDocument }>('rules.export', {
      accountId: source.id,
    });
    expect(document).toMatchObject({
      format: 'switchboard.rules',
      formatVersion: 1,
      variables: { phone: '+33 1 23' },
    });
    // Through JSON text, as a file would carry it.
    const fromFile = JSON.parse(JSON.stringify(document)) as RulesDocument;

    const target = await world.account();
    const imported = await world.call<{ created: RuleView[]; variablesAdded: string[] }>('rules.import', {
      accountId: target.id,
      document: fromFile,
    });
    expect(imported.variablesAdded).toEqual(['phone']);
    expect(imported.created.every((r) => r.status === 'draft' && r.compileErrors.length === 0)).toBe(true);
    const again = await world.call<{ document: RulesDocument }>('rules.export', { accountId: target.id });
    expect(again.document.rules).toEqual(document.rules);
    expect(again.document.intents).toEqual(document.intents);

    const replaced = await world.call<{ created: RuleView[] }>('rules.import', {
      accountId: target.id,
      document: { ...fromFile, rules: fromFile.rules.slice(0, 1) },
      mode: 'replace',
    });
    expect(replaced.created).toHaveLength(1);
    expect((await world.call<RuleList>('rules.list', { accountId: target.id })).rules).toHaveLength(1);
  });

  it('refuses a whole import when one rule is invalid, saying which and why', async () => {
    const account = await world.account();
    const result = await world.raw('rules.import', {
      accountId: account.id,
      document: {
        format: 'switchboard.rules',
        formatVersion: 1,
        exportedAt: new Date().toISOString(),
        source: { accountId: 'x', username: null },
        rules: [keywordRule('Fine', ['ok'], 'ok'), keywordRule('Broken', [], 'no')],
        intents: [],
        variables: {},
      },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!result.ok)
      expect(result.error.issues).toContainEqual({
        path: 'document.rules.1.trigger.keywords',
        message: 'Add at least one keyword',
      });
    expect((await world.call<RuleList>('rules.list', { accountId: account.id })).rules).toHaveLength(0);
  });

  it('copies rules to another account with the intents and variables they use, keeping the target’s values', async () => {
    const from = await world.account();
    const to = await world.account();
    await world.call('rules.setIntents', {
      accountId: from.id,
      expectedVersion: 0,
      intents: [{ name: 'hours', examples: ['when open'] }],
    });
    await world.call('rules.setVariables', {
      accountId: from.id,
      expectedVersion: 1,
      variables: { phone: '111', city: 'Paris', unused: 'x' },
    });
    await world.call('rules.setVariables', {
      accountId: to.id,
      expectedVersion: 0,
      variables: { city: 'Lyon' },
    });
    const call = await world.call<RuleView>('rules.create', {
      accountId: from.id,
      rule: keywordRule('Call', ['call'], 'Call {{var.phone}} in {{var.city}}'),
    });
    await world.call('rules.create', {
      accountId: from.id,
      rule: {
        name: 'Hours',
        priority: 1,
        trigger: { type: 'intent', intent: 'hours' },
        response: { kind: 'text', variants: ['9-6'] },
      },
    });

    const copied = await world.call<{
      created: RuleView[];
      variablesAdded: string[];
      intentsAdded: string[];
    }>('rules.copy', {
      fromAccountId: from.id,
      toAccountId: to.id,
    });
    expect(copied.created.map((r) => r.name).sort()).toEqual(['Call', 'Hours']);
    expect(
      copied.created.every((r) => r.accountId === to.id && r.id !== call.id && r.compileErrors.length === 0),
    ).toBe(true);
    expect(copied.variablesAdded).toEqual(['phone']);
    expect(copied.intentsAdded).toEqual(['hours']);
    const settings = await world.call<{ variables: Record<string, string> }>('rules.getIntents', {
      accountId: to.id,
    });
    expect(settings.variables).toEqual({ city: 'Lyon', phone: '111' });

    const one = await world.call<{ created: RuleView[] }>('rules.copy', {
      fromAccountId: from.id,
      toAccountId: to.id,
      ruleIds: [call.id],
    });
    expect(one.created).toHaveLength(1);
  });

  it('stores intents per account with a version check, and reports rules they break', async () => {
    const account = await world.account();
    const saved = await world.call<{ version: number }>('rules.setIntents', {
      accountId: account.id,
      expectedVersion: 0,
      intents: [{ name: 'hours', examples: ['when are you open'] }],
    });
    expect(saved.version).toBe(1);
    expect(
      await world.raw('rules.setIntents', { accountId: account.id, expectedVersion: 0, intents: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const rule = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: {
        name: 'Missing',
        priority: 1,
        trigger: { type: 'intent', intent: 'delivery' },
        response: { kind: 'text', variants: ['x'] },
      },
    });
    expect(rule.compileErrors.join(' ')).toContain('The intent "delivery" does not exist');
    expect(await world.raw('rules.publish', { accountId: account.id })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringContaining('Fix these rules before publishing') as string,
      },
    });
  });

  it('recompiles an account only after a change', async () => {
    const account = await world.account();
    await world.call('rules.create', { accountId: account.id, rule: keywordRule('A', ['a'], 'A') });
    await world.service.load(account.id);
    const before = world.cache.compileCount;
    await world.service.load(account.id);
    await world.call('rules.list', { accountId: account.id });
    expect(world.cache.compileCount).toBe(before);
    // A change written by another workstation (straight to the database) is seen through the fingerprint.
    const [row] = await world.repos.ruleEditor.list(account.id);
    await world.repos.ruleEditor.setActive(row!.id, row!.version, false);
    await world.service.load(account.id);
    expect(world.cache.compileCount).toBe(before + 1);
    // So are its rule settings (intents, variables), saved there for the first time and then changed.
    const variables = { shop: 'Corner Shop' };
    await world.repos.ruleEditor.saveSettings(account.id, 0, {
      intents: [],
      variables,
      humanPauseMinutes: null,
    });
    await world.service.load(account.id);
    expect(world.cache.compileCount).toBe(before + 2);
    await world.repos.ruleEditor.saveSettings(account.id, 1, {
      intents: [],
      variables,
      humanPauseMinutes: 30,
    });
    await world.service.load(account.id);
    expect(world.cache.compileCount).toBe(before + 3);
    await world.service.load(account.id);
    expect(world.cache.compileCount).toBe(before + 3);
  });

  it('reports a rule stored before the editor as a compile error, without stopping the others', async () => {
    const account = await world.account();
    await world.repos.rules.create({
      accountId: account.id,
      name: 'Seed rule',
      triggerType: 'keyword',
      conditions: {},
      responseTemplate: 'old',
    });
    await world.call('rules.create', { accountId: account.id, rule: keywordRule('New', ['new'], 'New') });
    const list = await world.call<RuleList>('rules.list', { accountId: account.id });
    expect(list.rules.map((r) => [r.name, r.compileErrors.length > 0])).toEqual([
      ['New', false],
      ['Seed rule', true],
    ]);
  });
});
