/**
 * Database errors in plain words.
 *
 * Drivers report failures as errno numbers and SQLSTATEs; staff need to know which setting to
 * change. Every failure that leaves this module is a `DatabaseError` with a code from a small
 * closed set (so the UI can pick a screen) and a hint naming the setting to fix.
 */

/** The closed set of database failure kinds. */
export type DatabaseErrorCode =
  | 'DB_CONFIG'
  | 'DB_UNREACHABLE'
  | 'DB_AUTH'
  | 'DB_MISSING'
  | 'DB_PRIVILEGES'
  | 'DB_READONLY'
  | 'DB_DISK_FULL'
  | 'DB_CORRUPT'
  | 'DB_BUSY'
  | 'DB_MIGRATION_FAILED'
  | 'DB_INVALID_INPUT'
  | 'DB_CONFLICT'
  | 'DB_NOT_FOUND'
  | 'DB_UNKNOWN';

/** Which connection the error is about, so messages can name the host or the file. */
export interface ErrorTarget {
  dialect: 'sqlite' | 'mysql';
  /** SQLite file path, or `host:port/database` for MySQL. */
  where: string;
}

/** A database failure with a plain-words message and a hint naming the setting to fix. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';

  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    readonly hint: string,
    options?: { cause?: unknown; migrationName?: string; field?: string; detail?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.migrationName = options?.migrationName;
    this.field = options?.field;
    this.detail =
      options?.detail ?? (options?.cause instanceof DatabaseError ? options.cause.detail : undefined);
  }

  /** The database's own message, when the error came from the database. */
  readonly detail: string | undefined;

  /** Set when `code` is `DB_MIGRATION_FAILED`: the migration that failed. */
  readonly migrationName: string | undefined;
  /** Set when `code` is `DB_INVALID_INPUT`: the offending field. */
  readonly field: string | undefined;

  /** The shape errors take when they cross a process boundary (see STYLE.md). */
  toJSON(): { code: DatabaseErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

interface DriverErrorLike {
  code?: unknown;
  errno?: unknown;
  rawCode?: unknown;
  message?: unknown;
  sqlMessage?: unknown;
}

function driverFields(error: unknown): { code: string; errno: number; message: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorLike;
  const message =
    typeof e.sqlMessage === 'string'
      ? e.sqlMessage
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  return {
    code: typeof e.code === 'string' ? e.code : '',
    errno: typeof e.errno === 'number' ? e.errno : typeof e.rawCode === 'number' ? e.rawCode : 0,
    message,
  };
}

/** The database's own message, for logs and "details" panes. */
export function driverMessage(error: unknown): string {
  return driverFields(error).message;
}

const mysqlSettings =
  'the MySQL settings (Settings → Database, or MYSQL_HOST / MYSQL_PORT / MYSQL_DATABASE / MYSQL_USERNAME / MYSQL_PASSWORD)';

/**
 * Translates a driver error into a `DatabaseError`; returns `error` unchanged if it already is one.
 *
 * Unknown failures keep the database's own message so nothing is hidden.
 */
export function toDatabaseError(error: unknown, target: ErrorTarget): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const { code, errno, message } = driverFields(error);
  const translated =
    constraintError(code, errno, message, error) ??
    (target.dialect === 'sqlite'
      ? sqliteError(code, errno, message, target.where, error)
      : mysqlError(code, errno, message, target.where, error));
  return new DatabaseError(translated.code, translated.message, translated.hint, {
    cause: error,
    detail: message,
  });
}

function constraintError(code: string, errno: number, message: string, cause: unknown): DatabaseError | null {
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || errno === 1062) {
    return new DatabaseError(
      'DB_CONFLICT',
      `That record already exists (${message}).`,
      'Reload and edit the existing record instead of adding it again.',
      { cause },
    );
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || errno === 1451 || errno === 1452) {
    return new DatabaseError(
      'DB_INVALID_INPUT',
      `The record refers to something that does not exist (${message}).`,
      'Reload: the account or conversation it belongs to may have been removed.',
      { cause },
    );
  }
  if (
    code.startsWith('SQLITE_CONSTRAINT') ||
    errno === 1048 ||
    errno === 1406 ||
    errno === 3819 ||
    errno === 4025
  ) {
    return new DatabaseError(
      'DB_INVALID_INPUT',
      `The database refused a value: ${message}`,
      "This is a bug in Switchboard's validation; please report it with this message.",
      { cause },
    );
  }
  return null;
}

