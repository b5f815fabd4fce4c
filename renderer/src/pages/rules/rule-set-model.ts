/**
 * The account's rule set, compiled in the renderer with the shared engine: what the test panel runs.
 * Built from what the page already holds (the account, its rule views and intents), so testing works
 * with no database, and with the editor's unsaved rule in place of the stored one.
 */
import { useMemo } from 'react';
import type { AccountView, MethodOutput, RuleView } from '../../../../shared/contract';
import {
  compileWorkingRules,
  testMessage,
  type CompiledRuleSet,
  type TestMessage,
  type TestOutcome,
} from '../../../../shared/rules/index';

/** The account's intents, variables and pause as `rules.getIntents` returns them. */
export type RuleSettingsView = MethodOutput<'rules.getIntents'>;

/** Runs one typed message; null while the rules or settings are not loaded. */
export type TestRunner = (message: TestMessage) => TestOutcome;

/** A runner over the account's rules, compiled once per change of the rules or the draft, when first used. */
export function useTestRunner(
  account: AccountView,
  settings: RuleSettingsView | null,
  rules: readonly RuleView[] | null,
  draft?: Record<string, unknown> | null,
): TestRunner | null {
  const draftKey = draft ? JSON.stringify(draft) : null;
  return useMemo(() => {
    if (!settings || !rules) return null;
    // Compiled on the first test, not on every keystroke: a large rule set takes a while to compile.
    let compiled: CompiledRuleSet | null = null;
    return (message) => {
      compiled ??= compileWorkingRules(
        account,
        settings,
        rules,
        draftKey ? (JSON.parse(draftKey) as Record<string, unknown>) : null,
      );
      return testMessage(compiled, message);
    };
  }, [account, settings, rules, draftKey]);
}
