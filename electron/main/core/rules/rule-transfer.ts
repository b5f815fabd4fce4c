/**
 * Moving rules between accounts and files: export as a JSON document, import (all or nothing), and
 * copy to another client's account with the intents and variables the rules use.
 *
 * Copies and imports are drafts with new ids: nothing runs live on the target before staff publish.
 */
import { randomUUID } from 'node:crypto';
import type { RuleBody, RulesDocument, RuleView } from '../../../../shared/contract';
import { RuleSchema } from '../../../../shared/rules/index';
import type { IntentDefinition, Rule } from '../../../../shared/rules/index';
import { ApiError } from '../api/api-error';
import type { Repositories } from '../db/repositories';
import type { AccountRuleSettings, StoredRule } from '../db/repositories/rule-editor-repository';
import type { RulesService } from './rules-service';
import { toRule } from './rules-service';
import { ruleListSummary } from './rule-audit';
import { columnsOf, draftInputOf } from './stored-rules';

const VARIABLE_USE = /\{\{\s*var\.([A-Za-z_][A-Za-z0-9_]*)/g;

function variablesUsed(rules: readonly Rule[]): Set<string> {
  const names = new Set<string>();
  for (const rule of rules) {
    const sources =
      rule.response.kind === 'text' ? rule.response.variants : Object.values(rule.response.params);
    for (const source of sources)
      for (const match of source.matchAll(VARIABLE_USE)) names.add(match[1] ?? '');
  }
  names.delete('');
  return names;
}

/** Export, import and copy of rule sets. */
export class RuleTransfer {
  constructor(
    private readonly rules: RulesService,
    private readonly repositories: () => Repositories,
    private readonly now?: () => Date,
  ) {}

  /** The account's working copies, intents and variables as a document any account can import. */
  async exportRules(accountId: string): Promise<RulesDocument> {
    const loaded = await this.rules.load(accountId);
    const rules = this.workingRules(loaded.rows).map((rule) => {
      const { id: _id, accountId: _account, version: _version, status: _status, ...rest } = rule;
      return rest;
    });
    return {
      format: 'switchboard.rules',
      formatVersion: 1,
      exportedAt: (this.now?.() ?? new Date()).toISOString(),
      source: { accountId, username: loaded.account.username },
      rules,
      intents: loaded.settings.intents as IntentDefinition[],
      variables: loaded.settings.variables,
    };
  }

  /**
   * Imports a document as drafts with new ids, all or nothing. Intents of the document replace those
   * of the same name; variables are only added where the account has none of that name.
   */
  async importRules(
    accountId: string,
    document: RulesDocument,
    mode: 'append' | 'replace',
  ): Promise<{ created: RuleView[]; variablesAdded: string[] }> {
    await this.rules.requireAccount(accountId);
    const rules = document.rules.map((body) => {
      const { id: _id, ...rest } = body;
      return toRule(accountId, randomUUID(), rest, { status: 'draft', version: 1 });
    });
    const result = await this.repositories().transaction(async (tx) => {
      const replaced = mode === 'replace' ? await tx.ruleEditor.list(accountId) : [];
      for (const row of replaced) await tx.ruleEditor.delete(row.id, row.version);
      const settings = await tx.ruleEditor.getSettings(accountId);
      const intents = this.mergeIntents(settings, document.intents, 'incoming');
      const { variables, added } = this.mergeVariables(settings, document.variables, null);
      await tx.ruleEditor.saveSettings(accountId, undefined, {
        ...settings,
        intents: intents.list,
        variables,
      });
      const created: StoredRule[] = [];
      for (const rule of rules) created.push(await tx.ruleEditor.insert(rule.id, accountId, columnsOf(rule)));
      await this.rules.audit.record(tx, {
        action: 'rules.import',
        accountId,
        before: mode === 'replace' ? ruleListSummary(replaced) : null,
        after: { mode, source: document.source, rules: ruleListSummary(created), variablesAdded: added },
      });
      return added;
    });
    this.rules.notify(accountId);
    const list = await this.rules.list(accountId);
    return { created: rules.map((rule) => this.rules.pick(list, rule.id)), variablesAdded: result };
  }

  /**
   * Copies rules to another account as drafts with new ids, with the intents and variables they use
   * that the target lacks (the target's own values are kept: a phone number differs by client).
   */
  async copy(
    fromAccountId: string,
    toAccountId: string,
    ruleIds?: readonly string[],
  ): Promise<{ created: RuleView[]; variablesAdded: string[]; intentsAdded: string[] }> {
    if (fromAccountId === toAccountId)
      throw new ApiError('INVALID_INPUT', 'Choose another account to copy to (this is the same account).');
    const source = await this.rules.load(fromAccountId);
    await this.rules.requireAccount(toAccountId);
    const wanted = ruleIds ? new Set(ruleIds) : null;
    const picked = this.workingRules(source.rows).filter((rule) => !wanted || wanted.has(rule.id));
    if (wanted) {
      const missing = [...wanted].filter((id) => !picked.some((rule) => rule.id === id));
      if (missing.length > 0)
        throw new ApiError('NOT_FOUND', `These rules are not on the source account: ${missing.join(', ')}.`);
    }
    const copies = picked.map((rule) =>
      toRule(toAccountId, randomUUID(), rule as RuleBody, { status: 'draft', version: 1 }),
    );
    const intentNames = new Set(
      copies.flatMap((r) => (r.trigger?.type === 'intent' ? [r.trigger.intent] : [])),
    );
    const sourceIntents = (source.settings.intents as IntentDefinition[]).filter((i) =>
      intentNames.has(i.name),
    );
    const used = variablesUsed(copies);
    const result = await this.repositories().transaction(async (tx) => {
      const settings = await tx.ruleEditor.getSettings(toAccountId);
      const intents = this.mergeIntents(settings, sourceIntents, 'existing');
      const { variables, added } = this.mergeVariables(settings, source.settings.variables, used);
      await tx.ruleEditor.saveSettings(toAccountId, undefined, {
        ...settings,
        intents: intents.list,
        variables,
      });
      const created: StoredRule[] = [];
      for (const rule of copies)
        created.push(await tx.ruleEditor.insert(rule.id, toAccountId, columnsOf(rule)));
      await this.rules.audit.record(tx, {
        action: 'rules.copy',
        accountId: toAccountId,
        after: {
          fromAccountId,
          rules: ruleListSummary(created),
          variablesAdded: added,
          intentsAdded: intents.added,
        },
      });
      return { variablesAdded: added, intentsAdded: intents.added };
    });
    this.rules.notify(toAccountId);
    const list = await this.rules.list(toAccountId);
    return { created: copies.map((rule) => this.rules.pick(list, rule.id)), ...result };
  }

  private workingRules(rows: readonly StoredRule[]): Rule[] {
    return rows.flatMap((row) => {
      const parsed = RuleSchema.safeParse(draftInputOf(row));
      return parsed.success ? [parsed.data] : [];
    });
  }

  private mergeIntents(
    settings: AccountRuleSettings,
    incoming: readonly IntentDefinition[],
    winner: 'incoming' | 'existing',
  ): { list: IntentDefinition[]; added: string[] } {
    const list = [...(settings.intents as IntentDefinition[])];
    const added: string[] = [];
    for (const intent of incoming) {
      const at = list.findIndex((i) => i.name === intent.name);
      if (at === -1) {
        list.push(intent);
        added.push(intent.name);
      } else if (winner === 'incoming') list[at] = intent;
    }
    return { list, added };
  }

  private mergeVariables(
    settings: AccountRuleSettings,
    incoming: Readonly<Record<string, string>>,
    only: ReadonlySet<string> | null,
  ): { variables: Record<string, string>; added: string[] } {
    const variables = { ...settings.variables };
    const added: string[] = [];
    for (const [name, value] of Object.entries(incoming)) {
      if ((only && !only.has(name)) || Object.hasOwn(variables, name)) continue;
      variables[name] = value;
      added.push(name);
    }
    return { variables, added };
  }
}
