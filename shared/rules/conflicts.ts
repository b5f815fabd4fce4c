/**
 * Conflict warnings for the editor: rules that can never answer because a higher-ranked rule always
 * answers first, and rules that share a keyword.
 *
 * The analysis is sound, not complete: it warns only when it can prove the shadowing (keyword rules,
 * with conditions that are the same or looser on the higher rule). Pattern and intent rules are never
 * reported as shadowing, since whether they always match cannot be decided cheaply.
 */
import type { CompiledRule, CompiledRuleSet } from './compile';
import type { ResolvedConditions } from './conditions';
import type { KeywordMode } from './schema';
import { boundaryAfter, boundaryBefore } from './keyword-automaton';
import { coreBounds, isWordCharAt, normalizeText } from './normalize';

/** One warning, with a message the editor shows as is. */
export type RuleConflict =
  | { kind: 'never_fires'; ruleId: string; byRuleId: string; keyword: string; message: string }
  | { kind: 'same_keyword'; ruleId: string; otherRuleId: string; keyword: string; message: string };

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `higher`'s conditions hold whenever `lower`'s do. */
function conditionsImplied(lower: CompiledRule, higher: CompiledRule): boolean {
  const a: ResolvedConditions = higher.conditions;
  const b: ResolvedConditions = lower.conditions;
  for (const kind of b.eventTypes) if (!a.eventTypes.has(kind)) return false;
  if (a.firstMessageOnly && !b.firstMessageOnly) return false;
  if (a.statuses && !(b.statuses && [...b.statuses].every((s) => a.statuses?.has(s)))) return false;
  if (a.labels && !sameJson(higher.rule.conditions.labels, lower.rule.conditions.labels)) return false;
  if (a.businessHours && !sameJson(higher.rule.conditions.businessHours, lower.rule.conditions.businessHours))
    return false;
  if (a.humanPauseMinutes > b.humanPauseMinutes) return false;
  return a.cooldownPerPersonMs === 0 && a.cooldownPerAccountMs === 0;
}

/**
 * Whether keyword `higherMode` found at [start, end) inside the lower rule's keyword `k` is found in
 * every message where `k` matches in `lowerMode`.
 */
function alwaysFound(
  higherMode: KeywordMode,
  lowerMode: KeywordMode,
  k: string,
  start: number,
  end: number,
): boolean {
  // Around k, a message matched in 'word', 'exact' or 'starts_with' mode has no word character next to
  // a word character of k; in 'contains' mode anything may be there.
  const edgesSafe = lowerMode !== 'contains';
  const before = start > 0 || edgesSafe || !isWordCharAt(k, 0) ? boundaryBefore(k, start) : false;
  const after = end < k.length || edgesSafe || !isWordCharAt(k, k.length - 1) ? boundaryAfter(k, end) : false;
  const core = coreBounds(k);
  switch (higherMode) {
    case 'contains':
      return true;
    case 'word':
      return before && after;
    case 'exact':
      return lowerMode === 'exact' && start <= core.start && end >= core.end;
    case 'starts_with':
      return (lowerMode === 'exact' || lowerMode === 'starts_with') && start <= core.start && after;
  }
}

/**
 * Finds rules that can never fire and rules that share a keyword, among active rules
 * (`mode` 'draft', the default, includes drafts as the editor does; 'live' only published ones).
 */
export function findConflicts(
  compiled: CompiledRuleSet,
  options: { mode?: 'live' | 'draft' } = {},
): RuleConflict[] {
  const live = options.mode === 'live';
  const eligible = (rule: CompiledRule): boolean =>
    rule.rule.isActive && (!live || rule.rule.status === 'published');
  const conflicts: RuleConflict[] = [];
  const firstOwner = new Map<string, CompiledRule>();

  for (const lower of compiled.rules) {
    const trigger = lower.trigger;
    if (!eligible(lower) || trigger?.type !== 'keyword' || lower.rule.trigger?.type !== 'keyword') continue;
    const lowerMode = lower.rule.trigger.mode;
    const blockers = new Set<CompiledRule>();
    let blockedKeywords = 0;
    let firstBlocker: { rule: CompiledRule; keyword: string } | null = null;
    const sharing: Array<{ owner: CompiledRule; keyword: string }> = [];

    for (const keyword of trigger.keywords) {
      const k = normalizeText(keyword);
      let covered = false;
      compiled.keywords.scanRaw(k, (entryId, start, end) => {
        const entry = compiled.keywords.entry(entryId);
        const higher = compiled.rules[entry.ruleIndex];
        if (
          covered ||
          !higher ||
          higher.rank >= lower.rank ||
          higher.rule.isFallback !== lower.rule.isFallback ||
          !eligible(higher)
        )
          return;
        if (!alwaysFound(entry.mode, lowerMode, k, start, end) || !conditionsImplied(lower, higher)) return;
        covered = true;
        blockers.add(higher);
        firstBlocker ??= { rule: higher, keyword };
      });
      if (covered) blockedKeywords += 1;

      const owner = firstOwner.get(k);
      if (!owner) firstOwner.set(k, lower);
      else if (owner !== lower) sharing.push({ owner, keyword });
    }

    const blocker = firstBlocker as { rule: CompiledRule; keyword: string } | null;
    if (blocker && blockedKeywords === trigger.keywords.length) {
      const others =
        blockers.size > 1 ? ` (and ${blockers.size - 1} other rule${blockers.size > 2 ? 's' : ''})` : '';
      conflicts.push({
        kind: 'never_fires',
        ruleId: lower.rule.id,
        byRuleId: blocker.rule.rule.id,
        keyword: blocker.keyword,
        message: `"${lower.rule.name}" can never answer: "${blocker.rule.rule.name}"${others} ranks higher and always matches first (keyword "${blocker.keyword}"). Raise its priority, or make its keywords or conditions different`,
      });
    }
    const neverFires = blocker !== null && blockedKeywords === trigger.keywords.length;
    for (const { owner, keyword } of sharing) {
      // Already explained by the stronger "never fires" warning.
      if (neverFires && blockers.has(owner)) continue;
      conflicts.push({
        kind: 'same_keyword',
        ruleId: lower.rule.id,
        otherRuleId: owner.rule.id,
        keyword,
        message: `"${lower.rule.name}" and "${owner.rule.name}" both use the keyword "${keyword}"; "${owner.rule.name}" is checked first`,
      });
    }
  }
  return conflicts;
}
