/**
 * Conformance cases for the desktop preferences, spread into `tests/core/conformance.test.ts`.
 */
import { expect } from 'vitest';
import type { DesktopSettings, MethodName, Result } from '../../shared/contract';

interface Case {
  input: () => unknown;
  check: (result: Result<unknown>) => void;
  same?: boolean;
}

type DesktopMethod = Extract<MethodName, `desktop.${string}`>;

const settings = (result: Result<unknown>): DesktopSettings => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  const value = result.value as DesktopSettings;
  expect(Object.keys(value).sort()).toEqual([
    'notifications',
    'privateNotifications',
    'quietHours',
    'startAtLogin',
  ]);
  return value;
};

const refused = (pattern: RegExp) => (result: Result<unknown>) => {
  expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  if (!result.ok) expect(result.error.message).toMatch(pattern);
};

const night = { clientName: 'Sunrise Bakery', days: ['mon', 'tue'], from: '22:00', to: '07:00' };

export const desktopConformanceCases: Record<DesktopMethod, Case[]> = {
  'desktop.getSettings': [
    {
      same: true,
      input: () => ({}),
      check: (result) => {
        const value = settings(result);
        expect(typeof value.notifications).toBe('boolean');
        expect(Array.isArray(value.quietHours)).toBe(true);
      },
    },
  ],
  'desktop.updateSettings': [
    {
      input: () => ({ privateNotifications: true, quietHours: [night] }),
      check: (result) => {
        const value = settings(result);
        expect(value.privateNotifications).toBe(true);
        expect(value.quietHours).toEqual([night]);
      },
    },
    { same: true, input: () => ({ quietHours: [{ ...night, from: '25:00' }] }), check: refused(/HH:MM/) },
    {
      same: true,
      input: () => ({ quietHours: [{ ...night, days: [] }] }),
      check: refused(/at least one day/),
    },
    { same: true, input: () => ({ quietHours: [{ ...night, clientName: ' ' }] }), check: refused(/client/) },
    { same: true, input: () => ({ quietHours: [night, night] }), check: refused(/one quiet-hours window/) },
    { same: true, input: () => ({ startAtLogin: 'yes' }), check: refused(/startAtLogin/) },
  ],
};
