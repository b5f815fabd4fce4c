import { describe, expect, it } from 'vitest';
import { compileRules, decide, normalizeText } from '../../shared/rules/index';
import type { KeywordMode } from '../../shared/rules/index';
import { ACCOUNT, MONDAY_10_PARIS, conversation, rule } from './helpers';

function fires(keywords: string[], mode: KeywordMode, text: string): boolean {
  const compiled = compileRules(
    { rules: [rule({ id: 'k', trigger: { type: 'keyword', keywords, mode } })] },
    ACCOUNT,
  );
  expect(compiled.errors).toEqual([]);
  return decide(compiled, { kind: 'dm', text }, conversation(), MONDAY_10_PARIS).outcome === 'reply';
}

describe('normalizeText', () => {
  it.each([
    ['CAFÉ', 'cafe'],
    ['ＳＡＬＥ', 'sale'],
    ['  Crème   brûlée\n\tplease ', 'creme brulee please'],
    ['Straße', 'strasse'],
    ['İstanbul', 'istanbul'],
    ['❤️', '❤'],
  ])('%j becomes %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('keyword triggers', () => {
  it.each<[string[], KeywordMode, string, boolean]>([
    // word (default): whole words, case-, accent- and width-insensitive
    [['price'], 'word', 'What is the PRICE?', true],
    [['price'], 'word', 'prices please', false],
    [['price'], 'word', 'overpriced', false],
    [['cafe'], 'word', 'Un CAFÉ svp', true],
    [['CAFÉ'], 'word', 'cafe?', true],
    [['sale'], 'word', 'ＳＡＬＥ today?', true],
    [['opening hours'], 'word', 'your opening   hours pls', true],
    [['opening hours'], 'word', 'opening times', false],
    [['❤️'], 'word', 'love it ❤', true],
    [['❤️'], 'word', 'love it❤️❤️', true],
    [['🎂'], 'word', 'happy birthday', false],
    [['東京'], 'word', '東京に行きます', true],
    [['t-shirt'], 'word', 'do you have the T-Shirt in red', true],
    [['price', 'cost'], 'word', 'how much does it cost', true],
    // contains: anywhere, even inside a word
    [['price'], 'contains', 'overpriced!', true],
    [['price'], 'contains', 'pric e', false],
    // exact: the whole message, ignoring surrounding punctuation and spaces
    [['menu'], 'exact', 'Menu!!', true],
    [['menu'], 'exact', ' MENU ', true],
    [['menu'], 'exact', 'menu please', false],
    [['menu'], 'exact', 'the menu', false],
    // starts_with: the message begins with the keyword as whole word(s)
    [['hi'], 'starts_with', 'Hi there', true],
    [['hi'], 'starts_with', '¡hi! there', true],
    [['hi'], 'starts_with', 'hiking trip', false],
    [['hi'], 'starts_with', 'oh hi', false],
  ])('%j (%s) on %j → %s', (keywords, mode, text, expected) => {
    expect(fires(keywords, mode, text)).toBe(expected);
  });

  it('reports which keyword matched, spelled as the rule spells it', () => {
    const compiled = compileRules(
      { rules: [rule({ id: 'k', trigger: { type: 'keyword', keywords: ['Gift Card', 'CAFÉ'] } })] },
      ACCOUNT,
    );
    const decision = decide(compiled, { kind: 'dm', text: 'a cafe please' }, conversation(), MONDAY_10_PARIS);
    const entry = decision.trace.entries.find((e) => e.ruleId === 'k');
    expect(entry?.outcome).toBe('matched');
    expect(entry?.keyword).toBe('CAFÉ');
  });

  it('scans 10,000 keyword rules with one automaton and picks the right one', () => {
    const rules = Array.from({ length: 10_000 }, (_, i) =>
      rule({ id: `r${i}`, priority: i % 7, trigger: { type: 'keyword', keywords: [`item${i}x`] } }),
    );
    const compiled = compileRules({ rules }, ACCOUNT);
    expect(compiled.errors).toEqual([]);
    const decision = decide(
      compiled,
      { kind: 'dm', text: 'do you still have item4242x?' },
      conversation(),
      MONDAY_10_PARIS,
    );
    expect(decision.outcome).toBe('reply');
    expect(decision.outcome === 'reply' && decision.rule.id).toBe('r4242');
    expect(decision.trace.keywordRulesNotMatched).toBe(9_999);
    expect(decision.trace.entries.map((e) => e.ruleId)).toEqual(['r4242']);
  });
});
