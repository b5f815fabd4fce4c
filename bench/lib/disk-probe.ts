/**
 * What the disk did while a figure was measured: a small write and a flush every 50 ms, in a thread of its
 * own, to a file next to the data under test.
 *
 * Every durable acknowledgement and commit waits for a flush. On this machine's virtual disk a flush
 * usually takes a fraction of a millisecond, but some hours it stops for tens of milliseconds to a second,
 * about once a second, for every file at the same moment (two threads flushing two files stall at the same
 * instants for the same time: measured while writing these benches). Whatever the code does, a request that
 * must be on disk before its answer waits that long. A latency figure means little without the disk's state
 * beside it, so the benches that flush print it (`report`):
 *   - disk_flush_ms_p50, disk_flush_ms_p99, disk_flush_ms_max: the probe's flushes;
 *   - disk_stalled_share: the share of the measured time the probe spent in flushes over 10 ms (0.01 = 1%).
 *     A p99 under 10 ms needs the disk stalled well under 1% of the time.
 *   - disk_read_mb: what the machine read from its disks meanwhile (`pgpgin` in /proc/vmstat; Linux only). This
 *     virtual machine evicts file pages left untouched for about a minute, even with memory free (a DAMON
 *     `pageout` scheme, /sys/kernel/mm/damon), so data under test may have to be read back; near 0 says it was
 *     in memory and the figure is about writes and CPU.
 * The probe adds 20 small flushes a second, next to the hundreds the code under test makes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { percentile, report } from './report';

const INTERVAL_MS = 50;
/** A flush longer than this counts as a stall. */
const STALL_MS = 10;

// Plain JavaScript (a worker of its own, not compiled by tsx): write 512 bytes in place, flush, wait, again.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const fd = fs.openSync(workerData.file, 'w');
const page = Buffer.alloc(512, 1);
const flushes = [];
let stopping = false;
parentPort.on('message', () => (stopping = true));
function tick() {
  if (stopping) {
    fs.closeSync(fd);
    parentPort.postMessage(flushes);
    return;
  }
  fs.writeSync(fd, page, 0, page.length, 0);
  const start = performance.now();
  fs.fsyncSync(fd);
  flushes.push(performance.now() - start);
  setTimeout(tick, workerData.intervalMs);
}
tick();
`;

/** Kilobytes read from the machine's disks since boot, or null where /proc/vmstat does not say. */
function kilobytesRead(): number | null {
  if (!existsSync('/proc/vmstat')) return null;
  const line = /^pgpgin (\d+)$/m.exec(readFileSync('/proc/vmstat', 'utf8'));
  return line ? Number(line[1]) : null;
}

export interface DiskProbe {
  /** Stops the probe and prints its figures with `qualifiers` (bench, db, the run's own…). */
  report(qualifiers: { bench: string } & Record<string, string | number | boolean>): Promise<void>;
}

/** Starts flushing a file in a fresh folder under `dir` (the data's file system). */
export function startDiskProbe(dir: string): DiskProbe {
  const folder = mkdtempSync(join(dir, 'switchboard-disk-probe-'));
  const started = performance.now();
  const readBefore = kilobytesRead();
  const worker = new Worker(PROBE, {
    eval: true,
    workerData: { file: join(folder, 'probe.bin'), intervalMs: INTERVAL_MS },
  });
  const flushes = new Promise<number[]>((resolve, reject) => {
    worker.once('message', (samples: number[]) => resolve(samples));
    worker.once('error', reject);
  });
  // A probe that failed early (a folder it cannot write) is reported by `report`, not as an unhandled rejection.
  flushes.catch(() => undefined);
  return {
    async report(qualifiers) {
      worker.postMessage('stop');
      const samples = await flushes.finally(() => rmSync(folder, { recursive: true, force: true }));
      await worker.terminate();
      const window = performance.now() - started;
      const readAfter = kilobytesRead();
      const stalled = samples.filter((ms) => ms > STALL_MS).reduce((sum, ms) => sum + ms, 0);
      const round = (value: number) => Math.round(value * 100) / 100;
      report({ ...qualifiers, metric: 'disk_flush_ms_p50', value: round(percentile(samples, 50)) });
      report({ ...qualifiers, metric: 'disk_flush_ms_p99', value: round(percentile(samples, 99)) });
      report({ ...qualifiers, metric: 'disk_flush_ms_max', value: round(Math.max(...samples)) });
      report({
        ...qualifiers,
        metric: 'disk_stalled_share',
        value: Math.round((stalled / window) * 1000) / 1000,
      });
      if (readBefore !== null && readAfter !== null)
        report({ ...qualifiers, metric: 'disk_read_mb', value: round((readAfter - readBefore) / 1024) });
    },
  };
}
