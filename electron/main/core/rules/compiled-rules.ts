/**
 * Per-account compiled rules, rebuilt only when something they depend on changed: the account's rules
 * or rule settings (seen through a cheap fingerprint query, so edits from another workstation count
 * too) or the account's own settings (time zone, opening hours, name).
 *
 * Compiling never throws: a rule that cannot compile is reported with its messages and left out, and
 * each account has its own entry, so one account's broken rule set never stops another's.
 */
import { accountContextOf } from '../../../../shared/rules/account-input';
import { compileRules } from '../../../../shared/rules/index';
import { withDraftRule } from '../../../../shared/rules/test-message';
import type { CompiledRuleSet } from '../../../../shared/rules/index';
import { ApiError } from '../api/api-error';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { AccountRuleSettings, StoredRule } from '../db/repositories/rule-editor-repository';
import { draftInputOf, liveInputOf } from './stored-rules';

/** An account's rules as stored and compiled twice: the live (published) set and the draft set. */
export interface AccountRules {
  account: Account;
  settings: AccountRuleSettings;
  rows: StoredRule[];
  live: CompiledRuleSet;
  draft: CompiledRuleSet;
  /** Settings the engine had to simplify (e.g. opening hours that differ by day). */
  notes: string[];
}

/** Compiles a stored rule set; `draftRule` replaces or adds a draft rule (the test panel's unsaved rule). */
export function compileAccountRules(
  account: Account,
  settings: AccountRuleSettings,
  rows: StoredRule[],
  draftRule?: Record<string, unknown> | null,
): AccountRules {
  const { context, notes } = accountContextOf(account, settings);
  const draftRules = withDraftRule(
    rows.map(draftInputOf).filter((rule): rule is Record<string, unknown> => rule !== null),
    draftRule,
    account.id,
  );
  const liveRules = rows.map(liveInputOf).filter((rule): rule is Record<string, unknown> => rule !== null);
  return {
    account,
    settings,
    rows,
    live: compileRules({ rules: liveRules, intents: settings.intents }, context),
    draft: compileRules({ rules: draftRules, intents: settings.intents }, context),
    notes,
  };
}

/** The cache of compiled rules, one entry per account. */
export class CompiledRulesCache {
  private readonly entries = new Map<string, { key: string; value: AccountRules }>();
  private compiles = 0;

  /** How many times a rule set was compiled (tests check that nothing recompiles without a change). */
  get compileCount(): number {
    return this.compiles;
  }

  /** The account's compiled rules, recompiled only when they changed. NOT_FOUND for an unknown account. */
  async load(repos: Repositories, accountId: string): Promise<AccountRules> {
    const account = await repos.accounts.get(accountId);
    if (!account)
      throw new ApiError('NOT_FOUND', `There is no account ${accountId} (it may have been removed).`);
    const fingerprint = await repos.ruleEditor.fingerprint(accountId);
    const key = JSON.stringify([
      fingerprint,
      account.settings,
      account.username,
      account.clientName,
      account.displayName,
    ]);
    const cached = this.entries.get(accountId);
    if (cached && cached.key === key) return { ...cached.value, account };
    const settings = await repos.ruleEditor.getSettings(accountId);
    const rows = await repos.ruleEditor.list(accountId);
    const value = compileAccountRules(account, settings, rows);
    this.compiles += 1;
    this.entries.set(accountId, { key, value });
    return value;
  }

  /** Forgets an account's entry (after a change made here; the fingerprint catches the others). */
  invalidate(accountId: string): void {
    this.entries.delete(accountId);
  }
}
