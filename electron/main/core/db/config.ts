/**
 * Where the database lives: a database URL, the seed's MYSQL_* variables, or the default SQLite
 * file in the data folder.
 *
 * The MySQL password is a secret: callers load it from the keychain and pass it in; this module
 * never reads or writes a settings file (the choice saved in Settings is read by `saved-database.ts`).
 */
import { DatabaseError } from './errors';
import type { ErrorTarget } from './errors';

/** The embedded SQLite file (the default). */
export interface SqliteConfig {
  dialect: 'sqlite';
  /** Path of the database file; `:memory:` for a throwaway in-memory database. */
  file: string;
}

/** A MySQL or MariaDB server reached through mysql2. */
export interface MysqlConfig {
  dialect: 'mysql';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** Upper bound on pooled connections; default 10. */
  connectionLimit?: number;
  /** How long to wait for a TCP connection before reporting the server unreachable; default 10 s. */
  connectTimeoutMs?: number;
}

/** Either supported database. */
export type DatabaseConfig = SqliteConfig | MysqlConfig;

const invalidUrlHint =
  'Use sqlite:/path/to/file.db or mysql://user:password@host:3306/database in the database setting.';

/**
 * Parses `sqlite:path`, `sqlite:///abs/path`, `mysql://user:pass@host:port/db` (also `mariadb://`).
 *
 * Throws `DatabaseError('DB_CONFIG')` naming what is wrong.
 */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  const trimmed = url.trim();
  if (/^sqlite:/i.test(trimmed)) {
    let file = trimmed.slice('sqlite:'.length);
    // `sqlite:///abs` and `sqlite://rel` are common spellings; keep everything after the slashes.
    if (file.startsWith('//')) file = file.slice(2);
    file = decodeURIComponent(file);
    if (!file) throw new DatabaseError('DB_CONFIG', 'The database URL names no SQLite file.', invalidUrlHint);
    return { dialect: 'sqlite', file };
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch (cause) {
    throw new DatabaseError('DB_CONFIG', 'The database URL is not a valid URL.', invalidUrlHint, { cause });
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new DatabaseError(
      'DB_CONFIG',
      `The database URL scheme "${parsed.protocol}" is not supported.`,
      invalidUrlHint,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) {
    throw new DatabaseError(
      'DB_CONFIG',
      'The MySQL URL names no database.',
      'Add the database name after the port, e.g. mysql://user:password@host:3306/switchboard.',
    );
  }
  const port = parsed.port ? Number(parsed.port) : 3306;
  return {
    dialect: 'mysql',
    host: parsed.hostname || 'localhost',
    port,
    database,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** The environment variables this module reads. */
export interface DatabaseEnv {
  DATABASE_URL?: string | undefined;
  MYSQL_HOST?: string | undefined;
  MYSQL_PORT?: string | undefined;
  MYSQL_DATABASE?: string | undefined;
  MYSQL_USERNAME?: string | undefined;
  MYSQL_PASSWORD?: string | undefined;
}

/**
 * Chooses the database: an explicit URL, then `DATABASE_URL`, then the seed's MYSQL_* variables
 * (when MYSQL_HOST is set), then the choice saved in Settings, else SQLite at `defaultSqliteFile`.
 */
export function resolveDatabaseConfig(options: {
  url?: string | undefined;
  env?: DatabaseEnv;
  defaultSqliteFile: string;
  saved?: DatabaseConfig | null | undefined;
}): DatabaseConfig {
  return resolveDatabaseChoice(options).config;
}

/** Where the database choice came from, for Settings ("set by MYSQL_HOST in the environment"). */
export interface DatabaseSource {
  kind: 'flag' | 'environment' | 'saved' | 'default';
  /** The flag or variable that decided it (`--database`, `MYSQL_HOST`…); null for saved and default. */
  setting: string | null;
}

/** `resolveDatabaseConfig`, also saying which setting decided. */
export function resolveDatabaseChoice(options: {
  url?: string | undefined;
  /** Where `url` came from: the `--database` flag (default) or an environment variable. */
  urlSetting?: string | undefined;
  env?: DatabaseEnv;
  defaultSqliteFile: string;
  saved?: DatabaseConfig | null | undefined;
}): { config: DatabaseConfig; source: DatabaseSource } {
  const env = options.env ?? {};
  if (options.url) {
    const setting = options.urlSetting ?? '--database';
    const kind = setting.startsWith('--') ? 'flag' : 'environment';
    return { config: parseDatabaseUrl(options.url), source: { kind, setting } };
  }
  if (env.DATABASE_URL)
    return {
      config: parseDatabaseUrl(env.DATABASE_URL),
      source: { kind: 'environment', setting: 'DATABASE_URL' },
    };
  if (env.MYSQL_HOST)
    return {
      config: mysqlFromEnv(env.MYSQL_HOST, env),
      source: { kind: 'environment', setting: 'MYSQL_HOST' },
    };
  if (options.saved) return { config: options.saved, source: { kind: 'saved', setting: null } };
  return {
    config: { dialect: 'sqlite', file: options.defaultSqliteFile },
    source: { kind: 'default', setting: null },
  };
}

function mysqlFromEnv(host: string, env: DatabaseEnv): MysqlConfig {
  const port = env.MYSQL_PORT ? Number(env.MYSQL_PORT) : 3306;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new DatabaseError(
      'DB_CONFIG',
      `MYSQL_PORT "${env.MYSQL_PORT}" is not a port number.`,
      'Set MYSQL_PORT to a number between 1 and 65535 (usually 3306).',
    );
  }
  if (!env.MYSQL_DATABASE) {
    throw new DatabaseError(
      'DB_CONFIG',
      'MYSQL_HOST is set but MYSQL_DATABASE is not.',
      'Set MYSQL_DATABASE to the name of the database Switchboard should use.',
    );
  }
  return {
    dialect: 'mysql',
    host,
    port,
    database: env.MYSQL_DATABASE,
    user: env.MYSQL_USERNAME ?? '',
    password: env.MYSQL_PASSWORD ?? '',
  };
}

/** A description safe for logs and messages: never contains the password. */
export function describeTarget(config: DatabaseConfig): ErrorTarget {
  return config.dialect === 'sqlite'
    ? { dialect: 'sqlite', where: config.file }
    : { dialect: 'mysql', where: `${config.host}:${config.port}/${config.database}` };
}
