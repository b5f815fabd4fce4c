/**
 * The public address of the webhook receiver: an in-process ngrok tunnel, or the agency's own proxy.
 */
import type { Config as NgrokConfig } from '@ngrok/ngrok';
import type { AppStatus } from '../../../../shared/contract';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import { ExponentialBackoff, type BackoffOptions } from './backoff';
import type { TunnelSettings } from './tunnel-settings';

/** The tunnel's part of the status bar. */
export type TunnelStatus = AppStatus['tunnel'];

/** An open tunnel: its public URL, and how to close it. */
export interface TunnelListener {
  url(): string | null;
  close(): Promise<void>;
}

/** Opens tunnels; `@ngrok/ngrok` in the app, replaceable in tests. */
export interface TunnelConnector {
  forward(config: NgrokConfig): Promise<TunnelListener>;
}

/**
 * The official in-process SDK, loaded on first use: a workstation without a tunnel never loads the
 * native module.
 */
export const ngrokConnector: TunnelConnector = {
  async forward(config) {
    const ngrok = await import('@ngrok/ngrok');
    return ngrok.forward(config);
  },
};

/** Options for {@link TunnelManager}. */
export interface TunnelManagerOptions {
  /** The webhook receiver's port: the only thing the tunnel forwards to. */
  webhookPort: number;
  /** Receives every state change (create-core passes it to `status.update('tunnel', …)`). */
  onState: (status: TunnelStatus) => void;
  logger: Logger;
  connector?: TunnelConnector;
  backoff?: BackoffOptions;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 2_000, maxMs: 5 * 60_000 };
const CALLBACK_PATH = '/webhooks/instagram/<account id>';

/**
 * Keeps the webhook port reachable from Meta and says how it is going: off, connecting, online (with
 * the URL) or error (with a reason in plain words).
 *
 * With ngrok, a failed connect is retried with exponential backoff and jitter; once connected, the
 * SDK re-establishes a dropped session by itself and reports it, which shows as "connecting" until
 * it is back. In public-URL mode no ngrok code runs at all.
 */
export class TunnelManager implements Disposable {
  private current: TunnelStatus = { state: 'off' };
  private listener: TunnelListener | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private disposed = false;
  private startedOnce = false;
  private restarting: Promise<void> = Promise.resolve();
  private readonly backoff: ExponentialBackoff;

