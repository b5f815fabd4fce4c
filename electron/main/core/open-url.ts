import { spawn } from 'node:child_process';

/** Opens a URL in the system browser, best effort: where no opener exists, the caller has printed it. */
export function openInBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener on this machine; the address is on stdout.
  }
}
