import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A private MariaDB for the whole run (or MYSQL_URL); with CI=true a missing server fails the run.
    globalSetup: ['tests/support/global-setup.ts'],
    allowOnly: false,
    passWithNoTests: false,
  },
});
