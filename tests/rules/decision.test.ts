import { describe, expect, it } from 'vitest';
import { compileRules, decide } from '../../shared/rules/index';
import type { ConversationContext, RuleEvent, RuleInput } from '../../shared/rules/index';
import { ACCOUNT, MONDAY_10_PARIS, conversation, rule } from './helpers';

const MINUTE = 60_000;

function run(
  rules: RuleInput[],
  event: RuleEvent,
  context: Partial<ConversationContext> = {},
  now = MONDAY_10_PARIS,
  mode: 'live' | 'draft' = 'live',
) {
  const compiled = compileRules({ rules }, ACCOUNT);
  expect(compiled.errors).toEqual([]);
  return decide(compiled, event, conversation(context), now, { mode });
}
const dm = (text: string): RuleEvent => ({ kind: 'dm', text, id: 'mid.1' });
const answeredBy = (d: ReturnType<typeof run>): string | null => (d.outcome === 'reply' ? d.rule.id : null);

describe('priorities, ties and fallback', () => {
  it('the highest priority wins and the lower one is reported as shadowed', () => {
    const d = run([rule({ id: 'low', priority: 1 }), rule({ id: 'high', priority: 5 })], dm('price?'));
    expect(answeredBy(d)).toBe('high');
    expect(d.trace.entries.find((e) => e.ruleId === 'low')?.outcome).toBe('shadowed_by_higher');
  });
  it('ties go to the lower position, then to the lower id', () => {
    expect(
      answeredBy(run([rule({ id: 'a', position: 2 }), rule({ id: 'b', position: 1 })], dm('price'))),
    ).toBe('b');
    expect(answeredBy(run([rule({ id: 'zeta' }), rule({ id: 'alpha' })], dm('price')))).toBe('alpha');
    expect(answeredBy(run([rule({ id: 'alpha' }), rule({ id: 'zeta' })], dm('price')))).toBe('alpha');
  });
  it('the fallback answers only when nothing else matched', () => {
    const rules = [
      rule({ id: 'price' }),
      rule({ id: 'fb', isFallback: true, trigger: undefined, priority: 100 }),
    ];
    expect(answeredBy(run(rules, dm('price')))).toBe('price');
    expect(answeredBy(run(rules, dm('hello')))).toBe('fb');
    const matched = run(rules, dm('price'));
    expect(matched.trace.entries.find((e) => e.ruleId === 'fb')?.outcome).toBe('fallback_not_needed');
  });
  it('inactive and draft rules do not answer live; drafts answer in draft mode', () => {
    const rules = [
      rule({ id: 'off', isActive: false, priority: 9 }),
      rule({ id: 'draft', status: 'draft', priority: 5 }),
      rule({ id: 'live' }),
    ];
    const live = run(rules, dm('price'));
    expect(answeredBy(live)).toBe('live');
    expect(live.trace.entries.find((e) => e.ruleId === 'off')?.outcome).toBe('inactive');
    expect(live.trace.entries.find((e) => e.ruleId === 'draft')?.outcome).toBe('inactive');
    expect(answeredBy(run(rules, dm('price'), {}, MONDAY_10_PARIS, 'draft'))).toBe('draft');
  });
  it('a full trace has one entry per rule', () => {
    const rules = [
      rule({ id: 'a', trigger: { type: 'keyword', keywords: ['menu'] } }),
      rule({ id: 'b' }),
      rule({ id: 'c', isFallback: true, trigger: undefined }),
    ];
    const compiled = compileRules({ rules }, ACCOUNT);
    const d = decide(compiled, dm('price'), conversation(), MONDAY_10_PARIS, { trace: 'full' });
    expect(d.trace.entries.map((e) => [e.ruleId, e.outcome])).toEqual([
      ['a', 'trigger_not_matched'],
      ['b', 'matched'],
      ['c', 'fallback_not_needed'],
    ]);
    const summary = decide(compiled, dm('price'), conversation(), MONDAY_10_PARIS);
    expect(summary.trace.entries.map((e) => e.ruleId)).toEqual(['b', 'c']);
    expect(summary.trace.keywordRulesNotMatched).toBe(1);
  });
});

