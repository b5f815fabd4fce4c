/**
 * The repositories' value checks that run on every stored message: JSON data and column lengths in code
 * points (as MariaDB counts them for utf8mb4).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isJsonValue, varchar } from '../../electron/main/core/db/validation';

describe('isJsonValue', () => {
  it.each([
    ['a string', 'hé 👋'],
    ['a number', -12.5],
    ['true', true],
    ['null', null],
    ['an empty object', {}],
    ['nested lists and objects', { a: [1, { b: ['x', null, false] }], c: { d: {} } }],
    ['an object without prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('accepts %s', (_name, value) => {
    expect(isJsonValue(value)).toBe(true);
  });

  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = cycle;
  it.each([
    ['undefined', undefined],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a BigInt', 10n],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    [
      'a class instance',
      new (class Point {
        x = 1;
      })(),
    ],
    ['undefined inside a list', [1, undefined]],
    ['NaN deep inside', { a: { b: [{ c: Number.NaN }] } }],
    ['a cycle', cycle],
  ])('refuses %s', (_name, value) => {
    expect(isJsonValue(value)).toBe(false);
  });

  it('agrees with zod on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(isJsonValue(value)).toBe(z.json().safeParse(value).success);
      }),
      { numRuns: 300 },
    );
  });
});

describe('varchar counts code points, not UTF-16 units', () => {
  const five = varchar(5);
  it.each([
    ['five ASCII letters', 'abcde', true],
    ['six ASCII letters', 'abcdef', false],
    ['five emoji (ten UTF-16 units)', '👋👋👋👋👋', true],
    ['six emoji', '👋👋👋👋👋👋', false],
    ['a lone surrogate counts as one', '\ud83dabcd', true],
    ['combining accents count separately', 'e\u0301e\u0301e', true],
    ['combining accents over the limit', 'e\u0301e\u0301e\u0301', false],
  ])('%s', (_name, value, ok) => {
    expect(five.safeParse(value).success).toBe(ok);
  });

  it('agrees with counting [...value] for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (value, max) => {
          expect(varchar(max).safeParse(value).success).toBe([...value].length <= max);
        },
      ),
      { numRuns: 500 },
    );
  });
});
