/**
 * Where the tunnel's settings come from, and how create-core starts the tunnel with them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KeychainError, MemorySecretStore, type SecretStore } from '../../electron/main/core/secrets';
import { resolveTunnelSettings, TUNNEL_ENV } from '../../electron/main/core/tunnel/tunnel-settings';
import { startCoreUnderTest } from '../support/core-harness';

describe('tunnel settings', () => {
  it('prefers the public base URL (no ngrok at all), then the environment token, then the keychain', async () => {
    const keychain = new MemorySecretStore();
    await keychain.set('ngrok-authtoken', 'from-keychain-token');
    expect(
      await resolveTunnelSettings({
        env: { [TUNNEL_ENV.publicBaseUrl]: 'https://hooks.example', [TUNNEL_ENV.authtoken]: 'env-token' },
        secrets: keychain,
      }),
    ).toEqual({ mode: 'public-url', publicBaseUrl: 'https://hooks.example' });
    expect(
      await resolveTunnelSettings({
        env: { [TUNNEL_ENV.authtoken]: 'env-token', [TUNNEL_ENV.domain]: 'mine.ngrok.app' },
        secrets: keychain,
      }),
    ).toEqual({ mode: 'ngrok', authtoken: 'env-token', domain: 'mine.ngrok.app' });
    expect(await resolveTunnelSettings({ env: {}, secrets: keychain })).toEqual({
      mode: 'ngrok',
      authtoken: 'from-keychain-token',
    });
  });

  it('is unconfigured, with the reason, when there is no token or the keychain cannot be read', async () => {
    expect(await resolveTunnelSettings({ env: { [TUNNEL_ENV.authtoken]: '  ' } })).toEqual({
      mode: 'unconfigured',
      message: 'The tunnel starts once an ngrok authtoken (or your own public base URL) is set in Settings.',
    });
    const locked: SecretStore = {
      kind: 'keychain',
      get: () =>
        Promise.reject(new KeychainError('locked', 'The keychain is locked: unlock it and restart.')),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(false),
    };
    const settings = await resolveTunnelSettings({ env: {}, secrets: locked });
    expect(settings.mode).toBe('unconfigured');
    expect(settings).toHaveProperty(
      'message',
      expect.stringMatching(/^The ngrok authtoken could not be read: /),
    );
  });
});

describe('tunnel in the core', () => {
  const saved = process.env[TUNNEL_ENV.publicBaseUrl];
  afterEach(() => {
    if (saved === undefined) delete process.env[TUNNEL_ENV.publicBaseUrl];
    else process.env[TUNNEL_ENV.publicBaseUrl] = saved;
  });

  it('with a public base URL: the tunnel is online at that URL and it becomes the webhook base URL', async () => {
    process.env[TUNNEL_ENV.publicBaseUrl] = 'https://hooks.agency.example';
    const harness = await startCoreUnderTest({ config: { tunnel: true } });
    try {
      const tunnel = harness.core.tunnel;
      expect(tunnel).toBeDefined();
      for (let i = 0; i < 200 && harness.core.status.get().tunnel.state !== 'online'; i++)
        await new Promise((resolve) => setImmediate(resolve));
      expect(harness.core.status.get().tunnel).toMatchObject({
        state: 'online',
        url: 'https://hooks.agency.example',
      });
      expect(harness.core.status.get().webhookBaseUrl).toBe('https://hooks.agency.example');
    } finally {
      await harness.dispose();
    }
  });

  it('with --no-tunnel there is no tunnel manager', async () => {
    const harness = await startCoreUnderTest({ config: { tunnel: false } });
    try {
      expect(harness.core.tunnel).toBeUndefined();
      expect(harness.core.status.get().tunnel).toEqual({
        state: 'off',
        message: 'Tunnel disabled (--no-tunnel).',
      });
    } finally {
      await harness.dispose();
    }
  });
});