describe('conditions', () => {
  const cases: Array<{
    name: string;
    conditions: RuleInput['conditions'];
    event?: RuleEvent;
    context?: Partial<ConversationContext>;
    now?: number;
    fires: boolean;
    failed?: string;
  }> = [
    {
      name: 'eventTypes default is dm only: a comment does not fire',
      conditions: {},
      event: { kind: 'comment', text: 'price' },
      fires: false,
      failed: 'eventTypes',
    },
    {
      name: 'eventTypes includes comment',
      conditions: { eventTypes: ['comment'] },
      event: { kind: 'comment', text: 'price' },
      fires: true,
    },
    {
      name: 'story reply when allowed',
      conditions: { eventTypes: ['dm', 'story_reply'] },
      event: { kind: 'story_reply', text: 'price' },
      fires: true,
    },
    {
      name: 'firstMessageOnly on a later message',
      conditions: { firstMessageOnly: true },
      context: { isFirstMessage: false },
      fires: false,
      failed: 'firstMessageOnly',
    },
    {
      name: 'firstMessageOnly on the first message',
      conditions: { firstMessageOnly: true },
      context: { isFirstMessage: true },
      fires: true,
    },
    {
      name: 'conversationStatus archived only, conversation active',
      conditions: { conversationStatus: ['archived'] },
      fires: false,
      failed: 'conversationStatus',
    },
    {
      name: 'labels any: has one',
      conditions: { labels: { any: ['vip', 'wholesale'] } },
      context: { labels: ['vip'] },
      fires: true,
    },
    {
      name: 'labels any: has none',
      conditions: { labels: { any: ['vip'] } },
      context: { labels: ['new'] },
      fires: false,
      failed: 'labels',
    },
    {
      name: 'labels all: missing one',
      conditions: { labels: { all: ['vip', 'paid'] } },
      context: { labels: ['vip'] },
      fires: false,
      failed: 'labels',
    },
    {
      name: 'labels none: excluded present',
      conditions: { labels: { none: ['spam'] } },
      context: { labels: ['spam'] },
      fires: false,
      failed: 'labels',
    },
    {
      name: 'business hours open, Monday 10:00 Paris',
      conditions: { businessHours: { when: 'open' } },
      fires: true,
    },
    {
      name: 'business hours open, Monday 19:30 Paris',
      conditions: { businessHours: { when: 'open' } },
      now: Date.UTC(2025, 0, 6, 18, 30),
      fires: false,
      failed: 'businessHours',
    },
    {
      name: 'business hours open, Saturday 10:00 Paris',
      conditions: { businessHours: { when: 'open' } },
      now: Date.UTC(2025, 0, 11, 9, 0),
      fires: false,
      failed: 'businessHours',
    },
    {
      name: 'closed-hours rule at 08:59 Paris',
      conditions: { businessHours: { when: 'closed' } },
      now: Date.UTC(2025, 0, 6, 7, 59),
      fires: true,
    },
    {
      name: 'own hours in New York: 09:00 UTC is 04:00 there',
      conditions: {
        businessHours: {
          when: 'open',
          timezone: 'America/New_York',
          hours: { days: ['mon'], from: '08:00', to: '17:00' },
        },
      },
      fires: false,
      failed: 'businessHours',
    },
    {
      name: 'overnight hours 22:00–02:00 on Sunday, Monday 01:00 Paris',
      conditions: { businessHours: { when: 'open', hours: { days: ['sun'], from: '22:00', to: '02:00' } } },
      now: Date.UTC(2025, 0, 6, 0, 0),
      fires: true,
    },
    {
      name: 'human replied 10 minutes ago (account pause 30)',
      conditions: {},
      context: { lastHumanReplyAt: MONDAY_10_PARIS - 10 * MINUTE },
      fires: false,
      failed: 'humanPause',
    },
    {
      name: 'human replied 31 minutes ago: pause expired',
      conditions: {},
      context: { lastHumanReplyAt: MONDAY_10_PARIS - 31 * MINUTE },
      fires: true,
    },
    {
      name: 'rule pause of 60 minutes, human 45 minutes ago',
      conditions: { humanPauseMinutes: 60 },
      context: { lastHumanReplyAt: MONDAY_10_PARIS - 45 * MINUTE },
      fires: false,
      failed: 'humanPause',
    },
    {
      name: 'cooldown per person still running',
      conditions: { cooldown: { perPersonSeconds: 3600 } },
      context: { ruleHistory: { r: { lastFiredForPersonAt: MONDAY_10_PARIS - 59 * MINUTE } } },
      fires: false,
      failed: 'cooldownPerPerson',
    },
    {
      name: 'cooldown per person over',
      conditions: { cooldown: { perPersonSeconds: 3600 } },
      context: { ruleHistory: { r: { lastFiredForPersonAt: MONDAY_10_PARIS - 61 * MINUTE } } },
      fires: true,
    },
    {
      name: 'cooldown per account still running',
      conditions: { cooldown: { perAccountSeconds: 60 } },
      context: { ruleHistory: { r: { lastFiredOnAccountAt: MONDAY_10_PARIS - 30_000 } } },
      fires: false,
      failed: 'cooldownPerAccount',
    },
  ];
  it.each(cases)('$name', ({ conditions, event, context, now, fires, failed }) => {
    const d = run(
      [rule({ id: 'r', conditions })],
      event ?? dm('price'),
      context ?? {},
      now ?? MONDAY_10_PARIS,
    );
    expect(d.outcome === 'reply').toBe(fires);
    const entry = d.trace.entries.find((e) => e.ruleId === 'r');
    if (failed) {
      expect(entry?.outcome).toBe('condition_failed');
      expect(entry?.failedCondition).toBe(failed);
      expect(entry?.reason.length).toBeGreaterThan(10);
    }
  });

  it('human takeover: the decision says until when', () => {
    const d = run([rule({ id: 'r' })], dm('price'), { lastHumanReplyAt: MONDAY_10_PARIS - 10 * MINUTE });
    expect(d.outcome === 'no_reply' && d.reason).toBe('human_takeover');
    expect(d.outcome === 'no_reply' && d.until).toBe(MONDAY_10_PARIS + 20 * MINUTE);
    expect(d.trace.entries[0]?.reason).toContain('2025-01-06T09:20:00.000Z');
  });
  it('a manual pause stops everything until it ends', () => {
    const paused = run([rule({ id: 'r' })], dm('price'), { automationPausedUntil: MONDAY_10_PARIS + MINUTE });
    expect(paused.outcome === 'no_reply' && paused.reason).toBe('automation_paused');
    expect(
      answeredBy(run([rule({ id: 'r' })], dm('price'), { automationPausedUntil: MONDAY_10_PARIS - 1 })),
    ).toBe('r');
  });
  it('a cooldown falls through to the next rule', () => {
    const d = run(
      [
        rule({ id: 'r', priority: 2, conditions: { cooldown: { perPersonSeconds: 600 } } }),
        rule({ id: 'next', priority: 1 }),
      ],
      dm('price'),
      { ruleHistory: { r: { lastFiredForPersonAt: MONDAY_10_PARIS - 1000 } } },
    );
    expect(answeredBy(d)).toBe('next');
  });
});

