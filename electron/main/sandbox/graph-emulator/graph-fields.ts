/**
 * Graph's `fields=` selection and its time format.
 */
import { graphErrors } from './errors';
import type { GraphCall } from './graph-types';

function fieldsOf(call: GraphCall, defaults: string[]): string[] {
  const raw = call.query.get('fields');
  if (raw === null || raw.trim() === '') return defaults;
  return raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
}

/** Graph's `created_time` format: `2022-07-12T19:11:07+0000`. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export function pickFields(
  call: GraphCall,
  nodeType: string,
  available: Record<string, () => unknown>,
  defaults: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(call, defaults)) {
    const get = available[field];
    if (!get)
      throw graphErrors.param(`Tried accessing nonexisting field (${field}) on node type (${nodeType})`);
    out[field] = get();
  }
  return out;
}
