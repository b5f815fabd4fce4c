/**
 * Conformance cases for the settings methods, spread into `tests/core/conformance.test.ts`. The core under
 * test uses the default keychain service, so no case writes or clears a secret there: the reads accept an
 * ok answer or UNAVAILABLE with a message (a machine without a keychain), and the writes are refused inputs.
 */
import { expect } from 'vitest';
import type { MethodName, Result } from '../../shared/contract';

interface Case {
  input: () => unknown;
  check: (result: Result<unknown>) => void;
  same?: boolean;
}

/** Settings → Database has its own cases (`database-conformance-cases.ts`). */
type SettingsMethod = Exclude<
  Extract<MethodName, `settings.${string}`>,
  'settings.getDatabase' | 'settings.testDatabase' | 'settings.saveDatabase'
>;

const invalid = (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

const secretsStatus = (result: Result<unknown>) => {
  if (!result.ok) {
    expect(result.error.code).toBe('UNAVAILABLE');
    expect(result.error.message).toMatch(/\w/);
    return;
  }
  const value = result.value as Record<string, unknown>;
  expect(Object.keys(value).sort()).toEqual(['keychain', 'message', 'mysqlPassword', 'ngrokAuthtoken']);
  expect(['available', 'unavailable']).toContain(value.keychain);
  if (value.keychain === 'available') expect(value.message).toBeNull();
  else expect(value.message).toMatch(/\w/);
  expect(['set', 'missing']).toContain(value.ngrokAuthtoken);
  expect(['set', 'missing']).toContain(value.mysqlPassword);
};

export const settingsConformanceCases: Record<SettingsMethod, Case[]> = {
  'settings.getSecrets': [{ same: true, input: () => ({}), check: secretsStatus }],
  'settings.setSecret': [
    { same: true, input: () => ({ name: 'ngrok-authtoken', value: 'has a space' }), check: invalid },
    { same: true, input: () => ({ name: 'mysql-password', value: '' }), check: invalid },
    { same: true, input: () => ({ name: 'master-key', value: 'abc' }), check: invalid },
  ],
  'settings.clearSecret': [{ same: true, input: () => ({ name: 'master-key' }), check: invalid }],
};
