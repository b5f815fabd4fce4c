/**
 * JSON parsing that keeps integers too big for a JS number as exact strings.
 *
 * Why: Instagram ids (account ids like 17841405726653026, comment and media ids) are usually
 * sent as strings, but some senders (test tools, older samples, proxies that re-serialise)
 * put them in as bare JSON numbers. `JSON.parse` silently rounds any integer above
 * Number.MAX_SAFE_INTEGER (2^53 - 1), and a rounded id routes a message to the wrong
 * account or merges two customers. Node 20 has no reviver access to the source text, and a
 * hand-written JSON parser is more code to trust than this:
 *
 * 1. `JSON.parse` the text as is. This alone decides whether the body is valid JSON.
 * 2. Only if the text contains a run of 16+ digits (the first length that can exceed 2^53),
 *    rewrite every bare integer token outside string literals whose value is not a safe
 *    integer into a quoted string, then parse again. In valid JSON a number token can only
 *    be a value (keys are strings), so quoting it keeps the text valid; the key it sits
 *    under does not matter, because such a number was already corrupted by step 1.
 *
 * Consequence for callers: a big integer reaches the schemas (and the `raw` objects kept
 * for storage) as its exact digits in a string. Id schemas accept number or string and
 * always hand out strings; a field that must be a number (a timestamp) and is that large
 * is nonsense anyway and fails its schema.
 */

/** The outcome of {@link parseJsonLossless}; never thrown. */
export type LosslessJsonResult =
  { ok: true; value: unknown; quotedIntegers: number } | { ok: false; message: string };

const SIXTEEN_DIGITS = /\d{16}/;

/** Parses JSON text, keeping unsafe integers as exact digit strings. Never throws. */
export function parseJsonLossless(text: string): LosslessJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'not valid JSON' };
  }
  if (!SIXTEEN_DIGITS.test(text)) return { ok: true, value, quotedIntegers: 0 };
  const rewritten = quoteUnsafeIntegers(text);
  if (rewritten.count === 0) return { ok: true, value, quotedIntegers: 0 };
  try {
    return { ok: true, value: JSON.parse(rewritten.text), quotedIntegers: rewritten.count };
  } catch {
    // Cannot happen for text that parsed in step 1; keep the rounded value rather than fail.
    return { ok: true, value, quotedIntegers: 0 };
  }
}

/**
 * Wraps every integer token outside string literals that is not a safe integer in quotes.
 *
 * Only meaningful for text that is already known to be valid JSON: it does not validate.
 * A loop rather than one regular expression because a regex over multi-megabyte string
 * literals can exhaust the regex engine's backtracking stack.
 */
export function quoteUnsafeIntegers(text: string): { text: string; count: number } {
  const parts: string[] = [];
  let count = 0;
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (ch === MINUS || isDigit(ch)) {
      const start = i;
      i += 1;
      let integer = true;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (isDigit(c)) i += 1;
        else if (c === DOT || c === LOWER_E || c === UPPER_E || c === PLUS || c === MINUS) {
          integer = false;
          i += 1;
        } else break;
      }
      const token = text.slice(start, i);
      if (integer && !Number.isSafeInteger(Number(token))) {
        parts.push(text.slice(copiedUpTo, start), '"', token, '"');
        copiedUpTo = i;
        count += 1;
      }
      continue;
    }
    i += 1;
  }
  if (count === 0) return { text, count };
  parts.push(text.slice(copiedUpTo));
  return { text: parts.join(''), count };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Index just past the string literal that opens at `start` (or the end of the text). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else i += 1;
  }
  return text.length;
}
