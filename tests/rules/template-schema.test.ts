import { describe, expect, it } from 'vitest';
import {
  ConditionsSchema,
  RuleSchema,
  checkTemplate,
  compileRules,
  decide,
  renderResponse,
  utf8ByteLength,
} from '../../shared/rules/index';
import { ACCOUNT, MONDAY_10_PARIS, conversation, rule } from './helpers';

const values = {
  username: 'ana.l',
  name: 'Ana Lima',
  account: { name: 'Rosa Bakery', username: 'rosabakery' },
  messageText: 'hi',
  captures: { size: '38' },
  variables: { city: 'Lyon' },
};

describe('template rendering', () => {
  it.each<[string, string]>([
    ['Hi {{name}}!', 'Hi Ana Lima!'],
    ['Hi {{ first_name }}!', 'Hi Ana!'],
    ['@{{username}} from {{account.name}} (@{{account.username}})', '@ana.l from Rosa Bakery (@rosabakery)'],
    ['You said: {{message.text}}', 'You said: hi'],
    ['Size {{capture.size}} in {{var.city}}', 'Size 38 in Lyon'],
  ])('%j → %j', (template, expected) => {
    const result = renderResponse(
      { kind: 'text', variants: [template], rotation: 'round_robin', quickReplies: [] },
      { ...values, captures: { ...values.captures } },
      {},
    );
    expect(result.ok && result.value.kind === 'text' && result.value.text).toBe(expected);
  });
  it('a missing name uses the fallback', () => {
    const result = renderResponse(
      { kind: 'text', variants: ['Hi {{name | "there"}}'], rotation: 'round_robin', quickReplies: [] },
      { ...values, name: null },
    );
    expect(result.ok && result.value.kind === 'text' && result.value.text).toBe('Hi there');
  });
  it.each<[string, string]>([
    ['Hi {{name', 'never closed'],
    ['Hi {{nmae}}', 'Unknown variable {{nmae}}'],
    ['Hi {{}}', 'Empty'],
    ['Hi {{name | there}}', 'double quotes'],
    ['Size {{capture.size}}', 'needs a pattern trigger'],
  ])('%j is rejected: %s', (template, message) => {
    const problems = checkTemplate(template, { captureNames: null, accountVariables: null });
    expect(problems.map((p) => p.message).join(' ')).toContain(message);
  });
  it('round robin follows the answered count; random is seeded', () => {
    const response = {
      kind: 'text' as const,
      variants: ['A', 'B', 'C'],
      rotation: 'round_robin' as const,
      quickReplies: [],
    };
    const texts = [0, 1, 2, 3].map((n) => {
      const r = renderResponse(response, values, { answeredCount: n });
      return r.ok && r.value.kind === 'text' ? r.value.text : null;
    });
    expect(texts).toEqual(['A', 'B', 'C', 'A']);
    const random = { ...response, rotation: 'random' as const };
    const first = renderResponse(random, values, { seed: 'mid.42' });
    const again = renderResponse(random, values, { seed: 'mid.42' });
    expect(first).toEqual(again);
    const seen = new Set(
      ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'].map((seed) =>
        JSON.stringify(renderResponse(random, values, { seed })),
      ),
    );
    expect(seen.size).toBeGreaterThan(1);
  });
  it('send_template renders its params', () => {
    const result = renderResponse(
      { kind: 'saved_template', savedTemplateId: 'tpl-9', params: { who: '{{first_name}}' } },
      values,
    );
    expect(result).toEqual({
      ok: true,
      value: { kind: 'send_template', templateId: 'tpl-9', params: { who: 'Ana' } },
    });
  });
});

describe('Graph limits at render time', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4);
  });
  it('1,000 bytes pass, 1,001 bytes fail with a typed error', () => {
    const ok = renderResponse(
      { kind: 'text', variants: ['a'.repeat(1000)], rotation: 'round_robin', quickReplies: [] },
      values,
    );
    expect(ok.ok).toBe(true);
    const tooLong = renderResponse(
      { kind: 'text', variants: ['é'.repeat(500) + 'a'], rotation: 'round_robin', quickReplies: [] },
      values,
    );
    expect(tooLong.ok === false && tooLong.error.code).toBe('text_too_long');
  });
  it('a message text that makes the reply too long stops the reply (render_failed), it does not throw', () => {
    const compiled = compileRules(
      { rules: [rule({ id: 'echo', response: { kind: 'text', variants: ['You said {{message.text}}'] } })] },
      ACCOUNT,
    );
    const d = decide(
      compiled,
      { kind: 'dm', text: `price ${'x'.repeat(1200)}` },
      conversation(),
      MONDAY_10_PARIS,
    );
    expect(d.outcome === 'no_reply' && d.reason).toBe('render_failed');
    expect(d.outcome === 'no_reply' && d.renderError?.code).toBe('text_too_long');
  });
  it('more than 13 quick replies or a title over 20 characters are typed errors', () => {
    const fourteen = Array.from({ length: 14 }, (_, i) => ({ title: `Option ${i}`, payload: `P${i}` }));
    const many = renderResponse(
      { kind: 'text', variants: ['Pick one'], rotation: 'round_robin', quickReplies: fourteen },
      values,
    );
    expect(many.ok === false && many.error.code).toBe('too_many_quick_replies');
    const long = renderResponse(
      {
        kind: 'text',
        variants: ['Pick'],
        rotation: 'round_robin',
        quickReplies: [{ title: 'A title that is too long', payload: 'P' }],
      },
      values,
    );
    expect(long.ok === false && long.error.code).toBe('quick_reply_title_too_long');
    const exact = renderResponse(
      {
        kind: 'text',
        variants: ['Pick'],
        rotation: 'round_robin',
        quickReplies: [{ title: '12345678901234567890', payload: 'P' }],
      },
      values,
    );
    expect(exact.ok).toBe(true);
  });
});

