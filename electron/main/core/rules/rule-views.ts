/**
 * Rule views for the editor: each stored rule with its working copy, counters and compile errors, in
 * evaluation order.
 */
import type { RuleView } from '../../../../shared/contract';
import { RuleSchema } from '../../../../shared/rules/index';
import type { CompiledRuleSet } from '../../../../shared/rules/index';
import type { AccountRules } from './compiled-rules';
import { draftInputOf, LEGACY_RULE_MESSAGE } from './stored-rules';

/** A rule list with the account-level problems the editor shows above it. */
export interface RuleList {
  rules: RuleView[];
  accountErrors: string[];
  intentErrors: string[];
}

export function errorsByRule(compiled: CompiledRuleSet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const error of compiled.errors) {
    if (error.kind !== 'rule' || error.id === null) continue;
    out.set(error.id, [...(out.get(error.id) ?? []), ...error.messages]);
  }
  return out;
}

/**
 * Views of a loaded account's rules, in evaluation order (drafts included), legacy rules last, with
 * their counters and compile errors, and the account-level problems the editor shows above them.
 */
export function ruleListOf(
  loaded: AccountRules,
  counters: ReadonlyMap<string, Record<string, number>>,
): RuleList {
  const draftErrors = errorsByRule(loaded.draft);
  const liveErrors = errorsByRule(loaded.live);
  const order = new Map(loaded.draft.rules.map((r) => [r.rule.id, r.rank]));
  const rows = [...loaded.rows].sort(
    (a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity) || b.priority - a.priority,
  );
  const rules = rows.map((row): RuleView => {
    const parsed = RuleSchema.safeParse(draftInputOf(row));
    const c = counters.get(row.id) ?? {};
    const suppressed: Record<string, number> = {};
    for (const [name, count] of Object.entries(c))
      if (name.startsWith('suppressed:')) suppressed[name.slice('suppressed:'.length)] = count;
    return {
      id: row.id,
      accountId: row.accountId ?? loaded.account.id,
      name: row.name,
      priority: row.priority,
      isActive: row.isActive,
      status: row.status,
      version: row.version,
      publishedVersion: row.publishedVersion,
      rule: parsed.success ? parsed.data : null,
      counters: { matched: c.matched ?? 0, answered: c.answered ?? 0, failed: c.failed ?? 0, suppressed },
      compileErrors: row.definition === null ? [LEGACY_RULE_MESSAGE] : (draftErrors.get(row.id) ?? []),
      liveErrors: liveErrors.get(row.id) ?? [],
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
  return {
    rules,
    accountErrors: [...loaded.draft.accountErrors, ...loaded.notes],
    intentErrors: loaded.draft.errors
      .filter((e) => e.kind === 'intent')
      .map((e) => `${e.name ?? `Intent ${e.inputIndex + 1}`}: ${e.messages.join('; ')}`),
  };
}
