/**
 * The pipeline benchmark's core, in a process of its own (so the load generator and the sandbox do not take
 * its CPU): this file, started again with PIPELINE_CORE_CHILD set, runs a core against the sandbox; the
 * parent starts and stops it, calls its API, and reads how busy it is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readyLine, stopChild } from './child-process';

export const SETTLE_MAX_MS = 60_000;

/** Child mode: start a core against the sandbox at `graphUrl`, print where it listens, stop on SIGTERM. */
async function serveCore(graphUrl: string): Promise<void> {
  // Imported here so the parent never loads the core (its process is the generator's and the sandbox's).
  const { startCoreUnderTest } = await import('../../tests/support/core-harness');
  // Pacing lifted for the throughput runs: 20 accounts at Meta's 100 sends/s would cap the loop at
  // exactly the target, measuring Meta's limit instead of the pipeline. The pacing run keeps it on.
  const harness = await startCoreUnderTest({
    config: { graphUrl },
    ...(process.env.PIPELINE_UNPACED === '1' ? { outbox: { unpaced: true } } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ webhook: harness.core.webhookServer.origin, api: harness.api.origin, token: harness.api.token })}\n`,
  );
  process.once('SIGTERM', () => {
    void harness.dispose().finally(() => process.exit(0));
  });
  // The parent asks how long the main thread has been busy (synchronous SQLite and its fsyncs included).
  process.on('message', () => process.send?.(performance.eventLoopUtilization().active));
}

if (process.env.PIPELINE_CORE_CHILD) await serveCore(process.env.PIPELINE_CORE_CHILD);

export interface CoreProcess {
  child: ChildProcess;
  webhook: string;
  call<T>(method: string, input: unknown): Promise<T>;
}

export async function startCoreProcess(
  graphUrl: string,
  cpuProfDir: string | undefined,
  unpaced: boolean,
): Promise<CoreProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
      fileURLToPath(import.meta.url),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, PIPELINE_CORE_CHILD: graphUrl, PIPELINE_UNPACED: unpaced ? '1' : '0' },
    },
  );
  const ready = await readyLine<{ webhook: string; api: string; token: string }>(child, 'core');
  return {
    child,
    webhook: ready.webhook,
    async call<T>(method: string, input: unknown): Promise<T> {
      const response = await fetch(`${ready.api}/api/call/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ready.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const result = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
      if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
      return result.value as T;
    },
  };
}

/** How long the core's main thread has been busy so far, in ms (its event loop utilisation). */
export function mainThreadBusyMs(core: CoreProcess): Promise<number> {
  return new Promise((resolve) => {
    core.child.once('message', (value) => resolve(Number(value)));
    core.child.send('busy?');
  });
}

/** Waits (bounded) until the core's main thread is busy less than a tenth of half a second; false if it never was. */
export async function settle(core: CoreProcess): Promise<boolean> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let before = await mainThreadBusyMs(core);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await mainThreadBusyMs(core);
    if (now - before < 50) return true;
    before = now;
  }
  return false;
}

/**
 * CPU time (user + system, all threads) the core's process has used so far, in ms; null where /proc is
 * not there. Latency depends on the machine's load; CPU per reply much less so.
 */
export function cpuMs(core: { child: ChildProcess }): number | null {
  try {
    const stat = readFileSync(`/proc/${core.child.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

export function stopCore(core: CoreProcess): Promise<void> {
  return stopChild(core.child);
}