function sqliteError(
  code: string,
  errno: number,
  message: string,
  file: string,
  cause: unknown,
): DatabaseError {
  const primary = errno & 0xff;
  const setting = `the database file setting (currently ${file})`;
  if (
    code.startsWith('SQLITE_READONLY') ||
    primary === 8 ||
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS'
  ) {
    return new DatabaseError(
      'DB_READONLY',
      `The database file ${file} cannot be written to: it, or its folder, is read-only.`,
      `Make the file and its folder writable by your user, or choose another location in ${setting}.`,
      { cause },
    );
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    primary === 14 ||
    code === 'ENOTDIR' ||
    code === 'ENOENT' ||
    code === 'EEXIST' ||
    /Unable to open connection/i.test(message)
  ) {
    return new DatabaseError(
      'DB_READONLY',
      `The database file ${file} cannot be opened or created.`,
      `Check that the folder exists and is writable by your user, or choose another location in ${setting}.`,
      { cause },
    );
  }
  if (code.startsWith('SQLITE_FULL') || primary === 13 || code === 'ENOSPC') {
    return new DatabaseError(
      'DB_DISK_FULL',
      `The disk holding ${file} is full; nothing new can be saved until space is freed.`,
      `Free some disk space, or move the database elsewhere with ${setting}. Data already saved is intact.`,
      { cause },
    );
  }
  if (
    code.startsWith('SQLITE_NOTADB') ||
    code.startsWith('SQLITE_CORRUPT') ||
    primary === 26 ||
    primary === 11
  ) {
    return new DatabaseError(
      'DB_CORRUPT',
      `The file ${file} is not a Switchboard database or is damaged.`,
      `Restore it from a backup, or point ${setting} at the right file.`,
      { cause },
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || primary === 5 || primary === 6) {
    return new DatabaseError(
      'DB_BUSY',
      `The database file ${file} is locked by another program.`,
      'Close other copies of Switchboard or tools that have the file open, then try again.',
      { cause },
    );
  }
  return new DatabaseError('DB_UNKNOWN', `The database reported an error: ${message}`, `Check ${setting}.`, {
    cause,
  });
}

function mysqlError(
  code: string,
  errno: number,
  message: string,
  where: string,
  cause: unknown,
): DatabaseError {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
    case 'PROTOCOL_CONNECTION_LOST':
      return new DatabaseError(
        'DB_UNREACHABLE',
        `The MySQL server at ${where} cannot be reached (${code}).`,
        `Check the host and port in ${mysqlSettings}, that the server is running, and that no firewall blocks it.`,
        { cause },
      );
    default:
      break;
  }
  if (errno === 1045 || code === 'ER_ACCESS_DENIED_ERROR' || errno === 1698) {
    return new DatabaseError(
      'DB_AUTH',
      `The MySQL server at ${where} refused the user name or password.`,
      `Check the user name and password in ${mysqlSettings}.`,
      { cause },
    );
  }
  if (errno === 1049 || code === 'ER_BAD_DB_ERROR') {
    return new DatabaseError(
      'DB_MISSING',
      `The database named in the settings does not exist on the MySQL server at ${where}.`,
      `Create it (CREATE DATABASE … CHARACTER SET utf8mb4) or correct the database name in ${mysqlSettings}.`,
      { cause },
    );
  }
  // 1044 database access denied, 1142 table command denied, 1143 column denied, 1227 needs SUPER-like privilege.
  if ([1044, 1142, 1143, 1227, 1370].includes(errno)) {
    return new DatabaseError(
      'DB_PRIVILEGES',
      `The MySQL user lacks the privileges Switchboard needs on ${where}: ${message}`,
      `Ask the database administrator to GRANT ALL PRIVILEGES on the database to the user in ${mysqlSettings}, or use another user.`,
      { cause },
    );
  }
  // 1021 disk full, 1114 table is full, 3 / 28 errno from the storage engine.
  if (errno === 1021 || errno === 1114 || /No space left on device|disk full/i.test(message)) {
    return new DatabaseError(
      'DB_DISK_FULL',
      `The MySQL server at ${where} is out of disk space; nothing new can be saved.`,
      'Ask the database administrator to free disk space on the server. Data already saved is intact.',
      { cause },
    );
  }
  if (errno === 1290 || errno === 1836) {
    return new DatabaseError(
      'DB_READONLY',
      `The MySQL server at ${where} is read-only.`,
      `Point ${mysqlSettings} at the primary (writable) server.`,
      { cause },
    );
  }
  if (errno === 1205 || errno === 1213) {
    return new DatabaseError(
      'DB_BUSY',
      `The MySQL server at ${where} is busy: ${message}`,
      'Try again in a moment.',
      { cause },
    );
  }
  return new DatabaseError(
    'DB_UNKNOWN',
    `The MySQL server at ${where} reported an error: ${message}`,
    `Check ${mysqlSettings}.`,
    { cause },
  );
}
