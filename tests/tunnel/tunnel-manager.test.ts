/**
 * The tunnel manager: the real ngrok SDK failing to connect (it cannot reach its service from these
 * machines), the reconnect loop, the online path through a stand-in connector, the public-URL mode,
 * and disposal.
 */
import { describe, expect, it } from 'vitest';
import type { Config as NgrokConfig } from '@ngrok/ngrok';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { ExponentialBackoff } from '../../electron/main/core/tunnel/backoff';
import {
  TunnelManager,
  describeNgrokError,
  type TunnelConnector,
  type TunnelListener,
  type TunnelStatus,
} from '../../electron/main/core/tunnel/tunnel-manager';

const TOKEN = '2abcDEFnotARealToken_0123456789abcdefXYZ';

function recorder() {
  const states: TunnelStatus[] = [];
  return { states, onState: (status: TunnelStatus) => void states.push(status) };
}

/** Waits for a condition by yielding to the event loop (timers included), never for a fixed time. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A connector that records its calls and answers with whatever the test scripts. */
function fakeConnector(answer: (config: NgrokConfig) => Promise<TunnelListener>) {
  const calls: NgrokConfig[] = [];
  const connector: TunnelConnector = {
    forward: (config) => {
      calls.push(config);
      return answer(config);
    },
  };
  return { calls, connector };
}

function fakeListener(url: string) {
  let closed = 0;
  return {
    listener: { url: () => url, close: async () => void (closed += 1) } satisfies TunnelListener,
    closedCount: () => closed,
  };
}

describe('tunnel manager with the real ngrok SDK', () => {
  it('goes connecting → error → connecting again with backoff, says why in plain words, and never shows the token', async () => {
    const { states, onState } = recorder();
    const manager = new TunnelManager({
      webhookPort: 1,
      onState,
      logger: silentLogger(),
      backoff: { initialMs: 20, maxMs: 40, random: () => 0.5 },
    });
    manager.start({ mode: 'ngrok', authtoken: TOKEN });
    await until(() => states.filter((s) => s.state === 'error').length >= 2, 'two failed attempts');
    await manager.dispose();

    expect(states.slice(0, 4).map((s) => s.state)).toEqual(['connecting', 'error', 'connecting', 'error']);
    expect(states[0]).toEqual({ state: 'connecting', message: 'Connecting to ngrok…' });
    expect(states[2]).toEqual({ state: 'connecting', message: 'Connecting to ngrok (attempt 2)…' });
    expect(states[1]?.message).toBe(
      "Cannot reach ngrok's service from this computer (no internet connection, or a firewall or proxy blocks it). Retrying in under a second.",
    );
    expect(JSON.stringify(states)).not.toContain(TOKEN);
  });

  it('leaves no retry timer and publishes nothing after dispose', async () => {
    const { states, onState } = recorder();
    const manager = new TunnelManager({
      webhookPort: 1,
      onState,
      logger: silentLogger(),
      // A long delay: the retry is still pending when dispose runs.
      backoff: { initialMs: 60_000, maxMs: 60_000, random: () => 0 },
    });
    manager.start({ mode: 'ngrok', authtoken: TOKEN });
    await until(() => manager.hasPendingRetry, 'a scheduled retry');
    expect(manager.status.state).toBe('error');
    expect(manager.status.message).toMatch(/Retrying in 30 s\.$/);
    await manager.dispose();
    expect(manager.hasPendingRetry).toBe(false);
    const count = states.length;
    manager.start({ mode: 'ngrok', authtoken: TOKEN });
    expect(states).toHaveLength(count);
  });
});

