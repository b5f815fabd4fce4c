/**
 * The data layer: open a database, migrate it, use the repositories.
 *
 * ```ts
 * const database = await openDatabase(resolveDatabaseConfig({ env: process.env, defaultSqliteFile }));
 * await migrateToLatest(database);
 * const repos = createRepositories(database);
 * ```
 */
export { openDatabase, testConnection } from './connection';
export type { Database } from './connection';
export { describeTarget, parseDatabaseUrl, resolveDatabaseChoice, resolveDatabaseConfig } from './config';
export type { DatabaseConfig, DatabaseEnv, DatabaseSource, MysqlConfig, SqliteConfig } from './config';
export { DatabaseError, toDatabaseError } from './errors';
export type { DatabaseErrorCode } from './errors';
export { migrateToLatest } from './migrate';
export type { MigrationReport } from './migrate';
export { createRepositories } from './repositories';
export type { Repositories } from './repositories';
export type * from './repositories/accounts-repository';
export type * from './repositories/conversations-repository';
export type * from './repositories/rules-repository';
export type * from './repositories/webhook-events-repository';
export type * from './repositories/webhook-security-repository';
export type * from './repositories/outbox-repository';
export type * from './repositories/audit-repository';
export type { DatabaseSchema } from './schema';
