/**
 * Conformance cases for Settings → Database, spread into `tests/core/conformance.test.ts`. Nothing here
 * saves a choice: the save case points at a port nothing listens on, so the test fails and nothing is written.
 */
import { expect } from 'vitest';
import type { DatabaseSettings, DatabaseTest, Result } from '../../shared/contract';

interface Case {
  input: () => unknown;
  check: (result: Result<unknown>) => void;
  same?: boolean;
}

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value as T;
};

const unreachable = {
  dialect: 'mysql',
  host: '127.0.0.1',
  port: 1,
  database: 'sb',
  user: 'sb',
  password: 'x',
};

export const databaseSettingsConformanceCases: Record<
  'settings.getDatabase' | 'settings.testDatabase' | 'settings.saveDatabase',
  Case[]
> = {
  'settings.getDatabase': [
    {
      same: true,
      input: () => ({}),
      check: (result) => {
        const settings = value<DatabaseSettings>(result);
        expect(settings.active).toMatchObject({ dialect: 'sqlite', mysql: null });
        expect(settings.active?.file).toBe(settings.defaultSqliteFile);
        expect(settings.source.explanation).toMatch(/\w/);
        expect(settings.restartNeeded).toBe(false);
        expect(JSON.stringify(settings)).not.toMatch(/password"?:\s*"[^"]/);
      },
    },
  ],
  'settings.testDatabase': [
    {
      same: true,
      input: () => ({ target: { dialect: 'sqlite' } }),
      check: (result) => expect(value<DatabaseTest>(result)).toMatchObject({ ok: true, code: null }),
    },
    {
      same: true,
      input: () => ({ target: { dialect: 'mysql', port: 3306 } }),
      check: (result) =>
        expect(result).toMatchObject({
          ok: false,
          error: {
            code: 'INVALID_INPUT',
            issues: [{ path: 'target.host' }, { path: 'target.database' }, { path: 'target.user' }],
          },
        }),
    },
    {
      same: true,
      input: () => ({ target: { dialect: 'mysql', url: 'postgres://db/x' } }),
      check: (result) =>
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', issues: [{ path: 'target.url' }] },
        }),
    },
    {
      same: true,
      input: () => ({ target: unreachable }),
      check: (result) => {
        const test = value<DatabaseTest>(result);
        expect(test).toMatchObject({ ok: false, code: 'DB_UNREACHABLE' });
        expect(test.message).toMatch(/127\.0\.0\.1:1/);
      },
    },
  ],
  'settings.saveDatabase': [
    {
      same: true,
      input: () => ({ target: unreachable }),
      check: (result) => {
        const outcome = value<{ saved: boolean; test: DatabaseTest; settings: DatabaseSettings }>(result);
        expect(outcome.saved).toBe(false);
        expect(outcome.test.code).toBe('DB_UNREACHABLE');
        expect(outcome.settings.saved).toBeNull();
      },
    },
  ],
};
