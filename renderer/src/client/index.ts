import type { SwitchboardClient } from './client';
import { createHttpClient } from './http-client';
import { createIpcClient, type PreloadBridge } from './ipc-client';

export type { SwitchboardClient } from './client';

const tokenKey = 'switchboard.token';

/**
 * Picks the transport once, at start: the preload bridge inside Electron, HTTP in a browser.
 *
 * In a browser the access token arrives in the address (`?token=`); it is kept for this tab only and removed
 * from the address bar at once, so it does not end up in history, bookmarks or screenshots.
 */
export function createClient(): SwitchboardClient | undefined {
  const bridge = (window as unknown as { switchboard?: PreloadBridge }).switchboard;
  if (bridge) return createIpcClient(bridge);

  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(tokenKey, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const token = sessionStorage.getItem(tokenKey);
  if (!token) return undefined;
  return createHttpClient({ baseUrl: window.location.origin, token });
}