describe('events that never trigger rules', () => {
  it.each<[string, RuleEvent, string]>([
    ['echo from the phone', { kind: 'echo', text: 'price', isEcho: true }, 'echo'],
    ['dm flagged as echo', { kind: 'dm', text: 'price', isEcho: true }, 'echo'],
    ['our own message', { kind: 'dm', text: 'price', isEcho: true, sentByApp: true }, 'Switchboard'],
    ['reaction', { kind: 'reaction' }, 'Reactions'],
    ['read', { kind: 'read' }, 'Read receipts'],
    ['edit', { kind: 'edit', text: 'price' }, 'Edited'],
    ['delete', { kind: 'delete' }, 'Deleted'],
  ])('%s', (_name, event, note) => {
    const d = run(
      [
        rule({ id: 'r', conditions: { eventTypes: ['dm', 'comment'] } }),
        rule({ id: 'fb', isFallback: true, trigger: undefined }),
      ],
      event,
    );
    expect(d.outcome === 'no_reply' && d.reason).toBe('ignored_event');
    expect(d.trace.notes.join(' ')).toContain(note);
  });
  it('an echo not sent by the app starts the human takeover pause', () => {
    const d = run([rule({ id: 'r' })], { kind: 'echo', text: 'I will check', isEcho: true });
    expect(d.humanTakeover).toEqual({ pausedUntil: MONDAY_10_PARIS + 30 * MINUTE });
    expect(
      run([rule({ id: 'r' })], { kind: 'echo', isEcho: true, sentByApp: true }).humanTakeover,
    ).toBeUndefined();
  });
});

describe('opt-out', () => {
  const rules = [
    rule({ id: 'r', trigger: { type: 'keyword', keywords: ['start', 'price'] } }),
    rule({ id: 'fb', isFallback: true, trigger: undefined }),
  ];
  it.each(['STOP', 'stop', ' Stop! ', 'ＳＴＯＰ', 'unsubscribe'])(
    '%j sets opt-out and sends nothing',
    (text) => {
      const d = run(rules, dm(text));
      expect(d.optOut).toBe('set');
      expect(d.outcome === 'no_reply' && d.reason).toBe('opt_out_set');
    },
  );
  it('"stop sending me ads" is not an opt-out word', () => {
    expect(run(rules, dm('stop sending me ads')).optOut).toBeUndefined();
  });
  it('an opted-out person gets nothing, not even the fallback', () => {
    const d = run(rules, dm('price'), { optedOut: true });
    expect(d.outcome === 'no_reply' && d.reason).toBe('opted_out');
  });
  it('START clears it and the message is then handled by the rules', () => {
    const d = run(rules, dm('START'), { optedOut: true });
    expect(d.optOut).toBe('cleared');
    expect(answeredBy(d)).toBe('r');
  });
  it('a blocked conversation gets nothing', () => {
    expect(run(rules, dm('price'), { status: 'blocked' }).outcome).toBe('no_reply');
  });
});