describe('tunnel manager states', () => {
  it('forwards only to the webhook port on loopback, with the token and the fixed domain', async () => {
    const { listener } = fakeListener('https://hooks.example.ngrok.app');
    const { calls, connector } = fakeConnector(() => Promise.resolve(listener));
    const { states, onState } = recorder();
    const manager = new TunnelManager({ webhookPort: 45123, onState, logger: silentLogger(), connector });
    manager.start({ mode: 'ngrok', authtoken: TOKEN, domain: 'hooks.example.ngrok.app' });
    await until(() => manager.status.state === 'online', 'online');

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      addr: '127.0.0.1:45123',
      proto: 'http',
      authtoken: TOKEN,
      domain: 'hooks.example.ngrok.app',
    });
    expect(states.at(-1)).toEqual({
      state: 'online',
      url: 'https://hooks.example.ngrok.app',
      message: "Meta's callback URL is https://hooks.example.ngrok.app/webhooks/instagram/<account id>.",
    });
    await manager.dispose();
  });

  it('warns that the address changes at every start when there is no fixed domain', async () => {
    const { listener, closedCount } = fakeListener('https://1a2b-3c4d.ngrok-free.app');
    const { calls, connector } = fakeConnector(() => Promise.resolve(listener));
    const manager = new TunnelManager({
      webhookPort: 4000,
      onState: () => {},
      logger: silentLogger(),
      connector,
    });
    manager.start({ mode: 'ngrok', authtoken: TOKEN });
    await until(() => manager.status.state === 'online', 'online');
    expect(calls[0]).not.toHaveProperty('domain');
    expect(manager.status.message).toBe(
      "This address changes every time Switchboard starts: update the callback URL in Meta's app dashboard to " +
        'https://1a2b-3c4d.ngrok-free.app/webhooks/instagram/<account id> (or set a fixed ngrok domain in Settings).',
    );
    await manager.dispose();
    expect(closedCount()).toBe(1);
  });

  it('shows a lost session as connecting and its return as online', async () => {
    const { listener } = fakeListener('https://x.ngrok.app');
    const { calls, connector } = fakeConnector(() => Promise.resolve(listener));
    const { states, onState } = recorder();
    const manager = new TunnelManager({ webhookPort: 4000, onState, logger: silentLogger(), connector });
    manager.start({ mode: 'ngrok', authtoken: TOKEN, domain: 'x.ngrok.app' });
    await until(() => manager.status.state === 'online', 'online');
    calls[0]!.onStatusChange!('closed');
    expect(manager.status).toEqual({
      state: 'connecting',
      message: 'The connection to ngrok was lost; reconnecting…',
    });
    calls[0]!.onStatusChange!('connected');
    expect(manager.status.state).toBe('online');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'online', 'connecting', 'online']);
    await manager.dispose();
  });

  it('closes a tunnel that opens after dispose', async () => {
    let resolve: (listener: TunnelListener) => void = () => {};
    const { listener, closedCount } = fakeListener('https://late.ngrok.app');
    const { connector } = fakeConnector(() => new Promise((r) => (resolve = r)));
    const manager = new TunnelManager({
      webhookPort: 4000,
      onState: () => {},
      logger: silentLogger(),
      connector,
    });
    manager.start({ mode: 'ngrok', authtoken: TOKEN });
    const disposed = manager.dispose();
    resolve(listener);
    await disposed;
    expect(closedCount()).toBe(1);
    expect(manager.status.state).toBe('connecting');
  });

  it('uses a public base URL without any ngrok call', async () => {
    const { calls, connector } = fakeConnector(() => Promise.reject(new Error('must not be called')));
    const manager = new TunnelManager({
      webhookPort: 4000,
      onState: () => {},
      logger: silentLogger(),
      connector,
    });
    manager.start({ mode: 'public-url', publicBaseUrl: 'https://hooks.agency.example/switchboard/' });
    expect(manager.status).toEqual({
      state: 'online',
      url: 'https://hooks.agency.example/switchboard',
      message:
        "Using your own public address (no ngrok). Meta's callback URL is https://hooks.agency.example/switchboard/webhooks/instagram/<account id>.",
    });
    expect(calls).toHaveLength(0);
    await manager.dispose();
  });

  it('refuses a public base URL Meta would not call, in plain words', () => {
    const manager = new TunnelManager({ webhookPort: 4000, onState: () => {}, logger: silentLogger() });
    manager.start({ mode: 'public-url', publicBaseUrl: 'http://hooks.agency.example' });
    expect(manager.status).toEqual({
      state: 'error',
      message:
        'The public base URL must start with https:// (Meta only calls secure addresses), not "http://hooks.agency.example".',
    });
    const other = new TunnelManager({ webhookPort: 4000, onState: () => {}, logger: silentLogger() });
    other.start({ mode: 'public-url', publicBaseUrl: 'hooks dot example' });
    expect(other.status).toEqual({
      state: 'error',
      message: 'The public base URL "hooks dot example" is not a web address.',
    });
  });

  it('stays off with the reason when nothing is configured', () => {
    const manager = new TunnelManager({ webhookPort: 4000, onState: () => {}, logger: silentLogger() });
    manager.start({ mode: 'unconfigured', message: 'Set an ngrok authtoken in Settings.' });
    expect(manager.status).toEqual({ state: 'off', message: 'Set an ngrok authtoken in Settings.' });
  });
});

describe('ngrok errors in plain words', () => {
  it('names the authtoken, session limit and domain problems, and redacts the token', () => {
    const settings = { authtoken: TOKEN, domain: 'mine.ngrok.app' };
    expect(describeNgrokError(new Error(`authentication failed: ${TOKEN} ERR_NGROK_105`), settings)).toBe(
      'ngrok refused the authtoken: check it in Settings (ngrok dashboard → Your Authtoken).',
    );
    expect(
      describeNgrokError(new Error('ERR_NGROK_108 limited to 1 simultaneous session'), settings),
    ).toMatch(/^Another ngrok session already uses this authtoken/);
    expect(describeNgrokError(new Error('ERR_NGROK_320 hostname is not reserved'), settings)).toBe(
      'ngrok refused the domain mine.ngrok.app: it must be reserved for this ngrok account.',
    );
    const other = describeNgrokError(new Error(`something new happened with ${TOKEN}`), settings);
    expect(other).toBe('ngrok could not open the tunnel: something new happened with [redacted]');
  });
});

describe('exponential backoff', () => {
  it('doubles up to the cap, jitters between half and all of the step, and resets', () => {
    const low = new ExponentialBackoff({ initialMs: 100, maxMs: 500, random: () => 0 });
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([50, 100, 200, 250, 250]);
    low.reset();
    expect(low.next()).toBe(50);
    const high = new ExponentialBackoff({ initialMs: 100, maxMs: 500, random: () => 0.999999 });
    expect([high.next(), high.next(), high.next(), high.next()]).toEqual([100, 200, 400, 500]);
  });
});
