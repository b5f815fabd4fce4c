/**
 * Opaque keyset cursors: a position (time, id) in a newest-first list, as a short string.
 *
 * Opaque so clients pass them back untouched; a malformed one is a client error, never a crash.
 */
import { ApiError } from '../api/api-error';

/** Encodes a position after which the next page starts. */
export function encodeCursor(at: Date, id: number): string {
  return `${at.getTime().toString(36)}.${id.toString(36)}`;
}

/** Decodes a cursor from `encodeCursor`; throws INVALID_INPUT for anything else. */
export function decodeCursor(cursor: string): { at: Date; id: number } {
  const match = /^(-?[0-9a-z]{1,12})\.([0-9a-z]{1,12})$/.exec(cursor);
  const at = match ? parseInt(match[1]!, 36) : NaN;
  const id = match ? parseInt(match[2]!, 36) : NaN;
  if (!Number.isSafeInteger(at) || !Number.isSafeInteger(id)) {
    throw new ApiError('INVALID_INPUT', 'This list position is not valid any more; reload the list.');
  }
  return { at: new Date(at), id };
}
