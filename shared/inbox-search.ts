/**
 * What a search in the inbox means, for the database (which words to look for) and for the list (which
 * part of a message to show and mark). Words are prefixes, and case and accents are ignored.
 */

/** Characters that make a word searchable: letters, digits, marks and symbols (emoji). */
const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{So}\p{Sk}]/u;

/**
 * The query's words: split on spaces, a leading `@` dropped (usernames are typed that way),
 * words with nothing searchable in them (punctuation) left out. At most 8 words.
 */
export function searchTerms(query: string): string[] {
  return query
    .normalize('NFC')
    .split(/\s+/u)
    .map((word) => word.replace(/^@+/u, ''))
    .filter((word) => WORD_CHAR.test(word))
    .slice(0, 8);
}

/** Lower case, accents off (`Élan` → `elan`), as the search compares words. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A part of a text to show marked: `[start, end)` in UTF-16 units. */
export interface MarkedRange {
  start: number;
  end: number;
}

/**
 * Where the query's words occur in `text` as the search finds them: at the start of a word, ignoring case
 * and accents. Ranges are in order and do not overlap.
 */
export function matchRanges(text: string, query: string): MarkedRange[] {
  const terms = searchTerms(query)
    .map(foldForSearch)
    .filter((term) => term !== '');
  if (terms.length === 0) return [];
  // The folded text, and for each of its units the original unit it came from.
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    const part = foldForSearch(char);
    for (let i = 0; i < part.length; i++) origin.push(index);
    folded += part;
    index += char.length;
  }
  origin.push(text.length);
  const ranges: MarkedRange[] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      const before = at === 0 ? '' : text.slice(origin[at - 1], origin[at]);
      if (before !== '' && WORD_CHAR.test(before)) continue;
      // The match ends with the character its last folded unit came from, and that character's accents.
      const last = origin[at + term.length - 1]!;
      let end = last + (text.codePointAt(last)! > 0xffff ? 2 : 1);
      while (end < text.length && /\p{M}/u.test(text[end]!)) end += 1;
      ranges.push({ start: origin[at]!, end });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: MarkedRange[] = [];
  for (const range of ranges) {
    const previous = merged.at(-1);
    if (previous && range.start <= previous.end) previous.end = Math.max(previous.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Text before the first match that a one-line preview keeps; the rest is cut to `…`. */
const LEAD = 16;

/**
 * A one-line preview of a message that matched: starting near the first match, so the match is on
 * screen, with the matched parts marked.
 */
export function matchSnippet(text: string, query: string): { text: string; ranges: MarkedRange[] } {
  const ranges = matchRanges(text, query);
  const first = ranges[0];
  if (!first || first.start <= LEAD) return { text, ranges };
  // Cut at a space, so no word is shown in part.
  const space = text.lastIndexOf(' ', first.start - LEAD);
  const cut = space >= 0 ? space + 1 : first.start;
  const shift = cut - 1; // one unit for the `…`
  return {
    text: `…${text.slice(cut)}`,
    ranges: ranges.map((range) => ({ start: range.start - shift, end: range.end - shift })),
  };
}
