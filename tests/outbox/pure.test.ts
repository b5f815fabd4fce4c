/**
 * The pure parts of the outbox: backoff, window, pacing, templates, failure table.
 */
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../electron/main/core/outbox/failure-handling';
import { renderTemplate } from '../../electron/main/core/outbox/message-templates';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../electron/main/core/outbox/retry-backoff';
import { SendPacer } from '../../electron/main/core/outbox/send-pacing';
import {
  decideWindow,
  HUMAN_AGENT_WINDOW_MS,
  STANDARD_WINDOW_MS,
} from '../../electron/main/core/outbox/send-window';
import { classifyGraphError, classifyLocalFailure, GraphApiError } from '../../electron/main/core/instagram';

describe('retryDelayMs', () => {
  it('doubles per attempt up to the cap, with jitter between half and all of the step', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, policy, { random: () => 0.999999 }))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(retryDelayMs(3, policy, { random: () => 0 })).toBe(200);
    expect(retryDelayMs(1, policy, { random: () => 0, rateLimited: true })).toBe(policy.rateLimitedMinMs);
  });
});

describe('decideWindow', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const base = { fromStaff: true, humanAgentRequested: true, humanAgentAllowed: true, now };
  it('RESPONSE up to 24 h, HUMAN_AGENT up to 7 days for staff only', () => {
    expect(decideWindow({ ...base, lastInboundAt: ago(STANDARD_WINDOW_MS) })).toEqual({
      ok: true,
      policy: 'RESPONSE',
    });
    expect(decideWindow({ ...base, lastInboundAt: ago(STANDARD_WINDOW_MS + 1) })).toEqual({
      ok: true,
      policy: 'HUMAN_AGENT',
    });
    expect(decideWindow({ ...base, lastInboundAt: ago(HUMAN_AGENT_WINDOW_MS + 1) }).ok).toBe(false);
    expect(decideWindow({ ...base, fromStaff: false, lastInboundAt: ago(STANDARD_WINDOW_MS + 1) }).ok).toBe(
      false,
    );
    expect(
      decideWindow({ ...base, humanAgentAllowed: false, lastInboundAt: ago(STANDARD_WINDOW_MS + 1) }).ok,
    ).toBe(false);
    expect(decideWindow({ ...base, lastInboundAt: null }).ok).toBe(false);
  });
});

describe('SendPacer', () => {
  it('holds the per-second and hourly budgets and says when they free up', () => {
    const pacer = new SendPacer(0);
    const t0 = new Date('2026-01-01T00:00:00Z').getTime();
    const budget = { perSecond: 2, perHour: 3 };
    pacer.record('a', new Date(t0));
    pacer.record('a', new Date(t0 + 10));
    const second = pacer.check('a', budget, new Date(t0 + 20));
    expect(second).toEqual({ ok: false, which: 'second', until: new Date(t0 + 1001) });
    expect(pacer.check('a', budget, new Date(t0 + 1001)).ok).toBe(true);
    pacer.record('a', new Date(t0 + 1001));
    expect(pacer.check('a', budget, new Date(t0 + 5000))).toEqual({
      ok: false,
      which: 'hour',
      until: new Date(t0 + 3_600_001),
    });
    expect(pacer.check('a', budget, new Date(t0 + 3_600_001)).ok).toBe(true);
    expect(pacer.check('b', budget, new Date(t0)).ok).toBe(true);
  });

  it('counts a send that left late from when it left', () => {
    const pacer = new SendPacer(0);
    const t0 = new Date('2026-01-01T00:00:00Z').getTime();
    const budget = { perSecond: 2, perHour: 100 };
    pacer.record('a', new Date(t0));
    pacer.record('a', new Date(t0 + 100));
    // The first send was held up 900 ms between its check and its call.
    pacer.restamp('a', new Date(t0), new Date(t0 + 900));
    // Counted from t0 it would have freed a place at t0 + 1000; from when it left, only at t0 + 1100.
    expect(pacer.check('a', budget, new Date(t0 + 1050))).toEqual({
      ok: false,
      which: 'second',
      until: new Date(t0 + 1101),
    });
    expect(pacer.check('a', budget, new Date(t0 + 1101)).ok).toBe(true);
    // Never earlier, and an unknown send changes nothing.
    pacer.restamp('a', new Date(t0 + 900), new Date(t0 + 10));
    pacer.restamp('a', new Date(t0 + 5), new Date(t0 + 2000));
    expect(pacer.check('a', budget, new Date(t0 + 1050)).ok).toBe(false);
    expect(pacer.usedLastHour('a', new Date(t0 + 1200))).toBe(2);
  });
});

describe('renderTemplate', () => {
  const template = { id: 'hours', text: 'Hi {{name}}, we open at {{time}}.', params: ['name', 'time'] };
  it('fills every placeholder, and refuses missing or unknown parameters', () => {
    expect(renderTemplate(template, { name: 'Ana', time: '9:00' })).toEqual({
      ok: true,
      text: 'Hi Ana, we open at 9:00.',
    });
    const bad = renderTemplate(template, { name: 'Ana', colour: 'red' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.message)).toEqual([
      'The template "hours" needs the parameter "time".',
      'The template "hours" has no parameter "colour" (it takes: name, time).',
    ]);
  });
});

describe('describeFailure: the retry table', () => {
  const options = { policy: DEFAULT_RETRY_POLICY, now: new Date(0), random: () => 0.5 };
  const graph = (code: number, subcode?: number, status = 400) =>
    new GraphApiError(
      classifyGraphError(status, {
        error: { message: 'x', type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}) },
      }),
    );
  it.each([
    [graph(190, 463), 'hold'],
    [graph(2, undefined, 500), 'retry'],
    [graph(613), 'retry'],
    [graph(4), 'retry'],
    [graph(1200), 'retry'],
    [new GraphApiError(classifyLocalFailure('timeout')), 'retry'],
    [new GraphApiError(classifyLocalFailure('network')), 'retry'],
    [graph(10, 2534022, 403), 'fail'],
    [graph(551, 1545041), 'fail'],
    [graph(10, undefined, 403), 'fail'],
    [graph(200, undefined, 403), 'fail'],
    [graph(100), 'fail'],
  ])('%s → %s', (error, action) => {
    expect(describeFailure(error, { attempts: 1 }, options).action).toBe(action);
  });
  it('ambiguous failures check the thread first; rate limits slow the account down; the last attempt gives up', () => {
    const timeout = describeFailure(
      new GraphApiError(classifyLocalFailure('timeout')),
      { attempts: 1 },
      options,
    );
    expect(timeout).toMatchObject({ action: 'retry', verifyFirst: true, slowDown: false });
    expect(describeFailure(graph(613), { attempts: 1 }, options)).toMatchObject({
      action: 'retry',
      verifyFirst: false,
      slowDown: true,
    });
    expect(describeFailure(graph(2, undefined, 500), { attempts: 8 }, options)).toMatchObject({
      action: 'give_up',
    });
  });
});
