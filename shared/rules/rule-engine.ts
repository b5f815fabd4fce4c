/**
 * `decide()`: which rule, if any, answers an event, and why. Pure: the time, the conversation and the
 * compiled rules are inputs; nothing is read from a clock, a disk or the network.
 *
 * Order of evaluation (documented for staff):
 * 1. events that never trigger rules (echoes, our own messages, reactions, reads, deletes, edits);
 * 2. blocked conversations; 3. opt-out / opt-in words; 4. opted-out people; 5. a manual pause;
 * 6. non-fallback rules in rank order (priority desc, position asc, id asc): the first whose trigger
 *    and conditions hold answers; 7. only if none did, the fallback rules in the same order.
 *
 * Trace detail: with thousands of keyword rules, one entry per rule would cost more than the decision
 * itself. The default 'summary' trace lists every rule that was looked at individually (keyword rules
 * whose keywords occur, every pattern and intent rule, fallbacks, rules that failed to compile) and
 * counts the keyword rules whose keywords do not occur. The editor's test panel asks for 'full': one
 * entry per rule, every rule evaluated completely, including those below the one that answers.
 */
import type { CompiledRule, CompiledRuleSet } from './compile';
import { checkConditions } from './conditions';
import { coreBounds, normalizeText } from './normalize';
import { patternCaptures, patternTest } from './pattern';
import type { CompiledPattern } from './pattern';
import { renderCompiledResponse } from './render';
import type { IntentScore } from './intent-classifier';
import type { KeywordHit } from './keyword-automaton';
import type {
  ChosenRule,
  ConversationContext,
  DecideOptions,
  Decision,
  DecisionTrace,
  RuleEvent,
  RuleEventKind,
  TraceEntry,
} from './types';

/** Longest message text looked at; Instagram's own limits are far below, so only abuse is cut. */
export const MAX_EVENT_TEXT = 20_000;

const RULE_EVENT_KINDS: ReadonlySet<RuleEventKind> = new Set([
  'dm',
  'story_mention',
  'story_reply',
  'comment',
  'postback',
  'quick_reply',
  'referral',
]);
// A public comment saying "stop" is not a request to stop private messages.
const OPT_OUT_EVENT_KINDS: ReadonlySet<RuleEventKind> = new Set(['dm', 'story_reply', 'quick_reply']);

const IGNORED_REASONS: Readonly<Record<string, string>> = {
  echo: 'An echo (a message sent by the account) never triggers rules',
  reaction: 'Reactions never trigger rules',
  read: 'Read receipts never trigger rules',
  delete: 'Deleted (unsent) messages never trigger rules',
  edit: 'Edited messages never trigger rules: the original was already handled',
  other: 'This kind of event never triggers rules',
};

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

function chosen(rule: CompiledRule): ChosenRule {
  const { id, name, version, priority, isFallback } = rule.rule;
  return { id, name, version, priority, isFallback };
}

interface TriggerResult {
  matched: boolean;
  reason: string;
  keyword?: string;
  intentScore?: number;
  closestExample?: string | null;
}

// Entries are built field by field: object spread in this loop cost about 1 µs per rule in V8.
function entryFor(
  rule: CompiledRule,
  outcome: TraceEntry['outcome'],
  reason: string,
  trigger: TriggerResult | null,
): TraceEntry {
  const entry: TraceEntry = {
    ruleId: rule.rule.id,
    ruleName: rule.rule.name,
    priority: rule.rule.priority,
    isFallback: rule.rule.isFallback,
    outcome,
    reason,
  };
  if (trigger?.keyword !== undefined) entry.keyword = trigger.keyword;
  if (trigger?.intentScore !== undefined) {
    entry.intentScore = trigger.intentScore;
    entry.closestExample = trigger.closestExample ?? null;
  }
  return entry;
}

/**
 * Decides which rule answers `event`. Never throws: an internal failure is a `no_reply` with reason
 * 'engine_error' and a trace note.
 *
 * @param now epoch milliseconds of the event's processing (business hours, cooldowns, pauses).
 */
