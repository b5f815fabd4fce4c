import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface ReadyLine {
  event: 'ready';
  ui: string;
  api: string;
  token: string;
  webhook: string;
  dataDir: string;
  demo: boolean;
}

export interface HeadlessApp {
  ready: ReadyLine;
  process: ChildProcessWithoutNullStreams;
  /** Everything the process wrote to stderr so far (logs). */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const entry = resolve(import.meta.dirname, '..', '..', 'out', 'main', 'headless.js');

/**
 * Starts the built headless server with its own data folder and free ports, and waits for its ready line.
 * Requires `npm run build` first (the test command does it).
 */
export async function startHeadless(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<HeadlessApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  // Each app gets its own master key in a key file (mode 0600), so parallel tests never share a keychain entry.
  const keyFile = join(dataDir, 'master.key');
  writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      entry,
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--webhook-port',
      '0',
      '--no-tunnel',
      '--key-file',
      keyFile,
      ...args,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const ready = await new Promise<ReadyLine>((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => reject(new Error(`headless did not get ready in 20 s:\n${stderr}`)),
      20_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolvePromise(JSON.parse(line) as ReadyLine);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`headless exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return {
    ready,
    process: child,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null) {
          rmSync(dataDir, { recursive: true, force: true });
          resolvePromise(child.exitCode);
          return;
        }
        child.once('exit', (code) => {
          rmSync(dataDir, { recursive: true, force: true });
          resolvePromise(code);
        });
        child.kill(signal);
      }),
  };
}
