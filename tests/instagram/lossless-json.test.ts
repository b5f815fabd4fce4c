import { describe, expect, it } from 'vitest';
import { parseJsonLossless, quoteUnsafeIntegers } from '../../shared/instagram';

describe('quoteUnsafeIntegers', () => {
  it.each([
    {
      name: 'unsafe integer value',
      text: '{"id":17841405726653026}',
      out: '{"id":"17841405726653026"}',
      count: 1,
    },
    {
      name: 'safe 16-digit integer stays a number',
      text: '{"id":9007199254740991}',
      out: '{"id":9007199254740991}',
      count: 0,
    },
    { name: 'first unsafe integer', text: '[9007199254740992]', out: '["9007199254740992"]', count: 1 },
    {
      name: 'negative unsafe integer',
      text: '[-17841405726653026]',
      out: '["-17841405726653026"]',
      count: 1,
    },
    {
      name: 'digits inside strings untouched',
      text: '{"t":"17841405726653026","u":"a\\"17841405726653026"}',
      out: '{"t":"17841405726653026","u":"a\\"17841405726653026"}',
      count: 0,
    },
    {
      name: 'escaped backslash before a closing quote',
      text: '["\\\\",17841405726653026]',
      out: '["\\\\","17841405726653026"]',
      count: 1,
    },
    {
      name: 'floats and exponents untouched',
      text: '[17841405726653026.5,1.7841405726653026e16,1e400]',
      out: '[17841405726653026.5,1.7841405726653026e16,1e400]',
      count: 0,
    },
    {
      name: 'several, with whitespace',
      text: '{ "a" : 17841405726653026 , "b":[ 25412345678901237 ,1] }',
      out: '{ "a" : "17841405726653026" , "b":[ "25412345678901237" ,1] }',
      count: 2,
    },
  ])('$name', ({ text, out, count }) => {
    expect(quoteUnsafeIntegers(text)).toEqual({ text: out, count });
  });
});

describe('parseJsonLossless', () => {
  it('plain JSON parses as JSON.parse does', () => {
    expect(parseJsonLossless('{"a":[1,"x",null,true]}')).toEqual({
      ok: true,
      value: { a: [1, 'x', null, true] },
      quotedIntegers: 0,
    });
  });

  it('keeps big integers exact, as strings', () => {
    expect(parseJsonLossless('{"id":17841405726653026,"ts":1762010783728}')).toEqual({
      ok: true,
      value: { id: '17841405726653026', ts: 1762010783728 },
      quotedIntegers: 1,
    });
  });

  it('never turns invalid JSON into valid JSON (a bare number as a key stays an error)', () => {
    expect(parseJsonLossless('{17841405726653026: 1}')).toMatchObject({ ok: false });
  });

  it('reports invalid JSON without throwing', () => {
    expect(parseJsonLossless('{"a":')).toMatchObject({ ok: false });
  });
});
