/**
 * Inputs and outputs of `decide()`: the event, the conversation's state, and the decision with its trace.
 *
 * All of it is plain data (no functions, no classes) so a decision can be stored in `rule_evaluations`
 * and shown by the editor as it is.
 */
import type { RuleEventType } from './schema';
import type { RenderedResponse, RenderError } from './render';

/** Event kinds the engine sees; only the rule event types can trigger a rule. */
export type RuleEventKind = RuleEventType | 'echo' | 'reaction' | 'read' | 'delete' | 'edit' | 'other';

/**
 * The inbound event, reduced to what rules look at.
 *
 * For postbacks and quick replies, `text` is the button title (Meta sends it) and `payload` the payload.
 */
export interface RuleEvent {
  kind: RuleEventKind;
  /** Message id (mid) or comment id; seeds the choice of a random variant. */
  id?: string | null;
  text?: string | null;
  payload?: string | null;
  /** `message.is_echo`: a message sent by the account (phone, another tool, or this app). */
  isEcho?: boolean;
  /** True when this app sent the message the event is about (our own echo). */
  sentByApp?: boolean;
}

/** What the conversation's history says about one rule; times are epoch milliseconds. */
export interface RuleHistory {
  /** Last time this rule answered this person. */
  lastFiredForPersonAt?: number | null;
  /** Last time this rule answered anyone on this account. */
  lastFiredOnAccountAt?: number | null;
  /** How many times this rule answered this person: picks the next round-robin variant. */
  answeredCount?: number;
}

/** The conversation as stored when the event arrived. Times are epoch milliseconds. */
export interface ConversationContext {
  username?: string | null;
  name?: string | null;
  /** True when this event opens the conversation (no earlier inbound message). */
  isFirstMessage: boolean;
  status: 'active' | 'archived' | 'blocked';
  labels: readonly string[];
  /** The person wrote an opt-out word and no opt-in word since. */
  optedOut: boolean;
  /** Last reply by a human (from the app, or an echo this app did not send). */
  lastHumanReplyAt?: number | null;
  /** Automation paused by hand for this conversation until then. */
  automationPausedUntil?: number | null;
  /** Per rule id. */
  ruleHistory?: Readonly<Record<string, RuleHistory>>;
}

/** Options of `decide()`. */
export interface DecideOptions {
  /** 'live' runs published rules only; 'draft' (editor test panel, replay) also runs drafts. */
  mode?: 'live' | 'draft';
  /**
   * 'summary' (default) lists every rule examined individually and counts keyword rules whose keywords
   * do not occur in the message; 'full' has one entry per rule and evaluates every rule completely.
   */
  trace?: 'summary' | 'full';
  /** Seed for random variants when the event has no id. */
  seed?: string;
}

/** Why a rule did or did not answer. */
export type RuleOutcome =
  | 'matched'
  | 'trigger_not_matched'
  | 'condition_failed'
  | 'shadowed_by_higher'
  | 'not_evaluated'
  | 'inactive'
  | 'compile_error'
  | 'fallback_not_needed';

/** The condition that stopped a rule. */
export type ConditionName =
  | 'eventTypes'
  | 'firstMessageOnly'
  | 'conversationStatus'
  | 'labels'
  | 'businessHours'
  | 'humanPause'
  | 'cooldownPerPerson'
  | 'cooldownPerAccount';

/** One rule's line in the trace. */
export interface TraceEntry {
  ruleId: string;
  ruleName: string;
  /** Null for a rule that did not compile far enough to read it. */
  priority: number | null;
  isFallback: boolean;
  outcome: RuleOutcome;
  /** Plain-language explanation, shown as is in the editor. */
  reason: string;
  /** The keyword as the rule spells it. */
  keyword?: string;
  captures?: Record<string, string | null>;
  intentScore?: number;
  closestExample?: string | null;
  failedCondition?: ConditionName;
  /** When a time-based condition stops failing (epoch ms). */
  until?: number;
}

/** The explanation of a decision. */
export interface DecisionTrace {
  detail: 'summary' | 'full';
  entries: TraceEntry[];
  /**
   * Summary only: keyword rules left out of `entries` because none of their keywords occur (their
   * outcome is 'trigger_not_matched', or 'inactive' for switched-off rules). Zero in full detail.
   */
  keywordRulesNotMatched: number;
  /** Decision-wide facts (ignored event, opt-out, pause…). */
  notes: string[];
}

/** Why nothing was sent, when nothing was sent. */
export type NoReplyReason =
  | 'ignored_event'
  | 'conversation_blocked'
  | 'opt_out_set'
  | 'opted_out'
  | 'automation_paused'
  | 'human_takeover'
  | 'no_rule_matched'
  | 'render_failed'
  | 'engine_error';

/** The rule that answers. */
export interface ChosenRule {
  id: string;
  name: string;
  version: number;
  priority: number;
  isFallback: boolean;
}

/** Result of `decide()`: at most one rule answers, and the trace says why. */
export type Decision = (
  | { outcome: 'reply'; rule: ChosenRule; response: RenderedResponse }
  | {
      outcome: 'no_reply';
      reason: NoReplyReason;
      rule?: ChosenRule;
      renderError?: RenderError;
      until?: number;
    }
) & {
  /** 'set' when the message is an opt-out word, 'cleared' when an opt-in word; the caller stores it. */
  optOut?: 'set' | 'cleared';
  /** Set for an echo this app did not send: a human answered from the phone; pause until then. */
  humanTakeover?: { pausedUntil: number };
  trace: DecisionTrace;
};
