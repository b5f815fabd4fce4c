/**
 * Serialise a payload the way Meta does: JSON with every non-ASCII code unit
 * written as a lowercase `\uXXXX` escape, so emoji become surrogate pairs.
 *
 * This is what makes "hash the raw bytes" matter: a receiver that re-serialises
 * parsed JSON gets different bytes and a different signature (instagram-api.md §2).
 */
export function serializeLikeMeta(payload: unknown, options: { escapeSlashes?: boolean } = {}): string {
  const json = JSON.stringify(payload);
  if (json === undefined) throw new TypeError('payload is not JSON-serialisable');
  const escaped = json.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // Meta's PHP-style encoder is widely reported to escape "/" too; unverified, so off by default.
  return options.escapeSlashes ? escaped.replace(/\//g, '\\/') : escaped;
}
