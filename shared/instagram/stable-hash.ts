/**
 * A stable fingerprint of a JSON value, for dedup keys of items that carry no id.
 *
 * Why not `JSON.stringify` + a crypto hash: `shared/` has no Node or DOM crypto, key order
 * in Meta's payloads is not guaranteed between retries, and `JSON.stringify` recurses, so a
 * hostile body nested a few thousand levels deep would throw. This walks iteratively with
 * sorted keys and hashes the result with two independently seeded 53-bit cyrb53 passes
 * (about 106 bits: collisions are not a practical concern for one account's deliveries).
 */

type Work = { kind: 'value'; value: unknown } | { kind: 'token'; token: string };

/** Canonical JSON text of a value: object keys sorted, no whitespace. Iterative; never throws. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const work: Work[] = [{ kind: 'value', value }];
  while (work.length > 0) {
    const next = work.pop();
    if (next === undefined) break;
    if (next.kind === 'token') {
      out.push(next.token);
      continue;
    }
    const current = next.value;
    if (Array.isArray(current)) {
      out.push('[');
      work.push({ kind: 'token', token: ']' });
      for (let i = current.length - 1; i >= 0; i -= 1) {
        work.push({ kind: 'value', value: current[i] as unknown });
        if (i > 0) work.push({ kind: 'token', token: ',' });
      }
    } else if (current !== null && typeof current === 'object') {
      const record = current as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      out.push('{');
      work.push({ kind: 'token', token: '}' });
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i] as string;
        work.push({ kind: 'value', value: record[key] });
        work.push({ kind: 'token', token: `${JSON.stringify(key)}:` });
        if (i > 0) work.push({ kind: 'token', token: ',' });
      }
    } else {
      out.push(primitiveJson(current));
    }
  }
  return out.join('');
}

/** A 28-hex-digit fingerprint of `value`, equal for values equal as JSON (key order ignored). */
export function stableHash(value: unknown): string {
  const text = canonicalJson(value);
  return (
    cyrb53(text, 0x9e3779b9).toString(16).padStart(14, '0') +
    cyrb53(text, 0x85ebca6b).toString(16).padStart(14, '0')
  );
}

function primitiveJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return 'null';
}

/** cyrb53 (public domain, bryc): a fast 53-bit string hash with good avalanche. */
function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