describe('schema: bad input is rejected with what to fix', () => {
  const messages = (input: unknown): string => {
    const parsed = RuleSchema.safeParse(input);
    return parsed.success ? '' : parsed.error.issues.map((i) => i.message).join(' | ');
  };
  it.each<[string, unknown, string]>([
    ['empty keyword', rule({ id: 'r', trigger: { type: 'keyword', keywords: ['  '] } }), 'keyword is empty'],
    ['no keywords', rule({ id: 'r', trigger: { type: 'keyword', keywords: [] } }), 'at least one keyword'],
    [
      '10,000 keywords',
      rule({
        id: 'r',
        trigger: { type: 'keyword', keywords: Array.from({ length: 10_000 }, (_, i) => `k${i}`) },
      }),
      'At most 500 keywords',
    ],
    [
      'keyword over 100 characters',
      rule({ id: 'r', trigger: { type: 'keyword', keywords: ['x'.repeat(101)] } }),
      'at most 100',
    ],
    [
      'invalid pattern',
      rule({ id: 'r', trigger: { type: 'pattern', pattern: '([a-z]' } }),
      'error parsing regexp: missing closing )',
    ],
    ['priority not a number', { ...rule({ id: 'r' }), priority: 'high' }, 'Priority must be a whole number'],
    ['priority 1.5', { ...rule({ id: 'r' }), priority: 1.5 }, 'Priority must be a whole number'],
    [
      'unknown condition',
      rule({ id: 'r', conditions: { eventTypes: ['dm'], businesHours: {} } as never }),
      'Unknown condition field(s): businesHours',
    ],
    [
      'unknown variable',
      rule({ id: 'r', response: { kind: 'text', variants: ['Hi {{nmae}}'] } }),
      'Unknown variable {{nmae}}',
    ],
    ['unclosed {{', rule({ id: 'r', response: { kind: 'text', variants: ['Hi {{name'] } }), 'never closed'],
    [
      'capture not in pattern',
      rule({
        id: 'r',
        trigger: { type: 'pattern', pattern: '(?P<size>\\d+)' },
        response: { kind: 'text', variants: ['{{capture.colour}}'] },
      }),
      'no group named "colour"',
    ],
    ['no trigger and not fallback', { ...rule({ id: 'r' }), trigger: undefined }, 'Choose a trigger'],
    [
      '14 quick replies',
      rule({
        id: 'r',
        response: {
          kind: 'text',
          variants: ['x'],
          quickReplies: Array.from({ length: 14 }, (_, i) => ({ title: `t${i}`, payload: 'p' })),
        },
      }),
      'at most 13',
    ],
    [
      'time not in HH:MM',
      {
        ...rule({ id: 'r' }),
        conditions: { businessHours: { when: 'open', hours: { days: ['mon'], from: '9am', to: '18:00' } } },
      },
      'HH:MM',
    ],
  ])('%s', (_name, input, expected) => {
    expect(messages(input)).toContain(expected);
  });
  it('a valid rule passes and gets defaults', () => {
    const parsed = RuleSchema.parse(rule({ id: 'r' }));
    expect(parsed.isActive).toBe(true);
    expect(parsed.trigger?.type === 'keyword' && parsed.trigger.mode).toBe('word');
    expect(ConditionsSchema.parse({})).toEqual({});
  });
  it('an unknown time zone is a compile error for the rules that need it, not for the others', () => {
    const compiled = compileRules(
      {
        rules: [
          rule({ id: 'hours', conditions: { businessHours: { when: 'open', timezone: 'Mars/Olympus' } } }),
          rule({ id: 'plain', priority: -1 }),
        ],
      },
      ACCOUNT,
    );
    expect(compiled.errors.map((e) => e.id)).toEqual(['hours']);
    expect(compiled.errors[0]?.messages.join(' ')).toContain('"Mars/Olympus" is not a time zone name');
    expect(decide(compiled, { kind: 'dm', text: 'price' }, conversation(), MONDAY_10_PARIS).outcome).toBe(
      'reply',
    );
  });
  it('an account variable that does not exist is a compile error', () => {
    const compiled = compileRules(
      { rules: [rule({ id: 'v', response: { kind: 'text', variants: ['In {{var.city}}'] } })] },
      ACCOUNT,
    );
    expect(compiled.errors[0]?.messages.join(' ')).toContain('no variable "city"');
    const withCity = compileRules(
      { rules: [rule({ id: 'v', response: { kind: 'text', variants: ['In {{var.city}}'] } })] },
      { ...ACCOUNT, variables: { city: 'Lyon' } },
    );
    expect(withCity.errors).toEqual([]);
  });
});
