/**
 * Every contract method, called through both transports (in-process dispatch and loopback HTTP), must give
 * the same result, and that result must hold what the method promises. A method added to the contract
 * without a case here fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, type MethodName } from '../../shared/contract';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';

interface Case {
  input: unknown;
  /** What the result must satisfy, written from the method's promise, not from its output. */
  check: (value: unknown, harness: CoreUnderTest) => void;
}

const cases: Record<MethodName, Case[]> = {
  'app.getInfo': [
    {
      input: {},
      check: (value, harness) => {
        expect(value).toEqual({
          name: 'Switchboard',
          version: '0.0.0-test',
          shell: 'headless',
          demo: false,
          dataDir: harness.dataDir,
          platform: process.platform,
        });
      },
    },
  ],
  'app.getStatus': [
    {
      input: {},
      check: (value, harness) => {
        const status = value as {
          webhookBaseUrl: string;
          database: { dialect: string };
          tunnel: { state: string };
        };
        expect(status.database).toEqual({
          state: 'ok',
          dialect: 'sqlite',
          location: `${harness.dataDir}/switchboard.db`,
        });
        expect(status.tunnel.state).toBe('off');
        expect(status.webhookBaseUrl).toBe(harness.core.webhookServer.origin);
      },
    },
  ],
};

let harness: CoreUnderTest;
beforeAll(async () => {
  harness = await startCoreUnderTest();
});
afterAll(async () => {
  await harness.dispose();
});

describe('contract conformance over both transports', () => {
  it('has cases for every contract method', () => {
    expect(Object.keys(cases).sort()).toEqual([...methodNames].sort());
    for (const name of methodNames) expect(cases[name].length).toBeGreaterThan(0);
  });

  for (const name of methodNames) {
    it(`${name}: in-process and HTTP agree and keep the promise`, async () => {
      for (const testCase of cases[name]) {
        const direct = await harness.core.dispatch(name, testCase.input, { transport: 'in-process' });
        const overHttp = await harness.httpCall(name, testCase.input);
        expect(overHttp.json).toEqual(direct);
        expect(direct.ok).toBe(true);
        if (direct.ok) testCase.check(direct.value, harness);
      }
    });

    it(`${name}: both transports refuse unknown input fields the same way`, async () => {
      const bad = { unexpectedField: 1 };
      const direct = await harness.core.dispatch(name, bad, { transport: 'in-process' });
      const overHttp = await harness.httpCall(name, bad);
      expect(direct).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(overHttp.status).toBe(400);
      expect(overHttp.json).toEqual(direct);
    });
  }

  it('an unknown method is UNKNOWN_METHOD on both transports', async () => {
    const direct = await harness.core.dispatch('app.doesNotExist', {}, { transport: 'in-process' });
    const overHttp = await harness.httpCall('app.doesNotExist', {});
    expect(direct).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(overHttp.status).toBe(404);
    expect(overHttp.json).toEqual(direct);
  });
});
