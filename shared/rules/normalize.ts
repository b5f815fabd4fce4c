/**
 * Text normalisation shared by keyword matching, opt-out words and the intent classifier.
 *
 * Staff type "café" and customers type "CAFE", "Café" or full-width "ＣＡＦＥ" on a phone keyboard; all of
 * them must meet. We fold case, accents and width with NFKD + removal of combining marks + lower-casing,
 * and collapse whitespace so multi-word phrases survive double spaces and line breaks.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const WHITESPACE_RUNS = /\s+/gu;
// Printable ASCII without upper-case letters needs no Unicode work at all: the common case for DMs.
const PLAIN_LOWER_ASCII = /^[\x20-\x40\x5b-\x7e]*$/;
// Characters that lower-casing does not fold the way customers expect.
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ς: 'σ',
  ı: 'i',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
};
const EXTRA_FOLD_CHARS = /[ßςıøđłæœ]/gu;

/**
 * Folds case, accents and character width and collapses whitespace.
 *
 * `normalizeText("  CAFÉ\n au  lait ")` is `"cafe au lait"`; `normalizeText("ＳＡＬＥ")` is `"sale"`.
 * Emoji are kept (a variation selector is a combining mark and is dropped on both sides alike).
 */
export function normalizeText(input: string): string {
  let text = input;
  if (!PLAIN_LOWER_ASCII.test(text)) {
    // Lower-case on both sides of NFKD: compatibility forms may decompose to capitals (㎒ → MHz), and
    // lower-casing İ yields i + a combining dot that the second strip removes.
    text = text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
    text = text
      .normalize('NFKD')
      .replace(COMBINING_MARKS, '')
      .replace(EXTRA_FOLD_CHARS, (c) => EXTRA_FOLDS[c] ?? c);
  }
  return text.replace(WHITESPACE_RUNS, ' ').trim();
}

// Scripts written without spaces between words: every character is its own boundary, otherwise a
// whole-word keyword could never match Japanese, Chinese or Thai text.
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const SEPARATOR_CHAR = /^[\p{P}\p{Z}\s]$/u;

// ASCII lookup tables: the automaton calls these on every keyword hit.
const ASCII_WORD = new Uint8Array(128);
const ASCII_SEPARATOR = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const ch = String.fromCharCode(c);
  ASCII_WORD[c] = WORD_CHAR.test(ch) ? 1 : 0;
  ASCII_SEPARATOR[c] = SEPARATOR_CHAR.test(ch) ? 1 : 0;
}

/** The code point that contains the UTF-16 unit at `index` (either half of a surrogate pair). */
function codePointAround(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit >= 0xdc00 && unit <= 0xdfff && index > 0) {
    const high = text.charCodeAt(index - 1);
    if (high >= 0xd800 && high <= 0xdbff) return ((high - 0xd800) << 10) + (unit - 0xdc00) + 0x10000;
  }
  return text.codePointAt(index) ?? unit;
}

/**
 * Whether the character at UTF-16 index `index` continues a word, for whole-word matching.
 *
 * Letters, digits, marks and `_` do; punctuation, spaces, emoji and characters of scripts written
 * without spaces (Han, kana, Thai…) do not. Out-of-range indexes are boundaries.
 */
export function isWordCharAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const unit = text.charCodeAt(index);
  if (unit < 128) return ASCII_WORD[unit] === 1;
  const ch = String.fromCodePoint(codePointAround(text, index));
  return WORD_CHAR.test(ch) && !NO_SPACE_SCRIPT.test(ch);
}

/** Whether the character at `index` is punctuation or whitespace (ignored around "exact" and "starts with" keywords). */
export function isSeparatorAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit < 128) return ASCII_SEPARATOR[unit] === 1;
  return SEPARATOR_CHAR.test(String.fromCodePoint(codePointAround(text, index)));
}

/**
 * Bounds of a normalised message without leading and trailing punctuation and spaces.
 *
 * "Price?!" has the core "price": an "exact" keyword must cover the whole core.
 */
export function coreBounds(text: string): { start: number; end: number } {
  let start = 0;
  let end = text.length;
  while (start < end && isSeparatorAt(text, start)) start += 1;
  while (end > start && isSeparatorAt(text, end - 1)) end -= 1;
  return { start, end };
}

/** Number of bytes of `text` in UTF-8 (Graph limits are in bytes; `shared/` has no TextEncoder type). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Number of user-visible code points (quick-reply titles are limited in characters, not UTF-16 units). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
