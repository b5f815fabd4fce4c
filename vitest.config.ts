import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests that need a service fail (never skip) when CI=true; see tests/support/services.ts.
    allowOnly: false,
    passWithNoTests: false,
  },
});
