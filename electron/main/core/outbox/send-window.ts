/**
 * Meta's messaging window, decided per attempt (instagram-api.md §5.4).
 *
 * Pure: the delivery worker passes the conversation's last inbound time and its clock.
 */
import type { MessagingPolicy } from '../instagram';

/** 24 hours after the person's last message: any reply. */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
/** 7 days: a person (never automation) with the HUMAN_AGENT tag, where the account has the feature. */
export const HUMAN_AGENT_WINDOW_MS = 7 * STANDARD_WINDOW_MS;

/** What the window allows for one attempt. */
export type WindowDecision = { ok: true; policy: MessagingPolicy } | { ok: false; reason: string };

/** Facts the decision needs. */
export interface WindowFacts {
  /** The person's last message; null when they never wrote. */
  lastInboundAt: Date | null;
  /** Typed by staff (rules and system messages are automation). */
  fromStaff: boolean;
  /** Staff asked to use HUMAN_AGENT if the 24 hours have passed. */
  humanAgentRequested: boolean;
  /** The account is allowed to use HUMAN_AGENT (Meta approved the feature for its app). */
  humanAgentAllowed: boolean;
  now: Date;
}

/**
 * RESPONSE inside 24 hours; HUMAN_AGENT only for staff who asked, on an account that allows it,
 * within 7 days; otherwise the message cannot go, with the reason in plain words. Automation never
 * gets the tag: Meta allows it only for a human answering.
 */
export function decideWindow(facts: WindowFacts): WindowDecision {
  if (facts.lastInboundAt === null)
    return {
      ok: false,
      reason:
        'This person has never written to the account, so Instagram does not allow sending them a message.',
    };
  const age = facts.now.getTime() - facts.lastInboundAt.getTime();
  if (age <= STANDARD_WINDOW_MS) return { ok: true, policy: 'RESPONSE' };
  const since = `The customer's last message was ${describeAge(age)} ago`;
  if (!facts.fromStaff)
    return {
      ok: false,
      reason: `${since}; automatic replies may only be sent within 24 hours of it. Not sent.`,
    };
  if (!facts.humanAgentRequested)
    return {
      ok: false,
      reason: `${since}; Instagram allows replies within 24 hours of it${facts.humanAgentAllowed ? ' (or 7 days when sent as a human agent reply)' : ''}. Not sent.`,
    };
  if (!facts.humanAgentAllowed)
    return {
      ok: false,
      reason: `${since}; replies after 24 hours need the Human Agent tag, which is not enabled for this account. Not sent.`,
    };
  if (age <= HUMAN_AGENT_WINDOW_MS) return { ok: true, policy: 'HUMAN_AGENT' };
  return {
    ok: false,
    reason: `${since}; even a human agent reply is only allowed within 7 days of it. Not sent.`,
  };
}

function describeAge(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}
