/**
 * What the conversation list marks in a search result: the query's words where the search finds them (at
 * the start of a word, case and accents ignored), in a preview that starts near the first match.
 */
import { expect, it } from 'vitest';
import { matchRanges, matchSnippet, type MarkedRange } from '../../shared/inbox-search';

/** The marked parts, as text. */
const marked = (text: string, ranges: MarkedRange[]) => ranges.map((r) => text.slice(r.start, r.end));

it('marks each word of the query at the start of a word, whatever its case and accents', () => {
  const text = 'Is the Crème brûlée gluten-free? CREME again';
  expect(marked(text, matchRanges(text, 'creme BRU'))).toEqual(['Crème', 'brû', 'CREME']);
  // Inside a word is not where the search finds it.
  expect(matchRanges('increment', 'creme')).toEqual([]);
  expect(marked('gluten-free', matchRanges('gluten-free', 'free'))).toEqual(['free']);
  expect(matchRanges('anything', '')).toEqual([]);
  expect(matchRanges('anything', '  ... ')).toEqual([]);
});

it('keeps a match whole: accents written apart, emoji, right-to-left text', () => {
  const decomposed = 'cafe\u0301 ok';
  expect(marked(decomposed, matchRanges(decomposed, 'cafe'))).toEqual(['cafe\u0301']);
  const emoji = 'Party 🎉🎉 time';
  expect(marked(emoji, matchRanges(emoji, '🎉'))).toEqual(['🎉']);
  const arabic = 'مرحبا، هل لديكم توصيل؟';
  expect(marked(arabic, matchRanges(arabic, 'هل'))).toEqual(['هل']);
});

it('merges words that overlap, and finds a username typed with @', () => {
  const text = 'shipping shipment';
  expect(matchRanges(text, 'ship shipping')).toEqual([
    { start: 0, end: 8 },
    { start: 9, end: 13 },
  ]);
  expect(marked('kimchi_lover', matchRanges('kimchi_lover', '@kimchi_lo'))).toEqual(['kimchi_lo']);
});

it('starts a long preview near the first match, at a word, with the match still marked', () => {
  const text = 'Good morning! I wanted to ask whether the croissants are ready by nine';
  const snippet = matchSnippet(text, 'croiss');
  // At least 16 characters before the match, cut at a space.
  expect(snippet.text).toBe('…ask whether the croissants are ready by nine');
  expect(marked(snippet.text, snippet.ranges)).toEqual(['croiss']);
  // A match near the start: the preview is the text as it is.
  expect(matchSnippet('Do you have croissants?', 'croissant')).toEqual({
    text: 'Do you have croissants?',
    ranges: [{ start: 12, end: 21 }],
  });
  expect(matchSnippet(text, 'nothing')).toEqual({ text, ranges: [] });
});
