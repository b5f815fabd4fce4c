/**
 * Rule conditions, resolved at compile time (account defaults, time zone formatter) and checked per
 * event with plain-language reasons for the trace.
 */
import type { AccountContext, Conditions, Day, OpeningHours } from './schema';
import type { ConditionName, ConversationContext, RuleEventKind } from './types';

const DAYS: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_INDEX: Readonly<Record<string, number>> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
};

/** Local day and time in one time zone. */
export interface LocalTime {
  day: Day;
  minutes: number;
  label: string;
}

/** Reads epoch milliseconds as local day and minutes in a fixed time zone. */
export type LocalClock = (now: number) => LocalTime;

/** A clock for an IANA time zone, or the reason the name is not one. */
export function createLocalClock(
  timezone: string,
): { ok: true; clock: LocalClock } | { ok: false; message: string } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return {
      ok: false,
      message: `"${timezone}" is not a time zone name: use an IANA name such as Europe/Paris or America/New_York`,
    };
  }
  const clock: LocalClock = (now) => {
    let weekday = 'Sun';
    let hour = 0;
    let minute = 0;
    for (const part of format.formatToParts(now)) {
      if (part.type === 'weekday') weekday = part.value;
      else if (part.type === 'hour') hour = Number(part.value) % 24;
      else if (part.type === 'minute') minute = Number(part.value);
    }
    const day = DAYS[WEEKDAY_INDEX[weekday] ?? 0] as Day;
    return {
      day,
      minutes: hour * 60 + minute,
      label: `${weekday} ${pad(hour)}:${pad(minute)} (${timezone})`,
    };
  };
  return { ok: true, clock };
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function toMinutes(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether `local` falls inside the opening hours; `to` before `from` runs past midnight into the next day. */
export function isWithinHours(hours: OpeningHours, local: { day: Day; minutes: number }): boolean {
  const from = toMinutes(hours.from);
  const to = toMinutes(hours.to);
  const today = hours.days.includes(local.day);
  if (from === to) return today; // 00:00–00:00 (or 24:00): the whole day
  if (from < to) return today && local.minutes >= from && local.minutes < to;
  const yesterday = DAYS[(DAYS.indexOf(local.day) + 6) % 7] as Day;
  return (today && local.minutes >= from) || (hours.days.includes(yesterday) && local.minutes < to);
}

/** Conditions with account defaults applied. */
export interface ResolvedConditions {
  eventTypes: ReadonlySet<RuleEventKind>;
  firstMessageOnly: boolean;
  statuses: ReadonlySet<string> | null;
  labels: { any: readonly string[]; all: readonly string[]; none: readonly string[] } | null;
  businessHours: { when: 'open' | 'closed'; hours: OpeningHours; clock: LocalClock } | null;
  humanPauseMinutes: number;
  cooldownPerPersonMs: number;
  cooldownPerAccountMs: number;
}

/** Applies account defaults; fails when business hours cannot be read (bad time zone, no hours). */
export function resolveConditions(
  conditions: Conditions,
  account: AccountContext,
  clockFor: (timezone: string) => { ok: true; clock: LocalClock } | { ok: false; message: string },
): { ok: true; value: ResolvedConditions } | { ok: false; message: string } {
  let businessHours: ResolvedConditions['businessHours'] = null;
  if (conditions.businessHours) {
    const hours = conditions.businessHours.hours ?? account.openingHours;
    if (!hours)
      return {
        ok: false,
        message: 'Business hours: the account has no opening hours; set them on the account or on this rule',
      };
    const clock = clockFor(conditions.businessHours.timezone ?? account.timezone);
    if (!clock.ok) return { ok: false, message: `Business hours: ${clock.message}` };
    businessHours = { when: conditions.businessHours.when, hours, clock: clock.clock };
  }
  const labels = conditions.labels;
  return {
    ok: true,
    value: {
      eventTypes: new Set(conditions.eventTypes ?? ['dm']),
      firstMessageOnly: conditions.firstMessageOnly ?? false,
      statuses: conditions.conversationStatus ? new Set(conditions.conversationStatus) : null,
      labels: labels ? { any: labels.any ?? [], all: labels.all ?? [], none: labels.none ?? [] } : null,
      businessHours,
      humanPauseMinutes: conditions.humanPauseMinutes ?? account.humanPauseMinutes,
      cooldownPerPersonMs: (conditions.cooldown?.perPersonSeconds ?? 0) * 1000,
      cooldownPerAccountMs: (conditions.cooldown?.perAccountSeconds ?? 0) * 1000,
    },
  };
}

/** A failed condition, for the trace. */
export interface ConditionFailure {
  condition: ConditionName;
  reason: string;
  until?: number;
}

function iso(ms: number): string {
  // Date throws beyond ±8.64e15 ms; a corrupt timestamp must not break the decision.
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

/** Checks the conditions in a fixed order and returns the first that fails, or null when all hold. */
export function checkConditions(
  resolved: ResolvedConditions,
  ruleId: string,
  eventKind: RuleEventKind,
  context: ConversationContext,
  now: number,
): ConditionFailure | null {
  if (!resolved.eventTypes.has(eventKind)) {
    return {
      condition: 'eventTypes',
      reason: `The rule answers ${[...resolved.eventTypes].join(', ')}, not ${eventKind}`,
    };
  }
  if (resolved.firstMessageOnly && !context.isFirstMessage) {
    return {
      condition: 'firstMessageOnly',
      reason: 'The rule answers only the first message of a conversation',
    };
  }
  if (resolved.statuses && !resolved.statuses.has(context.status)) {
    return {
      condition: 'conversationStatus',
      reason: `The conversation is ${context.status}; the rule needs ${[...resolved.statuses].join(' or ')}`,
    };
  }
  if (resolved.labels) {
    const has = new Set(context.labels);
    const { any, all, none } = resolved.labels;
    if (any.length > 0 && !any.some((l) => has.has(l)))
      return { condition: 'labels', reason: `The conversation has none of the labels ${any.join(', ')}` };
    const missing = all.filter((l) => !has.has(l));
    if (missing.length > 0)
      return { condition: 'labels', reason: `The conversation lacks the label(s) ${missing.join(', ')}` };
    const present = none.filter((l) => has.has(l));
    if (present.length > 0)
      return {
        condition: 'labels',
        reason: `The conversation has the excluded label(s) ${present.join(', ')}`,
      };
  }
  if (resolved.businessHours) {
    const { when, hours, clock } = resolved.businessHours;
    const local = clock(now);
    const open = isWithinHours(hours, local);
    if (open !== (when === 'open')) {
      const span = `${hours.days.join(',')} ${hours.from}–${hours.to}`;
      return {
        condition: 'businessHours',
        reason:
          when === 'open'
            ? `Outside business hours: ${local.label}, open ${span}`
            : `Inside business hours: ${local.label}, open ${span}; the rule answers only when closed`,
      };
    }
  }
  const lastHuman = context.lastHumanReplyAt;
  if (resolved.humanPauseMinutes > 0 && typeof lastHuman === 'number') {
    const until = lastHuman + resolved.humanPauseMinutes * 60_000;
    if (now < until) {
      return {
        condition: 'humanPause',
        reason: `A human replied at ${iso(lastHuman)}; automation resumes at ${iso(until)}`,
        until,
      };
    }
  }
  const history = context.ruleHistory?.[ruleId];
  const lastPerson = history?.lastFiredForPersonAt;
  if (
    resolved.cooldownPerPersonMs > 0 &&
    typeof lastPerson === 'number' &&
    now < lastPerson + resolved.cooldownPerPersonMs
  ) {
    const until = lastPerson + resolved.cooldownPerPersonMs;
    return {
      condition: 'cooldownPerPerson',
      reason: `This rule answered this person at ${iso(lastPerson)}; cooldown until ${iso(until)}`,
      until,
    };
  }
  const lastAccount = history?.lastFiredOnAccountAt;
  if (
    resolved.cooldownPerAccountMs > 0 &&
    typeof lastAccount === 'number' &&
    now < lastAccount + resolved.cooldownPerAccountMs
  ) {
    const until = lastAccount + resolved.cooldownPerAccountMs;
    return {
      condition: 'cooldownPerAccount',
      reason: `This rule answered on this account at ${iso(lastAccount)}; cooldown until ${iso(until)}`,
      until,
    };
  }
  return null;
}
