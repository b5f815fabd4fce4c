/**
 * A stored message as the rule engine sees it: the event (kind, text, payload) and the conversation's
 * context (first message, status, labels, opt-out, human replies, cooldown history).
 */
import type {
  CompiledRuleSet,
  ConversationContext,
  RuleEvent,
  RuleEventKind,
  RuleHistory,
} from '../../../../shared/rules/index';
import type { Repositories } from '../db/repositories';
import type { AutomationMessage } from '../db/repositories/automation-state-repository';
import type { Conversation } from '../db/repositories/conversations-repository';

/** How each stored message kind reaches the engine; anything else never triggers a rule. */
const KIND_TO_EVENT: Readonly<Record<string, RuleEventKind>> = {
  text: 'dm',
  image: 'dm',
  video: 'dm',
  audio: 'dm',
  file: 'dm',
  share: 'dm',
  reel: 'dm',
  unsupported: 'dm',
  story_mention: 'story_mention',
  story_reply: 'story_reply',
  postback: 'postback',
  quick_reply: 'quick_reply',
  referral: 'referral',
  reaction: 'reaction',
  like_heart: 'reaction',
};

function payloadOf(message: AutomationMessage): string | null {
  for (const item of message.attachments ?? []) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    if ((item.type === 'quick_reply' || item.type === 'postback') && typeof item.payload === 'string')
      return item.payload;
  }
  return null;
}

/**
 * The engine's event for a stored message. Echoes and our own messages are marked as such (the
 * engine ignores them); a row that only stands in for an unsend or an edit that arrived before its
 * message is not a new message and never triggers rules.
 */
export function ruleEventOf(message: AutomationMessage): RuleEvent {
  const base = { id: message.mid, text: message.text, payload: payloadOf(message) };
  if (message.direction === 'outbound' || message.isEcho)
    return { ...base, kind: 'echo', isEcho: true, sentByApp: message.sentBy === 'rule' };
  if (message.isDeleted) return { ...base, kind: 'delete' };
  if (message.edited) return { ...base, kind: 'edit' };
  return { ...base, kind: KIND_TO_EVENT[message.kind] ?? 'other' };
}

/** Rule history as the engine wants it: epoch ms per rule id. */
export function toRuleHistory(
  history: Map<
    string,
    { lastForPersonAt: Date | null; lastOnAccountAt: Date | null; answeredForPerson: number }
  >,
): Record<string, RuleHistory> {
  const out: Record<string, RuleHistory> = {};
  for (const [ruleId, entry] of history)
    out[ruleId] = {
      lastFiredForPersonAt: entry.lastForPersonAt?.getTime() ?? null,
      lastFiredOnAccountAt: entry.lastOnAccountAt?.getTime() ?? null,
      answeredCount: entry.answeredForPerson,
    };
  return out;
}

function latest(...dates: (Date | null)[]): number | null {
  const times = dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length > 0 ? Math.max(...times) : null;
}

/** The conversation's context for a live evaluation of `message`. */
export async function conversationContextOf(
  repos: Repositories,
  message: AutomationMessage,
  conversation: Conversation,
  /** The rules that will decide: only those with a per-account cooldown need the account's history. */
  rules?: CompiledRuleSet,
): Promise<ConversationContext> {
  const facts = await repos.automationState.facts(conversation.id, message.id);
  const accountWide = rules?.rules
    .filter((compiled) => compiled.conditions.cooldownPerAccountMs > 0)
    .map((compiled) => compiled.rule.id);
  const history = await repos.automationState.ruleReplyHistory(
    message.accountId,
    conversation.id,
    accountWide,
  );
  return {
    username: conversation.participantUsername,
    name: conversation.participantName,
    isFirstMessage: !facts.hasEarlierInbound,
    status: conversation.status,
    labels: conversation.labels,
    optedOut: facts.optedOut,
    lastHumanReplyAt: latest(facts.lastHumanReplyAt, facts.lastStaffReplyAt),
    automationPausedUntil: conversation.automationPausedUntil?.getTime() ?? null,
    ruleHistory: toRuleHistory(history),
  };
}
