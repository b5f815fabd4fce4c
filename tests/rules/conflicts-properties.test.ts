import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileRules, decide, findConflicts } from '../../shared/rules/index';
import type { KeywordMode, RuleEvent, RuleInput } from '../../shared/rules/index';
import { ACCOUNT, MONDAY_10_PARIS, conversation, rule } from './helpers';

const kw = (
  id: string,
  priority: number,
  keywords: string[],
  mode: KeywordMode = 'word',
  extra: Partial<RuleInput> = {},
) => rule({ id, priority, trigger: { type: 'keyword', keywords, mode }, ...extra });

describe('findConflicts', () => {
  it.each<[string, RuleInput[], Array<[string, string, string]>]>([
    [
      'same keyword, same mode, higher priority: never fires',
      [kw('a', 5, ['price']), kw('b', 1, ['price'])],
      [['never_fires', 'b', 'a']],
    ],
    [
      'accents and case do not hide it',
      [kw('a', 5, ['CAFÉ']), kw('b', 1, ['cafe'])],
      [['never_fires', 'b', 'a']],
    ],
    [
      'higher word keyword inside a lower phrase',
      [kw('a', 5, ['price']), kw('b', 1, ['price list'])],
      [['never_fires', 'b', 'a']],
    ],
    [
      'higher contains covers a lower word',
      [kw('a', 5, ['pric'], 'contains'), kw('b', 1, ['prices'])],
      [['never_fires', 'b', 'a']],
    ],
    [
      'higher word does not cover a lower contains',
      [kw('a', 5, ['price']), kw('b', 1, ['price'], 'contains')],
      [['same_keyword', 'b', 'a']],
    ],
    [
      'higher exact does not cover a lower word',
      [kw('a', 5, ['price'], 'exact'), kw('b', 1, ['price'])],
      [['same_keyword', 'b', 'a']],
    ],
    [
      'lower has one keyword of its own: it can fire',
      [kw('a', 5, ['price']), kw('b', 1, ['price', 'cost'])],
      [['same_keyword', 'b', 'a']],
    ],
    [
      'higher has a stricter condition: only same keyword',
      [kw('a', 5, ['price'], 'word', { conditions: { firstMessageOnly: true } }), kw('b', 1, ['price'])],
      [['same_keyword', 'b', 'a']],
    ],
    [
      'higher has a cooldown: only same keyword',
      [
        kw('a', 5, ['price'], 'word', { conditions: { cooldown: { perPersonSeconds: 60 } } }),
        kw('b', 1, ['price']),
      ],
      [['same_keyword', 'b', 'a']],
    ],
    [
      'higher is inactive: no conflict',
      [kw('a', 5, ['price'], 'word', { isActive: false }), kw('b', 1, ['price'])],
      [],
    ],
    ['different keywords: no conflict', [kw('a', 5, ['price']), kw('b', 1, ['menu'])], []],
    [
      'lower answers more event types than higher: not shadowed',
      [
        kw('a', 5, ['price']),
        kw('b', 1, ['price'], 'word', { conditions: { eventTypes: ['dm', 'comment'] } }),
      ],
      [['same_keyword', 'b', 'a']],
    ],
  ])('%s', (_name, rules, expected) => {
    const compiled = compileRules({ rules }, ACCOUNT);
    expect(compiled.errors).toEqual([]);
    const found = findConflicts(compiled).map((c): [string, string, string] => [
      c.kind,
      c.ruleId,
      c.kind === 'never_fires' ? c.byRuleId : c.otherRuleId,
    ]);
    expect(found).toEqual(expected);
  });
  it('runs on 10,000 rules', () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => kw(`r${i}`, i % 3, [`item${i}`, `item${i} set`]));
    const compiled = compileRules({ rules }, ACCOUNT);
    const conflicts = findConflicts(compiled);
    expect(conflicts).toEqual([]);
  });
});

const eventArb: fc.Arbitrary<RuleEvent> = fc.record(
  {
    kind: fc.constantFrom(
      'dm',
      'story_mention',
      'story_reply',
      'comment',
      'postback',
      'quick_reply',
      'referral',
      'echo',
      'reaction',
      'read',
      'delete',
      'edit',
      'other',
    ),
    id: fc.option(fc.string(), { nil: undefined }),
    text: fc.option(
      fc.oneof(
        fc.string(),
        fc.string({ unit: 'grapheme' }),
        fc.constantFrom('STOP', 'start', 'price', 'Café ❤️', '{{name}}', ''),
      ),
      { nil: undefined },
    ),
    isEcho: fc.option(fc.boolean(), { nil: undefined }),
    sentByApp: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['kind'] },
);

const ruleArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 8 }),
    accountId: fc.constant('acc-1'),
    name: fc.string({ minLength: 1, maxLength: 10 }),
    priority: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double(), fc.constant('x')),
    status: fc.constantFrom('draft', 'published'),
    isActive: fc.boolean(),
    isFallback: fc.boolean(),
    trigger: fc.oneof(
      fc.record({
        type: fc.constant('keyword'),
        keywords: fc.array(fc.oneof(fc.string(), fc.constantFrom('price', 'café', '❤️', 'a b')), {
          maxLength: 4,
        }),
        mode: fc.constantFrom('word', 'contains', 'exact', 'starts_with'),
      }),
      fc.record({
        type: fc.constant('pattern'),
        pattern: fc.oneof(fc.string(), fc.constantFrom('(a+)+$', '(?P<n>\\d+)', '(', '.*')),
      }),
      fc.record({
        type: fc.constant('intent'),
        intent: fc.constantFrom('hours', 'nope'),
        threshold: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    ),
    conditions: fc.oneof(
      fc.constant({}),
      fc.record({ eventTypes: fc.constant(['dm', 'comment']), firstMessageOnly: fc.boolean() }),
      fc.record({
        businessHours: fc.constant({ when: 'closed' }),
        cooldown: fc.constant({ perPersonSeconds: 60 }),
      }),
      fc.record({ bogus: fc.string() }),
    ),
    response: fc.oneof(
      fc.record({
        kind: fc.constant('text'),
        variants: fc.array(
          fc.oneof(fc.string(), fc.constantFrom('Hi {{name | "x"}}', '{{capture.n}}', '{{')),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      fc.record({
        kind: fc.constant('saved_template'),
        savedTemplateId: fc.string({ minLength: 1 }),
        params: fc.dictionary(fc.string(), fc.string()),
      }),
    ),
  }),
  fc.anything(),
);

describe('properties', () => {
  it('decide never throws and always returns a trace, whatever the rules and the event', () => {
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 8 }),
        eventArb,
        fc.boolean(),
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.constantFrom('summary', 'full'),
        (rules, event, optedOut, now, detail) => {
          const compiled = compileRules(
            { rules, intents: [{ name: 'hours', examples: ['when are you open'] }] },
            ACCOUNT,
          );
          const decision = decide(
            compiled,
            event,
            conversation({ optedOut, lastHumanReplyAt: now - 1000 }),
            now,
            { trace: detail, mode: 'draft' },
          );
          expect(decision.trace).toBeDefined();
          expect(Array.isArray(decision.trace.entries)).toBe(true);
          expect(decision.outcome === 'reply' || decision.outcome === 'no_reply').toBe(true);
          expect(decision.outcome === 'no_reply' && decision.reason === 'engine_error').toBe(false);
          // Every rule that failed to compile is in the trace.
          const compileErrors = compiled.errors.filter((e) => e.kind === 'rule').length;
          expect(decision.trace.entries.filter((e) => e.outcome === 'compile_error')).toHaveLength(
            compileErrors,
          );
          // At most one rule answers.
          expect(decision.trace.entries.filter((e) => e.outcome === 'matched').length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 400 },
    );
  });
  it('a full trace has exactly one entry per rule for a rule event', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 8 }), fc.string(), (rules, text) => {
        const compiled = compileRules({ rules }, ACCOUNT);
        const decision = decide(
          compiled,
          { kind: 'dm', text: `x ${text}` },
          conversation(),
          MONDAY_10_PARIS,
          { trace: 'full', mode: 'draft' },
        );
        const reachedRules = decision.trace.notes.some((n) => n.includes('opt-out'))
          ? 0
          : compiled.rules.length;
        expect(decision.trace.entries.length).toBe(
          reachedRules + compiled.errors.filter((e) => e.kind === 'rule').length,
        );
      }),
      { numRuns: 300 },
    );
  });
});
