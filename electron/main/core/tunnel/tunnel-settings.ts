/**
 * Where the tunnel's settings come from, until a Settings screen stores them.
 *
 * - `SWITCHBOARD_PUBLIC_BASE_URL`: the agency's own reverse proxy (e.g. `https://hooks.example.com`)
 *   that forwards to the webhook port. When set, ngrok is not used at all.
 * - `SWITCHBOARD_NGROK_AUTHTOKEN`, or the keychain secret `ngrok-authtoken`: the ngrok authtoken
 *   (the environment wins, so a headless server needs no keychain).
 * - `SWITCHBOARD_NGROK_DOMAIN`: optional fixed ngrok domain, so Meta's callback URL survives restarts.
 *
 * The authtoken is never logged and never part of a status message.
 */
import type { SecretStore } from '../secrets';

/** Environment variables read by {@link resolveTunnelSettings}. */
export const TUNNEL_ENV = {
  publicBaseUrl: 'SWITCHBOARD_PUBLIC_BASE_URL',
  authtoken: 'SWITCHBOARD_NGROK_AUTHTOKEN',
  domain: 'SWITCHBOARD_NGROK_DOMAIN',
} as const;

/** How the webhook port is made reachable from Meta. */
export type TunnelSettings =
  | { mode: 'ngrok'; authtoken: string; domain?: string }
  | { mode: 'public-url'; publicBaseUrl: string }
  | { mode: 'unconfigured'; message: string };

const notConfigured =
  'The tunnel starts once an ngrok authtoken (or your own public base URL) is set in Settings.';

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Reads the tunnel settings from the environment, then the keychain. Never throws. */
export async function resolveTunnelSettings(options: {
  env: NodeJS.ProcessEnv;
  secrets?: SecretStore | undefined;
}): Promise<TunnelSettings> {
  const publicBaseUrl = read(options.env, TUNNEL_ENV.publicBaseUrl);
  if (publicBaseUrl) return { mode: 'public-url', publicBaseUrl };
  const domain = read(options.env, TUNNEL_ENV.domain);
  let authtoken = read(options.env, TUNNEL_ENV.authtoken);
  if (!authtoken && options.secrets) {
    try {
      authtoken = (await options.secrets.get('ngrok-authtoken'))?.trim() || undefined;
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'the keychain could not be read';
      return { mode: 'unconfigured', message: `The ngrok authtoken could not be read: ${reason}` };
    }
  }
  if (!authtoken) return { mode: 'unconfigured', message: notConfigured };
  return { mode: 'ngrok', authtoken, ...(domain ? { domain } : {}) };
}
