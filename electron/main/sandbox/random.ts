import { randomInt } from 'node:crypto';

/**
 * A small deterministic random source.
 *
 * The scenario runner and the webhook simulator's duplication/reordering must
 * produce identical output for the same seed, so nothing in the sandbox that
 * affects output calls `Math.random()`.
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` decimal digits; the first is never 0. */
  digits(length: number): string;
  /** A string of `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string;
}

const UINT32 = 4294967296;

/**
 * mulberry32: a 32-bit PRNG with good enough statistics for test data and a
 * state small enough to reason about. Not for secrets.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      const item = items[int(items.length)];
      if (item === undefined) throw new Error('pick() needs a non-empty array');
      return item;
    },
    digits(length: number): string {
      let out = String(1 + int(9));
      for (let i = 1; i < length; i++) out += String(int(10));
      return out;
    },
    chars(length: number, alphabet: string): string {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet.charAt(int(alphabet.length));
      return out;
    },
  };
}

/** A fresh seed from the OS, for runs that do not ask for determinism. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}
