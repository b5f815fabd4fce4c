import { Fragment } from 'react';

// http(s) URLs and bare www. addresses; trailing punctuation stays text ("see https://x.com.").
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"']+/giu;
const TRAILING = /[.,;:!?)\]}»”’'"]+$/u;

/** The href for a matched link, or null when it is not a web address (never javascript:, data:, …). */
export function safeHref(raw: string): string | null {
  const candidate = raw.toLowerCase().startsWith('www.') ? `https://${raw}` : raw;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Text with its web addresses as links. Everything is rendered as React text nodes, so HTML or
 * script in a message shows as the characters it is made of, never as markup.
 */
export function LinkifiedText(props: { text: string }) {
  const parts: { text: string; href: string | null }[] = [];
  let last = 0;
  for (const match of props.text.matchAll(LINK)) {
    const start = match.index;
    const link = match[0].replace(TRAILING, '');
    const href = safeHref(link);
    if (start > last) parts.push({ text: props.text.slice(last, start), href: null });
    parts.push({ text: link, href });
    last = start + link.length;
  }
  if (last < props.text.length) parts.push({ text: props.text.slice(last), href: null });
  return (
    <>
      {parts.map((part, i) =>
        part.href ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
