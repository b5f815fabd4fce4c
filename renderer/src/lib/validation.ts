import type { z } from 'zod';
import type { ContractError } from '../../../shared/contract';

/** The schema's own message for a value, or undefined when the value is valid. */
export function schemaMessage(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'This value is not valid.');
}

/**
 * Splits a contract error into messages per field (the last segment of each issue's path) and whatever
 * message has no field to sit next to.
 */
export function errorsByField<F extends string>(
  error: ContractError,
  fields: readonly F[],
): { fields: Partial<Record<F, string>>; general: string | null } {
  const byField: Partial<Record<F, string>> = {};
  const unplaced: string[] = [];
  for (const issue of error.issues ?? []) {
    const name = issue.path.split('.').at(-1) ?? '';
    const field = fields.find((candidate) => candidate === name);
    if (field && !byField[field]) byField[field] = capitalise(issue.message);
    else unplaced.push(issue.message);
  }
  const placed = Object.keys(byField).length > 0;
  // A conflict or an unavailable key explains itself in its message; field issues alone are enough otherwise.
  const general = !placed || error.code !== 'INVALID_INPUT' ? error.message : (unplaced[0] ?? null);
  return { fields: byField, general };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
