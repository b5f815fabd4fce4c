/**
 * Compiles an account's rules once per change: validation, ordering, one keyword automaton, patterns,
 * the intent classifier and resolved conditions. A rule that cannot compile is reported and left out;
 * the others keep working.
 */
import type { AccountContext, AccountContextInput, IntentDefinition, Rule, RuleSetInput } from './schema';
import { AccountContextSchema, IntentDefinitionSchema, RuleSchema, describeIssues } from './schema';
import { coreBounds, normalizeText } from './normalize';
import { KeywordAutomaton } from './keyword-automaton';
import type { KeywordEntry } from './keyword-automaton';
import type { CompiledPattern } from './pattern';
import { compilePattern, PatternSet } from './pattern';
import { IntentClassifier } from './intent-classifier';
import type { LocalClock, ResolvedConditions } from './conditions';
import { createLocalClock, resolveConditions } from './conditions';
import type { CompiledResponse } from './render';
import { compileResponse } from './render';
import { checkTemplate } from './template';

/** A trigger ready to run. */
export type CompiledTrigger =
  | { type: 'keyword'; keywords: readonly string[] }
  | { type: 'pattern'; pattern: CompiledPattern }
  | { type: 'intent'; intent: string; threshold: number };

/** A rule ready to run; `rank` is its place in evaluation order. */
export interface CompiledRule {
  rule: Rule;
  rank: number;
  trigger: CompiledTrigger | null;
  conditions: ResolvedConditions;
  response: CompiledResponse;
}

/** A rule (or intent) left out of the compiled set, with what to fix. */
export interface CompileError {
  kind: 'rule' | 'intent';
  /** Position in the input list. */
  inputIndex: number;
  id: string | null;
  name: string | null;
  messages: string[];
}

/** An account's rules, compiled. Immutable; recompile on any change to rules, intents or the account. */
export interface CompiledRuleSet {
  account: AccountContext;
  /** Evaluation order: non-fallback rules by priority (higher first), position, id; then fallbacks the same way. */
  rules: readonly CompiledRule[];
  /** Index in `rules` of the first fallback rule. */
  fallbackStart: number;
  /** Ranks of non-fallback pattern and intent rules: checked on every message. */
  alwaysChecked: readonly number[];
  /** Number of non-fallback keyword rules (the summary trace counts those that did not match). */
  keywordRuleCount: number;
  keywords: KeywordAutomaton;
  /** Non-fallback pattern rules in one RE2 set; `patternRanks[i]` is the rank of its pattern i. */
  patterns: PatternSet | null;
  patternRanks: readonly number[];
  classifier: IntentClassifier | null;
  optOutWords: ReadonlySet<string>;
  optInWords: ReadonlySet<string>;
  errors: readonly CompileError[];
  /** Problems with the account context itself (defaults were used). */
  accountErrors: readonly string[];
}

/**
 * Rank order, documented for the editor: higher `priority` first; on equal priority, lower `position`
 * (the editor's list order); then lower `id` by code units, so the order never depends on input order.
 */
export function compareRules(a: Rule, b: Rule): number {
  if (a.isFallback !== b.isFallback) return a.isFallback ? 1 : -1;
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.position !== b.position) return a.position - b.position;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function resolveAccount(input: AccountContextInput): { account: AccountContext; errors: string[] } {
  const parsed = AccountContextSchema.safeParse(input);
  if (parsed.success) return { account: parsed.data, errors: [] };
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<Record<string, unknown>>;
  const account = AccountContextSchema.parse({
    accountId: typeof raw.accountId === 'string' && raw.accountId !== '' ? raw.accountId : 'unknown',
    name: typeof raw.name === 'string' ? raw.name : '',
    timezone: typeof raw.timezone === 'string' && raw.timezone !== '' ? raw.timezone : 'UTC',
  });
  return { account, errors: describeIssues(parsed.error).map((m) => `Account settings: ${m}`) };
}

function pickIdentity(raw: unknown): { id: string | null; name: string | null } {
  if (typeof raw !== 'object' || raw === null) return { id: null, name: null };
  const record = raw as Record<string, unknown>;
  return {
    id: typeof record.id === 'string' ? record.id : null,
    name: typeof record.name === 'string' ? record.name : null,
  };
}

function bareWord(word: string): string {
  const normalized = normalizeText(word);
  const core = coreBounds(normalized);
  return normalized.slice(core.start, core.end);
}

