import { describe, expect, it } from 'vitest';
import { IntentClassifier, compilePattern, compileRules, decide } from '../../shared/rules/index';
import { ACCOUNT, MONDAY_10_PARIS, conversation, rule } from './helpers';

describe('pattern triggers (RE2)', () => {
  it('named captures fill the reply', () => {
    const compiled = compileRules(
      {
        rules: [
          rule({
            id: 'order',
            trigger: { type: 'pattern', pattern: 'order\\s*#?(?P<number>\\d+)' },
            response: { kind: 'text', variants: ['Looking up order {{capture.number}}'] },
          }),
        ],
      },
      ACCOUNT,
    );
    const d = decide(
      compiled,
      { kind: 'dm', text: 'Hi, ORDER #4521 is late' },
      conversation(),
      MONDAY_10_PARIS,
    );
    expect(d.outcome === 'reply' && d.response.kind === 'text' && d.response.text).toBe(
      'Looking up order 4521',
    );
    expect(d.trace.entries.find((e) => e.ruleId === 'order')?.captures).toEqual({ number: '4521' });
  });
  it('flags: case-sensitive when "i" is absent', () => {
    const compiled = compileRules(
      { rules: [rule({ id: 'p', trigger: { type: 'pattern', pattern: 'SKU-\\d+', flags: '' } })] },
      ACCOUNT,
    );
    expect(decide(compiled, { kind: 'dm', text: 'sku-12' }, conversation(), MONDAY_10_PARIS).outcome).toBe(
      'no_reply',
    );
    expect(decide(compiled, { kind: 'dm', text: 'SKU-12' }, conversation(), MONDAY_10_PARIS).outcome).toBe(
      'reply',
    );
  });
  it('an invalid pattern is rejected with the engine message and the other rules still work', () => {
    const compiled = compileRules(
      {
        rules: [
          rule({ id: 'bad', trigger: { type: 'pattern', pattern: '(unclosed' } }),
          rule({ id: 'good' }),
        ],
      },
      ACCOUNT,
    );
    expect(compiled.errors).toHaveLength(1);
    expect(compiled.errors[0]?.id).toBe('bad');
    expect(compiled.errors[0]?.messages.join(' ')).toContain('missing closing )');
    const d = decide(compiled, { kind: 'dm', text: 'price' }, conversation(), MONDAY_10_PARIS);
    expect(d.outcome === 'reply' && d.rule.id).toBe('good');
    expect(d.trace.entries.find((e) => e.ruleId === 'bad')?.outcome).toBe('compile_error');
  });
  it('backreferences and lookaheads (not linear-time) are refused', () => {
    expect(compilePattern('(a)\\1', 'i').ok).toBe(false);
    expect(compilePattern('a(?=b)', 'i').ok).toBe(false);
  });
  it.each<[string, string, boolean]>([
    ['(a+)+$', `${'a'.repeat(15_000)}b`, false],
    ['(a+)+$', 'a'.repeat(15_000), true],
    ['(a|aa)+b', 'a'.repeat(15_000), false],
    ['(a|aa)+b', `${'a'.repeat(15_000)}b`, true],
    ['(.*a){20}', 'a'.repeat(19), false],
    ['(.*a){20}', `${'xa'.repeat(10_000)}`, true],
    ['^(\\w+\\s?)*$', `${'word '.repeat(3_000)}!`, false],
  ])('catastrophic pattern %j on a long input ends with the right answer', (pattern, text, expected) => {
    const compiled = compileRules(
      { rules: [rule({ id: 'p', trigger: { type: 'pattern', pattern, flags: '' } })] },
      ACCOUNT,
    );
    expect(compiled.errors).toEqual([]);
    expect(decide(compiled, { kind: 'dm', text }, conversation(), MONDAY_10_PARIS).outcome === 'reply').toBe(
      expected,
    );
  });
});

describe('intent triggers', () => {
  const intents = [
    {
      name: 'opening_hours',
      examples: [
        'when are you open',
        'are you open on sunday',
        'what are your opening hours',
        'what time do you close',
      ],
    },
    {
      name: 'delivery',
      examples: ['do you deliver', 'can you ship to my city', 'how much is delivery', 'delivery to paris'],
    },
  ];
  const classifier = new IntentClassifier(intents);

  it.each<[string, string]>([
    ['Are you open Sunday?', 'opening_hours'],
    ['what time do u close today', 'opening_hours'],
    ['Do you deliver to Lyon?', 'delivery'],
    ['can you ship it to marseille', 'delivery'],
  ])('%j is closest to %s', (text, expected) => {
    const scores = classifier.classify(text);
    const best = [...scores.entries()].sort((a, b) => b[1].score - a[1].score)[0];
    expect(best?.[0]).toBe(expected);
  });
  it('an example phrase itself scores 1 and an unrelated message scores 0', () => {
    expect(classifier.classify('When are you OPEN?').get('opening_hours')?.score).toBeCloseTo(1, 6);
    expect(classifier.classify('xyz qqq').get('opening_hours')?.score).toBe(0);
  });
  it('the threshold decides and the trace carries the score', () => {
    const rules = [
      rule({ id: 'hours', trigger: { type: 'intent', intent: 'opening_hours', threshold: 0.99 } }),
    ];
    const strict = compileRules({ rules, intents }, ACCOUNT);
    const d = decide(strict, { kind: 'dm', text: 'are you open sunday?' }, conversation(), MONDAY_10_PARIS);
    expect(d.outcome).toBe('no_reply');
    const entry = d.trace.entries.find((e) => e.ruleId === 'hours');
    expect(entry?.outcome).toBe('trigger_not_matched');
    expect(entry?.intentScore).toBeGreaterThan(0.3);
    expect(entry?.intentScore).toBeLessThan(0.99);
    const lenient = compileRules(
      {
        rules: [rule({ id: 'hours', trigger: { type: 'intent', intent: 'opening_hours', threshold: 0.3 } })],
        intents,
      },
      ACCOUNT,
    );
    expect(
      decide(lenient, { kind: 'dm', text: 'are you open sunday?' }, conversation(), MONDAY_10_PARIS).outcome,
    ).toBe('reply');
  });
  it('an intent with no examples is rejected, and rules using it do not compile', () => {
    const compiled = compileRules(
      {
        rules: [rule({ id: 'x', trigger: { type: 'intent', intent: 'empty', threshold: 0.5 } })],
        intents: [{ name: 'empty', examples: [] }],
      },
      ACCOUNT,
    );
    expect(compiled.errors.map((e) => e.kind)).toEqual(['intent', 'rule']);
    expect(compiled.errors[0]?.messages.join(' ')).toContain('at least one example');
    expect(compiled.errors[1]?.messages.join(' ')).toContain('"empty" does not exist');
  });
});

describe('long messages', () => {
  it('only the first 20,000 characters are examined, and the trace says so', () => {
    const compiled = compileRules(
      { rules: [rule({ id: 'tail', trigger: { type: 'keyword', keywords: ['tail'] } })] },
      ACCOUNT,
    );
    const d = decide(
      compiled,
      { kind: 'dm', text: `${'x '.repeat(10_000)}tail` },
      conversation(),
      MONDAY_10_PARIS,
    );
    expect(d.outcome).toBe('no_reply');
    expect(d.trace.notes.join(' ')).toContain('first 20000 characters');
  });
});
