/**
 * The built headless entry as a real process: ready line, graceful shutdown, a taken port, the log file.
 * Needs `npm run build` first (the test command runs it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeadless, type HeadlessApp } from '../../e2e/support/headless';

const entry = resolve(import.meta.dirname, '..', '..', 'out', 'main', 'headless.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

let app: HeadlessApp | undefined;
afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});

describe('headless mode', () => {
  it('is built', () => {
    expect(existsSync(entry), 'run `npm run build` before the tests').toBe(true);
  });

  it('prints one ready line with real addresses, serves them, and stops on SIGTERM with code 0', async () => {
    app = await startHeadless();
    const { ready } = app;
    expect(Object.keys(ready).sort()).toEqual(['api', 'dataDir', 'demo', 'event', 'token', 'ui', 'webhook']);
    expect(ready.ui).toBe(`${ready.api}/?token=${ready.token}`);
    const info = await fetch(`${ready.api}/api/call/app.getInfo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ready.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await info.json()).toMatchObject({
      ok: true,
      value: { shell: 'headless', dataDir: ready.dataDir },
    });
    const webhook = await fetch(`${ready.webhook}/anything`);
    expect(webhook.status).toBe(404);

    const code = await app.stop('SIGTERM');
    app = undefined;
    expect(code).toBe(0);
  });

  it('writes structured logs to the data folder without the access token', async () => {
    app = await startHeadless();
    const logFile = join(app.ready.dataDir, 'logs', 'switchboard.log');
    const token = app.ready.token;
    await fetch(`${app.ready.api}/api/call/app.getInfo`, {
      method: 'POST',
      headers: { Authorization: 'Bearer wrong' },
    });
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(readFileSync(logFile, 'utf8')).not.toContain(token);
    expect(app.stderr()).not.toContain(token);
  });

  it('receives webhooks in a thread of its own, served before the main thread when the CPU is short', async () => {
    app = await startHeadless();
    const logFile = join(app.ready.dataDir, 'logs', 'switchboard.log');
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { thread?: string; msg?: string; port?: number });
    const webhookPort = Number(new URL(app.ready.webhook).port);
    expect(lines).toContainEqual(
      expect.objectContaining({ thread: 'receiver', msg: 'webhook server listening', port: webhookPort }),
    );
    // Linux: nice is per thread; the main thread (its id is the process id) yields to the receiver.
    if (process.platform === 'linux') {
      const stat = readFileSync(`/proc/${app.process.pid}/task/${app.process.pid}/stat`, 'utf8');
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      expect(nice).toBe(10);
    }
  });

  it('explains a taken port in one line and exits with code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-port-'));
    try {
      const result = await run(['--data-dir', dataDir, '--port', String(port), '--no-tunnel']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('switchboard:'));
      expect(errorLines).toEqual([
        `switchboard: Port ${port} is already in use (--port). Stop the program that uses it or choose another port.`,
      ]);
      expect(result.stderr).not.toContain('    at ');
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('explains an unknown flag in one line and exits with code 2', async () => {
    const result = await run(['--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("switchboard: Unknown option '--no-such-flag' (see --help)");
  });
});
