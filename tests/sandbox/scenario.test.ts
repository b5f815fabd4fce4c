import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildScenarioPayloads,
  generateScenario,
  runScenario,
  type Sandbox,
  type ScenarioSpec,
} from '../../electron/main/sandbox';
import { itemsOf, parsed, sandboxForTest, startReceiver, type TestReceiver } from './helpers';

const spec: ScenarioSpec = {
  seed: 1234,
  accounts: 3,
  customers: 12,
  ratePerSecond: 20,
  durationSeconds: 3,
  mix: {
    text: 5,
    image: 1,
    reaction: 1,
    read: 1,
    edit: 1,
    delete: 1,
    postback: 1,
    comment: 1,
    story_mention: 1,
    ad_referral: 1,
  },
};

describe('scenario runner', () => {
  let sandbox: Sandbox | undefined;
  let receiver: TestReceiver | undefined;
  afterEach(async () => {
    await sandbox?.dispose();
    await receiver?.close();
  });

  it('gives identical output for the same seed (plan and signed payloads)', () => {
    const a = generateScenario(spec);
    const b = generateScenario(spec);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(buildScenarioPayloads(b, { itemsPerPost: 5 }))).toBe(
      JSON.stringify(buildScenarioPayloads(a, { itemsPerPost: 5 })),
    );
  });

  it('differs for another seed', () => {
    expect(JSON.stringify(generateScenario({ ...spec, seed: 1235 }).events)).not.toBe(
      JSON.stringify(generateScenario(spec).events),
    );
  });

  it('plans R x T events spread evenly, across M accounts and N customers, using only the mix', () => {
    const plan = generateScenario(spec);
    expect(plan.events).toHaveLength(60);
    expect(plan.accounts).toHaveLength(3);
    expect(plan.customers).toHaveLength(12);
    expect(plan.events[1]!.at - plan.events[0]!.at).toBe(50);
    const allowed = new Set([
      'text',
      'image',
      'reaction',
      'read',
      'edit',
      'delete',
      'postback',
      'comment',
      'story_mention',
      'ad_referral',
    ]);
    for (const event of plan.events) expect(allowed.has(event.kind)).toBe(true);
    // Targeted events only point at messages the same customer sent earlier.
    for (const event of plan.events) {
      if ('targetMid' in event.event) {
        const earlier = plan.events
          .filter((e) => e.seq < event.seq && e.customerId === event.customerId)
          .map((e) => e.mid);
        expect(earlier).toContain(event.event.targetMid);
      }
    }
  });

  it('builds signed payloads without sending (signatures check out)', () => {
    const plan = generateScenario(spec);
    const payloads = buildScenarioPayloads(plan, { itemsPerPost: 4 });
    expect(payloads.reduce((n, p) => n + p.itemCount, 0)).toBe(60);
    for (const payload of payloads) {
      const secret = plan.accounts.find((a) => a.appId === payload.appId)!.appSecret;
      expect(payload.headers['x-hub-signature-256']).toBe(
        `sha256=${createHmac('sha256', secret).update(payload.body).digest('hex')}`,
      );
    }
  });

  it('delivers a scenario through the simulator with the planned mids', async () => {
    sandbox = await sandboxForTest();
    receiver = await startReceiver();
    const plan = generateScenario({ ...spec, durationSeconds: 1 });
    const result = await runScenario(sandbox, plan, { callbackUrl: receiver.url, pace: 'fast' });
    expect(result.events).toBe(20);
    const mids = new Set<string>();
    for (const post of receiver.posts) {
      parsed(post).entry.forEach((_, index) => {
        for (const item of itemsOf(post, index)) {
          if (item.message?.mid) mids.add(item.message.mid);
          if (item.postback?.mid) mids.add(item.postback.mid);
        }
      });
    }
    for (const event of plan.events) if (event.mid) expect(mids.has(event.mid)).toBe(true);
  });
});
