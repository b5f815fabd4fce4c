/**
 * Brings the schema up to date, reporting a failure by migration name with the database's message.
 */
import { Migrator } from 'kysely';
import type { Kysely, MigrationProvider } from 'kysely';
import { migrationProvider } from '../../../../migrations';
import type { Database } from './connection';
import { DatabaseError, driverMessage } from './errors';

/** What `migrateToLatest` did. */
export interface MigrationReport {
  /** Migrations applied by this call, in order (empty when already up to date or another process did it). */
  applied: string[];
}

/**
 * Applies every pending migration. Safe to call from two processes at once on one MySQL database:
 * Kysely holds a named lock (`GET_LOCK`) while migrating, so the second waits and finds nothing to do.
 *
 * Throws `DatabaseError('DB_MIGRATION_FAILED')` whose `migrationName` names the failed migration
 * and whose message carries the database's own words. MySQL has no transactional DDL, so a
 * migration that failed halfway may have left part of its work behind; the hint says so.
 */
export async function migrateToLatest(
  database: Pick<Database, 'kysely'>,
  provider: MigrationProvider = migrationProvider,
): Promise<MigrationReport> {
  // Features land in parallel, so a migration may arrive with a lower number than one a database already ran;
  // each migration is independent (one concern each), so applying it late is safe.
  const migrator = new Migrator({
    db: database.kysely as Kysely<unknown>,
    provider,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed) {
    const name = failed?.migrationName;
    const reason = driverMessage(error instanceof DatabaseError && error.detail ? error.detail : error);
    throw new DatabaseError(
      'DB_MIGRATION_FAILED',
      name
        ? `Updating the database failed at migration "${name}": ${reason}`
        : `Updating the database failed before any migration ran: ${reason}`,
      name
        ? `Nothing was deleted. Fix the cause above (often privileges or disk space), then restart Switchboard to retry; if the database is MySQL, a partly applied "${name}" may need its leftover tables removed by an administrator.`
        : 'Check that the database user may create tables, then restart Switchboard to retry.',
      { cause: error, ...(name ? { migrationName: name } : {}) },
    );
  }
  return {
    applied: (results ?? [])
      .filter((result) => result.status === 'Success')
      .map((result) => result.migrationName),
  };
}
