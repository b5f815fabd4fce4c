/** The saved-reply helpers shared by the core and the composer: names, bodies, filling, the picker's order. */
import { describe, expect, it } from 'vitest';
import {
  filterSavedReplies,
  renderSavedReply,
  savedReplyBodyProblems,
  savedReplyNameProblem,
  unfilledVariables,
} from '../../shared/saved-replies';

describe('saved reply names and bodies', () => {
  it('takes one word of letters, digits, "-" and "_", in any script', () => {
    expect(savedReplyNameProblem('opening-hours')).toBeNull();
    expect(savedReplyNameProblem('horário_2')).toBeNull();
    expect(savedReplyNameProblem('')).toMatch(/short name/);
    expect(savedReplyNameProblem('two words')).toMatch(/one word/);
    expect(savedReplyNameProblem('<b>')).toMatch(/one word/);
    expect(savedReplyNameProblem('x'.repeat(41))).toMatch(/up to 40/);
  });

  it('reports empty bodies, unknown variables and syntax with what to fix', () => {
    expect(savedReplyBodyProblems('  ', null)[0]?.message).toMatch(/Write the text/);
    expect(savedReplyBodyProblems('Hi {{nmae}}', null)[0]?.message).toMatch(/Unknown variable \{\{nmae\}\}/);
    expect(savedReplyBodyProblems('Hi {{name | there}}', null)[0]?.message).toMatch(/double quotes/);
    expect(savedReplyBodyProblems('{{var.x}}', ['y'])[0]?.message).toMatch(/no variable "x"/);
    expect(savedReplyBodyProblems('{{var.x}} {{name | "you"}}', null)).toEqual([]);
  });
});

describe('filling a saved reply', () => {
  const values = { name: 'Ana Lima', username: null, account: { name: 'Bakery' } };

  it('uses values, then fallbacks, and leaves a variable with neither in place', () => {
    expect(
      renderSavedReply('Hi {{first_name}} @{{username | "you"}} {{var.code}} {{var.code}}', values),
    ).toEqual({
      text: 'Hi Ana @you {{var.code}} {{var.code}}',
      missing: ['var.code'],
    });
  });

  it('finds variables still in a text about to be sent', () => {
    expect(unfilledVariables('Code {{var.code}} or {{ name | "x" }}, not {single}')).toEqual([
      'var.code',
      'name',
    ]);
    expect(unfilledVariables('plain')).toEqual([]);
  });
});

describe("the picker's order", () => {
  const replies = [
    { name: 'thanks', body: 'Thank you' },
    { name: 'hours', body: 'We open at 8' },
    { name: 'opening-hours', body: 'See the hours' },
    { name: 'prices', body: 'Thirty a month' },
  ];
  it('puts name prefixes first, then names containing it, then bodies', () => {
    expect(filterSavedReplies(replies, 'h').map((r) => r.name)).toEqual([
      'hours',
      'opening-hours',
      'thanks',
      'prices',
    ]);
    expect(filterSavedReplies(replies, 'HOUR').map((r) => r.name)).toEqual(['hours', 'opening-hours']);
    expect(filterSavedReplies(replies, 'month').map((r) => r.name)).toEqual(['prices']);
    expect(filterSavedReplies(replies, '').map((r) => r.name)).toEqual([
      'hours',
      'opening-hours',
      'prices',
      'thanks',
    ]);
    expect(filterSavedReplies(replies, 'zzz')).toEqual([]);
  });
});