/** Compiles the rules and intents of one account. Never throws. */
export function compileRules(ruleSet: RuleSetInput, accountInput: AccountContextInput): CompiledRuleSet {
  const { account, errors: accountErrors } = resolveAccount(accountInput);
  const errors: CompileError[] = [];
  const clocks = new Map<string, ReturnType<typeof createLocalClock>>();
  const clockFor = (timezone: string): { ok: true; clock: LocalClock } | { ok: false; message: string } => {
    let clock = clocks.get(timezone);
    if (!clock) {
      clock = createLocalClock(timezone);
      clocks.set(timezone, clock);
    }
    return clock;
  };
  const accountClock = clockFor(account.timezone);
  if (!accountClock.ok) accountErrors.push(`Account settings: ${accountClock.message}`);

  const intents: IntentDefinition[] = [];
  (ruleSet.intents ?? []).forEach((raw, inputIndex) => {
    const parsed = IntentDefinitionSchema.safeParse(raw);
    const identity = pickIdentity(raw);
    if (!parsed.success) {
      errors.push({
        kind: 'intent',
        inputIndex,
        id: null,
        name: identity.name,
        messages: describeIssues(parsed.error),
      });
    } else if (intents.some((i) => i.name === parsed.data.name)) {
      errors.push({
        kind: 'intent',
        inputIndex,
        id: null,
        name: parsed.data.name,
        messages: [`Another intent is already named "${parsed.data.name}"`],
      });
    } else intents.push(parsed.data);
  });
  const intentNames = new Set(intents.map((i) => i.name));
  const variableNames = Object.keys(account.variables);

  const accepted: Array<Omit<CompiledRule, 'rank'>> = [];
  const seenIds = new Set<string>();
  ruleSet.rules.forEach((raw, inputIndex) => {
    const identity = pickIdentity(raw);
    const fail = (messages: string[]): void => {
      errors.push({ kind: 'rule', inputIndex, id: identity.id, name: identity.name, messages });
    };
    const parsed = RuleSchema.safeParse(raw);
    if (!parsed.success) return fail(describeIssues(parsed.error));
    const rule = parsed.data;
    const problems: string[] = [];
    if (seenIds.has(rule.id)) problems.push(`Another rule already has the id "${rule.id}"`);
    if (rule.accountId !== account.accountId)
      problems.push(`The rule belongs to account ${rule.accountId}, not ${account.accountId}`);
    let trigger: CompiledTrigger | null = null;
    let captureNames: string[] | null = null;
    if (rule.trigger?.type === 'keyword') trigger = { type: 'keyword', keywords: rule.trigger.keywords };
    else if (rule.trigger?.type === 'pattern') {
      const compiled = compilePattern(rule.trigger.pattern, rule.trigger.flags);
      if (compiled.ok) {
        trigger = { type: 'pattern', pattern: compiled.value };
        captureNames = compiled.value.captureNames;
      } else problems.push(compiled.message);
    } else if (rule.trigger?.type === 'intent') {
      if (intentNames.has(rule.trigger.intent))
        trigger = { type: 'intent', intent: rule.trigger.intent, threshold: rule.trigger.threshold };
      else
        problems.push(`The intent "${rule.trigger.intent}" does not exist on this account (or has errors)`);
    }
    const sources =
      rule.response.kind === 'text' ? rule.response.variants : Object.values(rule.response.params);
    for (const source of sources) {
      for (const problem of checkTemplate(source, { captureNames, accountVariables: variableNames }))
        problems.push(problem.message);
    }
    const conditions = resolveConditions(rule.conditions, account, clockFor);
    if (!conditions.ok) problems.push(conditions.message);
    const response = compileResponse(rule.response);
    if (!response.ok) problems.push(response.error.message);
    if (problems.length > 0 || !conditions.ok || !response.ok) return fail(problems);
    seenIds.add(rule.id);
    accepted.push({ rule, trigger, conditions: conditions.value, response: response.value });
  });

  accepted.sort((a, b) => compareRules(a.rule, b.rule));
  const rules: CompiledRule[] = accepted.map((r, rank) => ({ ...r, rank }));
  const entries: KeywordEntry[] = [];
  const alwaysChecked: number[] = [];
  let fallbackStart = rules.length;
  let keywordRuleCount = 0;
  for (const compiled of rules) {
    if (compiled.rule.isFallback && fallbackStart === rules.length) fallbackStart = compiled.rank;
    const trigger = compiled.trigger;
    if (trigger?.type === 'keyword') {
      if (!compiled.rule.isFallback) keywordRuleCount += 1;
      const mode = compiled.rule.trigger?.type === 'keyword' ? compiled.rule.trigger.mode : 'word';
      trigger.keywords.forEach((keyword, keywordIndex) => {
        entries.push({ ruleIndex: compiled.rank, keywordIndex, normalized: normalizeText(keyword), mode });
      });
    } else if (trigger && !compiled.rule.isFallback) alwaysChecked.push(compiled.rank);
  }
  const patternRules = rules.filter((r) => !r.rule.isFallback && r.rule.trigger?.type === 'pattern');
  const patterns = PatternSet.build(
    patternRules.map((r) =>
      r.rule.trigger?.type === 'pattern' ? r.rule.trigger : { pattern: '', flags: '' },
    ),
  );

  return {
    account,
    rules,
    fallbackStart,
    alwaysChecked,
    keywordRuleCount,
    keywords: KeywordAutomaton.build(entries),
    patterns,
    patternRanks: patterns ? patternRules.map((r) => r.rank) : [],
    classifier: intents.length > 0 ? new IntentClassifier(intents) : null,
    optOutWords: new Set(account.optOutWords.map(bareWord)),
    optInWords: new Set(account.optInWords.map(bareWord)),
    errors,
    accountErrors,
  };
}
