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

/** An existing data folder and key to start on (kept after stop), e.g. a benchmark's generated database. */
export interface ExistingData {
  dataDir: string;
  keyFile: string;
  /** How long to wait for the ready line (default 20 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts the built headless server with its own data folder and free ports, and waits for its ready line.
 * Requires `npm run build` first (the test command does it). With `existing`, it runs on that
 * folder and key instead, and leaves them in place on stop.
 */
export async function startHeadless(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  existing?: ExistingData,
): Promise<HeadlessApp> {
  const dataDir = existing?.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  // Each app gets its own master key in a key file (mode 0600), so parallel tests never share a keychain entry.
  const keyFile = existing?.keyFile ?? join(dataDir, 'master.key');
  if (!existing) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const cleanUp = () => {
    if (!existing) rmSync(dataDir, { recursive: true, force: true });
  };
  const readyTimeoutMs = existing?.readyTimeoutMs ?? 20_000;
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
      () => reject(new Error(`headless did not get ready in ${readyTimeoutMs / 1000} s:\n${stderr}`)),
      readyTimeoutMs,
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
          cleanUp();
          resolvePromise(child.exitCode);
          return;
        }
        child.once('exit', (code) => {
          cleanUp();
          resolvePromise(code);
        });
        child.kill(signal);
      }),
  };
}