export function decide(
  compiled: CompiledRuleSet,
  event: RuleEvent,
  context: ConversationContext,
  now: number,
  options: DecideOptions = {},
): Decision {
  const detail = options.trace === 'full' ? 'full' : 'summary';
  try {
    return decideUnchecked(compiled, event, context, now, options, detail);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      outcome: 'no_reply',
      reason: 'engine_error',
      trace: {
        detail,
        entries: [],
        keywordRulesNotMatched: 0,
        notes: [`The engine failed on this event and answered nothing: ${message}`],
      },
    };
  }
}

function decideUnchecked(
  compiled: CompiledRuleSet,
  event: RuleEvent,
  context: ConversationContext,
  now: number,
  options: DecideOptions,
  detail: 'summary' | 'full',
): Decision {
  const trace: DecisionTrace = { detail, entries: [], keywordRulesNotMatched: 0, notes: [] };
  for (const error of compiled.errors) {
    if (error.kind !== 'rule') continue;
    trace.entries.push({
      ruleId: error.id ?? `#${error.inputIndex + 1}`,
      ruleName: error.name ?? '',
      priority: null,
      isFallback: false,
      outcome: 'compile_error',
      reason: error.messages.join('; '),
    });
  }
  const account = compiled.account;
  const kind = event.kind;

  if (event.sentByApp === true || event.isEcho === true || kind === 'echo' || !RULE_EVENT_KINDS.has(kind)) {
    const decision: Decision = { outcome: 'no_reply', reason: 'ignored_event', trace };
    if (event.sentByApp === true)
      trace.notes.push('Our own message (sent by Switchboard) never triggers rules');
    else
      trace.notes.push(
        IGNORED_REASONS[event.isEcho === true ? 'echo' : kind] ?? (IGNORED_REASONS.other as string),
      );
    if (
      (event.isEcho === true || kind === 'echo') &&
      event.sentByApp !== true &&
      account.humanPauseMinutes > 0
    ) {
      const pausedUntil = now + account.humanPauseMinutes * 60_000;
      decision.humanTakeover = { pausedUntil };
      trace.notes.push(
        `A human replied from outside Switchboard: automation pauses until ${iso(pausedUntil)}`,
      );
    }
    return decision;
  }
  if (context.status === 'blocked') {
    trace.notes.push('The conversation is blocked: nothing automatic is sent');
    return { outcome: 'no_reply', reason: 'conversation_blocked', trace };
  }

  const rawText = typeof event.text === 'string' ? event.text : '';
  const text = rawText.length > MAX_EVENT_TEXT ? rawText.slice(0, MAX_EVENT_TEXT) : rawText;
  if (text !== rawText)
    trace.notes.push(`Only the first ${MAX_EVENT_TEXT} characters of the message were examined`);
  const normalized = normalizeText(text);

  let optOut: 'cleared' | undefined;
  // "Stop!" is as clear as "STOP": compare without surrounding punctuation and spaces.
  const core = coreBounds(normalized);
  const bare = normalized.slice(core.start, core.end);
  if (OPT_OUT_EVENT_KINDS.has(kind) && bare !== '') {
    if (compiled.optOutWords.has(bare)) {
      trace.notes.push(
        `"${text.trim()}" is an opt-out word: this person gets nothing automatic until they write an opt-in word`,
      );
      return { outcome: 'no_reply', reason: 'opt_out_set', optOut: 'set', trace };
    }
    if (compiled.optInWords.has(bare)) {
      optOut = 'cleared';
      trace.notes.push(
        `"${text.trim()}" is an opt-in word: automatic replies resume, starting with this message`,
      );
    }
  }
  const withOptOut = (decision: Decision): Decision => (optOut ? { ...decision, optOut } : decision);
  if (context.optedOut && !optOut) {
    trace.notes.push('This person opted out (wrote an opt-out word): nothing automatic is sent');
    return { outcome: 'no_reply', reason: 'opted_out', trace };
  }
  const pausedUntil = context.automationPausedUntil;
  if (typeof pausedUntil === 'number' && now < pausedUntil) {
    trace.notes.push(`Automation is paused by hand for this conversation until ${iso(pausedUntil)}`);
    return withOptOut({ outcome: 'no_reply', reason: 'automation_paused', until: pausedUntil, trace });
  }
  const lastHuman = context.lastHumanReplyAt;
  if (
    typeof lastHuman === 'number' &&
    account.humanPauseMinutes > 0 &&
    now < lastHuman + account.humanPauseMinutes * 60_000
  ) {
    trace.notes.push(
      `A human is handling this conversation: automation is paused until ${iso(lastHuman + account.humanPauseMinutes * 60_000)} (account setting; a rule may set its own pause)`,
    );
  }

  const hits: Map<number, KeywordHit> =
    normalized === '' ? new Map<number, KeywordHit>() : compiled.keywords.scan(normalized);
  let intentScores: Map<string, IntentScore> | null = null;
  let patternHits: Set<number> | null = null;
  const patternOccurs = (rule: CompiledRule, pattern: CompiledPattern): boolean => {
    if (!compiled.patterns || rule.rule.isFallback) return patternTest(pattern, text);
    if (!patternHits) {
      patternHits = new Set();
      for (const index of compiled.patterns.match(text)) patternHits.add(compiled.patternRanks[index] ?? -1);
    }
    return patternHits.has(rule.rank);
  };
  const liveOnly = options.mode !== 'draft';

  const evaluateTrigger = (rule: CompiledRule): TriggerResult => {
    const trigger = rule.trigger;
    if (!trigger)
      return { matched: true, reason: 'Fallback without a trigger: answers any event its conditions allow' };
    switch (trigger.type) {
      case 'keyword': {
        const hit = hits.get(rule.rank);
        const mode = rule.rule.trigger?.type === 'keyword' ? rule.rule.trigger.mode : 'word';
        if (!hit) return { matched: false, reason: `None of the keywords occur (${mode.replace('_', ' ')})` };
        const keyword = trigger.keywords[hit.keywordIndex] ?? '';
        return { matched: true, reason: `Keyword "${keyword}" found (${mode.replace('_', ' ')})`, keyword };
      }
      case 'pattern':
        return patternOccurs(rule, trigger.pattern)
          ? { matched: true, reason: 'The pattern matches' }
          : { matched: false, reason: 'The pattern does not match' };
      case 'intent': {
        intentScores ??= compiled.classifier?.classify(text) ?? new Map<string, IntentScore>();
        const score = intentScores.get(trigger.intent) ?? { score: 0, closestExample: null };
        const rounded = Math.round(score.score * 1000) / 1000;
        const matched = score.score >= trigger.threshold;
        return {
          matched,
          reason: `Intent "${trigger.intent}" scores ${rounded} (threshold ${trigger.threshold})`,
          intentScore: score.score,
          closestExample: score.closestExample,
        };
      }
    }
  };

  // Held in an object: the closures below assign it, which flow analysis of plain `let`s would not see.
  const state: { winner: CompiledRule | null; takeoverUntil: number | null } = {
    winner: null,
    takeoverUntil: null,
  };
  const evaluate = (rule: CompiledRule, lazy: boolean): void => {
    if (!rule.rule.isActive || (liveOnly && rule.rule.status !== 'published')) {
      const reason = !rule.rule.isActive
        ? 'The rule is switched off'
        : 'Draft: publish it to run it live (the test panel runs drafts)';
      trace.entries.push(entryFor(rule, 'inactive', reason, null));
      return;
    }
    if (state.winner && lazy && rule.trigger?.type !== 'keyword') {
      trace.entries.push(
        entryFor(
          rule,
          'not_evaluated',
          `Not checked: "${state.winner.rule.name}" has a higher rank and answers`,
          null,
        ),
      );
      return;
    }
    const trigger = evaluateTrigger(rule);
    if (!trigger.matched) {
      trace.entries.push(entryFor(rule, 'trigger_not_matched', trigger.reason, trigger));
      return;
    }
    const failure = checkConditions(rule.conditions, rule.rule.id, kind, context, now);
    if (failure) {
      if (failure.condition === 'humanPause' && !state.winner && failure.until !== undefined)
        state.takeoverUntil = Math.max(state.takeoverUntil ?? 0, failure.until);
      const entry = entryFor(rule, 'condition_failed', `${trigger.reason}, but: ${failure.reason}`, trigger);
      entry.failedCondition = failure.condition;
      if (failure.until !== undefined) entry.until = failure.until;
      trace.entries.push(entry);
      return;
    }
    if (state.winner) {
      const tie =
        state.winner.rule.priority === rule.rule.priority
          ? ' (same priority; it comes first in the list)'
          : ' (higher priority)';
      trace.entries.push(
        entryFor(
          rule,
          'shadowed_by_higher',
          `${trigger.reason}; would answer, but "${state.winner.rule.name}" answers first${tie}`,
          trigger,
        ),
      );
      return;
    }
    state.winner = rule;
    const entry = entryFor(rule, 'matched', `${trigger.reason}; all conditions hold`, trigger);
    if (rule.trigger?.type === 'pattern') entry.captures = patternCaptures(rule.trigger.pattern, text) ?? {};
    trace.entries.push(entry);
  };

  const rules = compiled.rules;
  if (detail === 'full') {
    for (let rank = 0; rank < compiled.fallbackStart; rank += 1) evaluate(rules[rank] as CompiledRule, false);
  } else {
    const candidates: number[] = [...compiled.alwaysChecked];
    let keywordHits = 0;
    for (const rank of hits.keys()) {
      if (rank < compiled.fallbackStart) {
        candidates.push(rank);
        keywordHits += 1;
      }
    }
    candidates.sort((a, b) => a - b);
    for (const rank of candidates) evaluate(rules[rank] as CompiledRule, true);
    trace.keywordRulesNotMatched = compiled.keywordRuleCount - keywordHits;
  }
  const mainWinner = state.winner;
  for (let rank = compiled.fallbackStart; rank < rules.length; rank += 1) {
    const rule = rules[rank] as CompiledRule;
    if (mainWinner)
      trace.entries.push(
        entryFor(
          rule,
          'fallback_not_needed',
          `"${mainWinner.rule.name}" matched, so fallbacks stay silent`,
          null,
        ),
      );
    else evaluate(rule, detail === 'summary');
  }

  const answering = state.winner;
  if (!answering) {
    if (state.takeoverUntil !== null)
      return withOptOut({ outcome: 'no_reply', reason: 'human_takeover', until: state.takeoverUntil, trace });
    return withOptOut({ outcome: 'no_reply', reason: 'no_rule_matched', trace });
  }
  const matchedEntry = trace.entries.find((e) => e.outcome === 'matched' && e.ruleId === answering.rule.id);
  const rendered = renderCompiledResponse(
    answering.response,
    {
      username: context.username ?? null,
      name: context.name ?? null,
      account: { name: account.name, username: account.username },
      messageText: text,
      captures: matchedEntry?.captures ?? {},
      variables: account.variables,
    },
    {
      answeredCount: context.ruleHistory?.[answering.rule.id]?.answeredCount ?? 0,
      seed: `${answering.rule.id}:${event.id ?? options.seed ?? text}`,
    },
  );
  if (!rendered.ok) {
    trace.notes.push(
      `"${answering.rule.name}" matched but its reply cannot be sent: ${rendered.error.message}`,
    );
    return withOptOut({
      outcome: 'no_reply',
      reason: 'render_failed',
      rule: chosen(answering),
      renderError: rendered.error,
      trace,
    });
  }
  return withOptOut({ outcome: 'reply', rule: chosen(answering), response: rendered.value, trace });
}
