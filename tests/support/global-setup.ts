/**
 * Vitest global setup: one private MariaDB for the whole test run (or the server in MYSQL_URL).
 *
 * Test files read the server URL with `inject('mysqlServerUrl')` (see tests/support/databases.ts)
 * and create their own database on it. With CI=true a missing MariaDB fails the run; elsewhere
 * the MariaDB half of the suite is skipped with the reason printed.
 */
import type { TestProject } from 'vitest/node';
import { findMariaDbPrograms, startPrivateMariaDb } from './mariadb';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `mysql://` URL of a server where tests may create databases, or null when unavailable. */
    mysqlServerUrl: string | null;
    /** Why `mysqlServerUrl` is null. */
    mysqlUnavailableReason: string | null;
  }
}

/** Starts the server and returns the teardown that stops it. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.MYSQL_URL;
  if (external) {
    project.provide('mysqlServerUrl', external);
    project.provide('mysqlUnavailableReason', null);
    return undefined;
  }
  const found = findMariaDbPrograms();
  if (!('programs' in found)) {
    const reason = `MariaDB is not installed (missing ${found.missing}) and MYSQL_URL is not set`;
    if (process.env.CI === 'true') {
      throw new Error(
        `${reason}. CI=true requires the MariaDB half of the suite; see docs/TOOLCHAIN.md (install it in .ci/run).`,
      );
    }
    console.warn(`[db tests] ${reason}: skipping the MariaDB runs.`);
    project.provide('mysqlServerUrl', null);
    project.provide('mysqlUnavailableReason', reason);
    return undefined;
  }
  // MariaDB is installed: if it then fails to start, that is a real failure, never a skip.
  const server = await startPrivateMariaDb(found.programs);
  project.provide('mysqlServerUrl', server.url);
  project.provide('mysqlUnavailableReason', null);
  return () => server.stop();
}
