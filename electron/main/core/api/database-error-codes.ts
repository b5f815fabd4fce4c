import type { ErrorCode } from '../../../../shared/contract';
import type { DatabaseErrorCode } from '../db';

/** How each database failure reaches a client: the repository's plain-words message, under a contract code. */
export const contractCodeForDatabaseError: Record<
  DatabaseErrorCode,
  Exclude<ErrorCode, 'INTERNAL'> | 'INTERNAL'
> = {
  DB_INVALID_INPUT: 'INVALID_INPUT',
  DB_CONFLICT: 'CONFLICT',
  DB_NOT_FOUND: 'NOT_FOUND',
  DB_CONFIG: 'UNAVAILABLE',
  DB_UNREACHABLE: 'UNAVAILABLE',
  DB_AUTH: 'UNAVAILABLE',
  DB_MISSING: 'UNAVAILABLE',
  DB_PRIVILEGES: 'UNAVAILABLE',
  DB_READONLY: 'UNAVAILABLE',
  DB_DISK_FULL: 'UNAVAILABLE',
  DB_CORRUPT: 'UNAVAILABLE',
  DB_BUSY: 'UNAVAILABLE',
  DB_MIGRATION_FAILED: 'UNAVAILABLE',
  DB_UNKNOWN: 'INTERNAL',
};
