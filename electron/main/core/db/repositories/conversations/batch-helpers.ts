/**
 * Small helpers for batched statements: composite keys and chunks that stay below the dialects'
 * limits on bound parameters.
 */

/** A map key for (account, natural key) pairs. */
export function pairKey(accountId: string, key: string): string {
  return `${accountId}\u0000${key}`;
}

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows read by id, at most 500 distinct ids per statement; ids not found are absent from the map. */
export async function readByIds<R extends { id: number | bigint }, V>(
  ids: readonly number[],
  read: (slice: number[]) => Promise<R[]>,
  toValue: (row: R) => V,
): Promise<Map<number, V>> {
  const found = new Map<number, V>();
  for (const slice of chunks([...new Set(ids)], 500))
    for (const row of await read(slice)) found.set(Number(row.id), toValue(row));
  return found;
}

/** Values grouped by key, in first-seen order. */
export function groupBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  value: (item: T) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(value(item));
    groups.set(key(item), list);
  }
  return groups;
}
