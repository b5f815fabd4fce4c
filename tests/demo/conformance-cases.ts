/**
 * Conformance cases for the demo methods, spread into `tests/core/conformance.test.ts`. The core under
 * test is not in demo mode, so each method must answer UNAVAILABLE with a message that says how to turn
 * demo mode on (and bad input is still refused first, by the contract's schema).
 */
import { expect } from 'vitest';
import type { MethodName, Result } from '../../shared/contract';

interface Case {
  input: () => unknown;
  check: (result: Result<unknown>) => void;
  same?: boolean;
}

type DemoMethod = Extract<MethodName, `demo.${string}`>;

const demoOff = (result: Result<unknown>) =>
  expect(result).toMatchObject({
    ok: false,
    error: { code: 'UNAVAILABLE', message: expect.stringContaining('--demo') as unknown },
  });
const invalid = (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

export const demoConformanceCases: Record<DemoMethod, Case[]> = {
  'demo.overview': [{ same: true, input: () => ({}), check: demoOff }],
  'demo.simulate': [
    {
      same: true,
      input: () => ({ accountId: 'acc', event: { type: 'text', text: 'Hallo 👋' } }),
      check: demoOff,
    },
    { same: true, input: () => ({ accountId: 'acc', event: { type: 'text', text: '   ' } }), check: invalid },
    { same: true, input: () => ({ accountId: 'acc', event: { type: 'dance' } }), check: invalid },
  ],
  'demo.customerReceived': [
    { same: true, input: () => ({ accountId: 'acc', igsid: '123' }), check: demoOff },
    { same: true, input: () => ({ accountId: 'acc' }), check: invalid },
  ],
};