  constructor(private readonly options: TunnelManagerOptions) {
    this.backoff = new ExponentialBackoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  /** The last state published. */
  get status(): TunnelStatus {
    return this.current;
  }

  /** Whether a reconnect is scheduled (tests check that dispose leaves none). */
  get hasPendingRetry(): boolean {
    return this.retryTimer !== undefined;
  }

  /** Starts with the given settings. Only the first call counts; returns at once, never throws. */
  start(settings: TunnelSettings): void {
    if (this.disposed || this.startedOnce) return;
    this.startedOnce = true;
    switch (settings.mode) {
      case 'unconfigured':
        this.publish({ state: 'off', message: settings.message });
        return;
      case 'public-url':
        this.publish(describePublicUrl(settings.publicBaseUrl));
        return;
      case 'ngrok':
        this.connect(settings, 1);
        return;
    }
  }

  /**
   * Applies new settings (the ngrok authtoken changed in Settings): closes the current tunnel, cancels any
   * scheduled reconnect, then starts again. Never throws; a no-op once disposed.
   */
  restart(settings: TunnelSettings): Promise<void> {
    // One restart at a time: two quick changes must not open two tunnels.
    this.restarting = this.restarting.then(() => this.restartNow(settings));
    return this.restarting;
  }

  private async restartNow(settings: TunnelSettings): Promise<void> {
    if (this.disposed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.connecting;
    // A connect that failed meanwhile may have scheduled a retry with the old settings.
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'the ngrok tunnel did not close cleanly');
    });
    if (this.disposed) return;
    this.backoff.reset();
    this.startedOnce = false;
    this.start(settings);
  }

  /** Closes the tunnel and cancels any scheduled reconnect. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.connecting;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'the ngrok tunnel did not close cleanly');
    });
  }

  private connect(settings: Extract<TunnelSettings, { mode: 'ngrok' }>, attempt: number): void {
    this.retryTimer = undefined;
    if (this.disposed) return;
    this.publish({
      state: 'connecting',
      message: attempt === 1 ? 'Connecting to ngrok…' : `Connecting to ngrok (attempt ${attempt})…`,
    });
    this.connecting = this.open(settings, attempt).finally(() => {
      this.connecting = undefined;
    });
  }

  private async open(settings: Extract<TunnelSettings, { mode: 'ngrok' }>, attempt: number): Promise<void> {
    let listener: TunnelListener;
    try {
      listener = await (this.options.connector ?? ngrokConnector).forward({
        // Only the webhook receiver, on loopback: the UI/API server is never reachable through the tunnel.
        addr: `127.0.0.1:${this.options.webhookPort}`,
        proto: 'http',
        authtoken: settings.authtoken,
        ...(settings.domain ? { domain: settings.domain } : {}),
        onStatusChange: (state) => this.onSessionState(state, settings),
      });
    } catch (error) {
      if (this.disposed) return;
      const reason = describeNgrokError(error, settings);
      const delay = this.backoff.next();
      this.options.logger.warn({ attempt, retryInMs: delay, reason }, 'ngrok tunnel failed');
      this.publish({ state: 'error', message: `${reason} Retrying in ${formatDelay(delay)}.` });
      this.retryTimer = setTimeout(() => this.connect(settings, attempt + 1), delay);
      // The webhook server keeps the app alive; a pending retry alone must not.
      this.retryTimer.unref();
      return;
    }
    if (this.disposed) {
      await listener.close().catch(() => {});
      return;
    }
    this.listener = listener;
    this.backoff.reset();
    this.publishOnline(settings);
  }

  private onSessionState(state: string, settings: Extract<TunnelSettings, { mode: 'ngrok' }>): void {
    if (this.disposed || !this.listener) return;
    if (state === 'closed') {
      this.publish({ state: 'connecting', message: 'The connection to ngrok was lost; reconnecting…' });
    } else if (state === 'connected') {
      this.publishOnline(settings);
    }
  }

  private publishOnline(settings: Extract<TunnelSettings, { mode: 'ngrok' }>): void {
    const url = this.listener?.url() ?? undefined;
    if (!url) {
      this.publish({ state: 'error', message: 'ngrok connected but gave no public address.' });
      return;
    }
    this.options.logger.info({ url }, 'ngrok tunnel online');
    this.publish({
      state: 'online',
      url,
      message: settings.domain
        ? `Meta's callback URL is ${url}${CALLBACK_PATH}.`
        : `This address changes every time Switchboard starts: update the callback URL in Meta's app ` +
          `dashboard to ${url}${CALLBACK_PATH} (or set a fixed ngrok domain in Settings).`,
    });
  }

  private publish(status: TunnelStatus): void {
    if (this.disposed) return;
    this.current = status;
    this.options.onState(status);
  }
}

/** The public-URL mode's state: online when the URL is usable, error (with why) when not. */
function describePublicUrl(raw: string): TunnelStatus {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { state: 'error', message: `The public base URL "${raw}" is not a web address.` };
  }
  if (url.protocol !== 'https:')
    return {
      state: 'error',
      message: `The public base URL must start with https:// (Meta only calls secure addresses), not "${raw}".`,
    };
  if (url.search || url.hash)
    return { state: 'error', message: 'The public base URL must not contain "?" or "#" parts.' };
  const base = url.toString().replace(/\/+$/, '');
  return {
    state: 'online',
    url: base,
    message: `Using your own public address (no ngrok). Meta's callback URL is ${base}${CALLBACK_PATH}.`,
  };
}

/** ngrok's error in plain words, without the authtoken. */
export function describeNgrokError(error: unknown, settings: { authtoken: string; domain?: string }): string {
  const raw = (error instanceof Error ? error.message : String(error))
    .split(settings.authtoken)
    .join('[redacted]');
  const code = /ERR_NGROK_\d+/.exec(raw)?.[0];
  if (code === 'ERR_NGROK_105' || code === 'ERR_NGROK_107' || /authtoken|authentication failed/i.test(raw))
    return 'ngrok refused the authtoken: check it in Settings (ngrok dashboard → Your Authtoken).';
  if (code === 'ERR_NGROK_108' || /simultaneous|limited to 1/i.test(raw))
    return 'Another ngrok session already uses this authtoken (the free plan allows one): close it or use another token.';
  if (
    settings.domain &&
    (code === 'ERR_NGROK_313' || code === 'ERR_NGROK_320' || /domain|hostname/i.test(raw))
  )
    return `ngrok refused the domain ${settings.domain}: it must be reserved for this ngrok account.`;
  if (/failed to connect session|establish tcp|dns|resolve|refused|timed? ?out|unreachable/i.test(raw))
    return "Cannot reach ngrok's service from this computer (no internet connection, or a firewall or proxy blocks it).";
  return `ngrok could not open the tunnel: ${raw}`;
}

function formatDelay(ms: number): string {
  if (ms < 1_000) return 'under a second';
  const seconds = Math.round(ms / 1_000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
