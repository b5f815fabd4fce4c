/**
 * Input checks that run before the database sees a value.
 *
 * Column limits here mirror the migrations. Checking in the app gives the same clear error on
 * both dialects: SQLite would store an over-long string silently, MariaDB would reject it with a
 * message about column widths that no one on the agency floor should have to read.
 */
import { z } from 'zod';
import { DatabaseError } from './errors';

/** A string of at most `max` characters (code points, as MariaDB counts them for utf8mb4). */
export function varchar(max: number): z.ZodString {
  return z.string().refine((value) => value.length <= max || codePoints(value) <= max, {
    message: `must be at most ${max} characters`,
  });
}

/**
 * Code points in `value`, without building an array of them (checked on every stored message). Only
 * needed when the UTF-16 length is over the limit: there are never more code points than code units.
 */
function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** An id stored in an ASCII column: printable ASCII without spaces, at most `max` characters. */
export function asciiId(max: number): z.ZodString {
  return z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(/^[\x21-\x7e]+$/, { message: 'must contain only printable ASCII characters without spaces' });
}

/** Longest TEXT on MariaDB, in bytes (a character can take up to 4 bytes in utf8mb4). */
export const TEXT_MAX_BYTES = 65_535;

/** A TEXT column: at most 65,535 bytes of UTF-8. */
export function longText(): z.ZodString {
  return z.string().refine((value) => Buffer.byteLength(value, 'utf8') <= TEXT_MAX_BYTES, {
    message: `must be at most ${TEXT_MAX_BYTES} bytes of UTF-8`,
  });
}

/** A valid instant within what DATETIME(3) can hold. */
export const instant = z
  .date({ message: 'must be a date' })
  .refine((value) => !Number.isNaN(value.getTime()), { message: 'must be a valid date' })
  .refine((value) => value.getUTCFullYear() >= 1970 && value.getUTCFullYear() <= 9999, {
    message: 'must be between 1970 and 9999',
  });

/** A JSON-compatible value. */
export type JsonValue = z.infer<ReturnType<typeof z.json>>;

/** Deeper than any payload Switchboard stores; also how a cycle ends. */
const JSON_MAX_DEPTH = 256;

/**
 * Whether `value` is JSON data: strings, finite numbers, booleans, null, arrays and plain objects of
 * those. Hand-written because `z.json()` tries each branch of a union at every node: it was the largest
 * part of validating a stored message (the raw event and the rule trace are checked on every ingest).
 */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > JSON_MAX_DEPTH) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (!isJsonValue(item, depth + 1)) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const item of Object.values(value)) if (!isJsonValue(item, depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** Any JSON value (no undefined, functions, NaN, BigInt, class instances or cycles). */
export const jsonValue = z.custom<JsonValue>((value) => isJsonValue(value), {
  message: 'must be JSON data (text, numbers, true/false, null, lists and objects)',
});

/**
 * Parses `input` with `schema`, or throws `DatabaseError('DB_INVALID_INPUT')` naming the field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  const reason = issue?.message ?? 'is invalid';
  throw new DatabaseError(
    'DB_INVALID_INPUT',
    field
      ? `Invalid ${what}: ${field} ${reason.startsWith('must') ? reason : `is invalid (${reason})`}.`
      : `Invalid ${what}: ${reason}.`,
    field ? `Correct the ${field} value and try again.` : 'Correct the value and try again.',
    field ? { field } : undefined,
  );
}

/** JSON text for a column. Throws `DB_INVALID_INPUT` for values JSON cannot represent. */
export function toJsonText(value: unknown, field: string): string {
  const checked = jsonValue.safeParse(value);
  if (!checked.success) {
    throw new DatabaseError(
      'DB_INVALID_INPUT',
      `Invalid ${field}: it is not valid JSON data.`,
      `Correct the ${field} value and try again.`,
      { field },
    );
  }
  // Cycles pass the schema check but cannot be serialised.
  return checkedJsonText(checked.data, field);
}

/**
 * JSON text for a value an input schema has already accepted as JSON (`jsonValue`): `toJsonText` would walk
 * it a second time. Only serialisation can still fail (a cycle).
 */
export function checkedJsonText(value: JsonValue, field: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new DatabaseError(
      'DB_INVALID_INPUT',
      `Invalid ${field}: it is not valid JSON data.`,
      `Correct the ${field} value and try again.`,
      { field, cause },
    );
  }
}

/** Parses JSON text read from a column. */
export function fromJsonText<T>(text: string): T {
  return JSON.parse(text) as T;
}
