/**
 * `npm run bench -- webhook [--db sqlite|mariadb] [--seconds N] [--connections C]`: the receiver under load.
 *
 * Starts the BUILT headless process (`npx electron-vite build` first) on SQLite and on a private MariaDB,
 * adds accounts through its HTTP API, and drives signed deliveries (one DM each, unicode escaped like Meta)
 * from a loopback load generator in this process (node:http, keep-alive, C connections). In the same run a
 * bare node:http server in its own process answers 200 to the same requests. Figures per dialect:
 *   - acked_per_s, ack_ms_p50, ack_ms_p99: closed loop, C connections, N seconds, once with group commit
 *     and once without (SWITCHBOARD_GROUP_COMMIT=1/0, qualifier group_commit) to see what it brings;
 *   - ingested_per_s: deliveries fully ingested (conversation and message rows) per second, from the start of
 *     the load until ingest has nothing pending;
 *   - bare_http_per_s, ratio_to_bare;
 *   - ack_ms_p99 and ack_ms_p50 with qualifier offered_per_s=1000: open loop with the app's own setting
 *     for the dialect, latency counted from each request's scheduled time (no coordinated omission);
 *     requests time out after 10 s so the run stays bounded; with the same qualifier, ingest_lag_ms (how
 *     long after the last offered delivery ingest had caught up) and ingested_per_s over that run;
 *   - disk_flush_ms_p50/_p99/_max and disk_stalled_share for each loop (lib/disk-probe.ts): every
 *     acknowledgement waits for a flush, so a stalled disk shows in ack_ms_p99 whatever the code does;
 *   - the yardstick for the open loop, right after it: ack_ms_p50/_p99 with qualifier server=durable_floor, the
 *     same open loop against the least a durable acknowledgement needs (lib/durable-floor.ts), with its disk figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { parseDatabaseUrl } from '../electron/main/core/db/config';
import { openDatabase, type Database } from '../electron/main/core/db/connection';
import {
  buildCustomerEvent,
  buildEnvelope,
  serializeLikeMeta,
  signWebhookBody,
} from '../electron/main/sandbox';
import { createScratchDatabase, findMariaDbPrograms, startPrivateMariaDb } from '../tests/support/mariadb';
import { groupCommitFor } from '../electron/main/core/webhooks/webhook-receiver';
import { percentile, report } from './lib/report';
import { startDiskProbe } from './lib/disk-probe';
import { startDurableFloor } from './lib/durable-floor';
import { readyLine, stopChild } from './lib/child-process';

const entry = resolve(import.meta.dirname, '..', 'out', 'main', 'headless.js');
const ACCOUNTS = 4;
const CUSTOMERS = 200;
const OPEN_LOOP_RATE = 1_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

interface Options {
  dialects: ('sqlite' | 'mariadb')[];
  seconds: number;
  connections: number;
}

function parseArgs(args: string[]): Options {
  const options: Options = { dialects: ['sqlite', 'mariadb'], seconds: 5, connections: 32 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--db') options.dialects = [args[++i] as 'sqlite' | 'mariadb'];
    else if (arg === '--seconds') options.seconds = Number(args[++i]);
    else if (arg === '--connections') options.connections = Number(args[++i]);
    else
      throw new Error(
        `Unknown argument ${arg}. Usage: npm run bench -- webhook [--db sqlite|mariadb] [--seconds N] [--connections C]`,
      );
  }
  if (!(options.seconds >= 1 && options.seconds <= 60)) throw new Error('--seconds must be between 1 and 60');
  if (!(options.connections >= 1 && options.connections <= 256))
    throw new Error('--connections must be 1..256');
  return options;
}

const log = (text: string) => process.stderr.write(`${text}\n`);

/** A signed delivery: what the load generator sends. */
interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
}

interface Target {
  origin: string;
  accounts: { instagramAccountId: string; appSecret: string }[];
}

let sequence = 0;
function makeDelivery(target: Target): Delivery {
  sequence += 1;
  const account = target.accounts[sequence % target.accounts.length]!;
  const now = Date.now();
  const item = buildCustomerEvent(
    {
      accountId: account.instagramAccountId,
      customerId: `12544${String(sequence % CUSTOMERS).padStart(11, '0')}`,
      customerUsername: `fan_${sequence % CUSTOMERS}`,
      timestamp: now,
      mid: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(60).toString('base64url')}${sequence}`,
      loginType: 'instagram',
      newCommentId: () => '1',
      newMediaId: () => '1',
    },
    { type: 'text', text: `Hallo! Is the café open tomorrow? 👋 #${sequence}` },
  );
  const body = serializeLikeMeta(buildEnvelope([item], now));
  return {
    path: `/webhooks/instagram/${account.instagramAccountId}`,
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...signWebhookBody(body, account.appSecret),
    },
  };
}

function send(agent: Agent, origin: string, delivery: Delivery): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = request(
      `${origin}${delivery.path}`,
      { method: 'POST', agent, headers: delivery.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolvePromise(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolvePromise(0));
    // Meta gives up after 5 s; a bounded wait keeps the run bounded when the receiver cannot keep up.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy());
    req.end(delivery.body);
  });
}

/** Closed loop: C connections, each sending the next request when its answer came. */
async function closedLoop(target: Target, seconds: number, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const delivery = makeDelivery(target);
        const t0 = performance.now();
        const status = await send(agent, target.origin, delivery);
        latencies.push(performance.now() - t0);
        if (status === 200) ok += 1;
        else failed += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    perSecond: ok / elapsed,
    ok,
    failed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Open loop at a fixed offered rate; latency from the scheduled send time. */
async function openLoop(target: Target, rate: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = rate * seconds;
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const delivery = makeDelivery(target);
    pending.push(
      send(agent, target.origin, delivery).then((status) => {
        latencies.push(performance.now() - scheduled);
        if (status !== 200) failed += 1;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed, sent: total };
}

async function startBare(): Promise<{ child: ChildProcess; origin: string }> {
  const script = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => { res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 14 }); res.end('EVENT_RECEIVED'); });
    });
    server.keepAliveTimeout = 5000;
    server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ origin: 'http://127.0.0.1:' + server.address().port })));
    process.on('SIGTERM', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = await readyLine<{ origin: string }>(child, 'bare server');
  return { child, origin: ready.origin };
}

/**
 * The open loop against the durable floor (lib/durable-floor.ts), right after the receiver's so both meet
 * nearly the same disk; its own disk figures say how close.
 */
async function durableFloor(
  dataDir: string,
  seconds: number,
  common: { bench: string } & Record<string, string | number | boolean>,
): Promise<void> {
  const floor = await startDurableFloor(dataDir);
  try {
    const target: Target = {
      origin: floor.origin,
      accounts: [{ instagramAccountId: '17841400000000001', appSecret: 'x'.repeat(32) }],
    };
    await closedLoop(target, 1, 4);
    const disk = startDiskProbe(dataDir);
    const open = await openLoop(target, OPEN_LOOP_RATE, seconds);
    const qualifiers = { ...common, server: 'durable_floor' };
    await disk.report(qualifiers);
    log(`  durable floor: ${open.sent} offered at ${OPEN_LOOP_RATE}/s, ${open.failed} not acked`);
    report({ ...qualifiers, metric: 'ack_ms_p50', value: round(open.p50) });
    report({ ...qualifiers, metric: 'ack_ms_p99', value: round(open.p99) });
  } finally {
    await floor.stop();
  }
}

async function startCore(dataDir: string, databaseUrl: string | undefined, groupCommit: boolean) {
  const keyFile = join(dataDir, 'master.key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const args = [
    entry,
    '--data-dir',
    dataDir,
    '--key-file',
    keyFile,
    '--port',
    '0',
    '--webhook-port',
    '0',
    '--no-tunnel',
  ];
  if (databaseUrl) args.push('--database', databaseUrl);
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SWITCHBOARD_GROUP_COMMIT: groupCommit ? '1' : '0' },
    },
  );
  const ready = await readyLine<{ api: string; token: string; webhook: string }>(child, 'headless');
  return { child, api: ready.api, token: ready.token, webhook: ready.webhook };
}

async function addAccounts(api: string, token: string): Promise<Target['accounts']> {
  const accounts: Target['accounts'] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const appSecret = randomBytes(16).toString('hex');
    const instagramAccountId = `178414${String(Date.now()).slice(-9)}${i}`;
    const response = await fetch(`${api}/api/call/accounts.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        instagramAccountId,
        username: `bench_${i}`,
        clientName: `Bench ${i}`,
        loginType: 'instagram',
        accessToken: `IGAA${randomBytes(24).toString('hex')}`,
        appSecret,
      }),
    });
    const result = (await response.json()) as { ok: boolean; error?: unknown };
    if (!result.ok) throw new Error(`accounts.create failed: ${JSON.stringify(result.error)}`);
    accounts.push({ instagramAccountId, appSecret });
  }
  return accounts;
}

/**
 * Waits until `acknowledged` deliveries are ingested (processed, or set aside): counted in the table, since
 * on SQLite an acknowledged delivery reaches `webhook_events` from the receiver's spool a moment later.
 */
async function waitForIngest(database: Database, acknowledged: number, deadlineMs: number): Promise<boolean> {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    const row = await database.kysely
      .selectFrom('webhook_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'not in', ['received', 'processing'])
      .executeTakeFirst();
    if (Number(row?.n ?? 0) >= acknowledged) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function durability(database: Database, dialect: 'sqlite' | 'mariadb'): Promise<void> {
  if (dialect === 'mariadb') {
    const flush = await sql<{ v: number }>`select @@innodb_flush_log_at_trx_commit as v`.execute(
      database.kysely,
    );
    log(`  innodb_flush_log_at_trx_commit = ${flush.rows[0]?.v} (1 = durable at every commit)`);
  }
}

async function measure(
  dialect: 'sqlite' | 'mariadb',
  /** A fresh database per run (each run has its own key); undefined URL = SQLite in the data folder. */
  freshDatabase: () => Promise<{ url: string | undefined; drop: () => Promise<void> }>,
  options: Options,
) {
  for (const groupCommit of [true, false]) {
    const bare = await bareRate(options);
    const { url: databaseUrl, drop } = await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-webhook-'));
    const core = await startCore(dataDir, databaseUrl, groupCommit);
    const reader = await openDatabase(
      databaseUrl
        ? parseDatabaseUrl(databaseUrl)
        : { dialect: 'sqlite', file: join(dataDir, 'switchboard.db') },
    );
    try {
      await durability(reader, dialect);
      const target: Target = { origin: core.webhook, accounts: await addAccounts(core.api, core.token) };
      const warmUp = await closedLoop(target, 1, 4); // warm-up: caches, JIT, first conversations
      let acknowledged = warmUp.ok;
      await waitForIngest(reader, acknowledged, 60_000);
      const common = {
        bench: 'webhook',
        db: dialect,
        group_commit: groupCommit,
        connections: options.connections,
      };
      const cpuBefore = cpuSeconds(core.child.pid);
      const disk = startDiskProbe(dataDir);
      const loadStart = performance.now();
      const closed = await closedLoop(target, options.seconds, options.connections);
      acknowledged += closed.ok;
      const drained = await waitForIngest(reader, acknowledged, 120_000);
      const ingestSeconds = (performance.now() - loadStart) / 1000;
      await disk.report(common);
      log(
        `  ${dialect} group_commit=${groupCommit}: ${closed.ok} acked, ${closed.failed} not acked; ingest ${drained ? 'caught up' : 'DID NOT catch up'} after ${ingestSeconds.toFixed(1)} s`,
      );
      report({ ...common, metric: 'acked_per_s', value: Math.round(closed.perSecond) });
      report({ ...common, metric: 'ack_ms_p50', value: round(closed.p50) });
      report({ ...common, metric: 'ack_ms_p99', value: round(closed.p99) });
      report({ ...common, metric: 'ingested_per_s', value: Math.round(closed.ok / ingestSeconds) });
      // CPU time the app spent per delivery (receive, store, ingest): unlike rates, it holds when other
      // work shares the machine, so it shows whether a change made the code cheaper.
      const cpu = cpuSeconds(core.child.pid) - cpuBefore;
      report({
        ...common,
        metric: 'cpu_us_per_delivery',
        value: Math.round((cpu * 1e6) / Math.max(1, closed.ok)),
      });
      report({ ...common, metric: 'bare_http_per_s', value: Math.round(bare) });
      report({ ...common, metric: 'ratio_to_bare', value: round(closed.perSecond / bare) });
      // The open loop runs with the setting the app uses (see groupCommitFor).
      if (groupCommit === groupCommitFor(undefined)) {
        const openDisk = startDiskProbe(dataDir);
        const openStart = performance.now();
        const open = await openLoop(target, OPEN_LOOP_RATE, options.seconds);
        const loadEnd = performance.now();
        acknowledged += open.sent - open.failed;
        await waitForIngest(reader, acknowledged, 120_000);
        const caughtUp = performance.now();
        log(`  open loop: ${open.sent} offered at ${OPEN_LOOP_RATE}/s, ${open.failed} not acked`);
        const openCommon = { ...common, offered_per_s: OPEN_LOOP_RATE };
        await openDisk.report(openCommon);
        report({ ...openCommon, metric: 'ack_ms_p50', value: round(open.p50) });
        report({ ...openCommon, metric: 'ack_ms_p99', value: round(open.p99) });
        // Whether ingest keeps up with what is acknowledged: how long after the last offered delivery
        // everything was ingested (0 when it kept pace), and the rate over the whole run.
        report({ ...openCommon, metric: 'ingest_lag_ms', value: Math.round(caughtUp - loadEnd) });
        report({
          ...openCommon,
          metric: 'ingested_per_s',
          value: Math.round(open.sent / ((caughtUp - openStart) / 1000)),
        });
        await durableFloor(dataDir, options.seconds, openCommon);
      }
    } finally {
      await reader.close();
      await stopChild(core.child);
      rmSync(dataDir, { recursive: true, force: true });
      await drop();
    }
  }
}

/** User + system CPU seconds a process has used so far (Linux `/proc`; 0 elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return 0;
  // Fields after the command name (which may contain spaces); utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The bare node:http server's rate for the same requests, measured right before each receiver run. */
async function bareRate(options: Options): Promise<number> {
  const bareServer = await startBare();
  try {
    const target: Target = {
      origin: bareServer.origin,
      accounts: [{ instagramAccountId: '17841400000000001', appSecret: 'x'.repeat(32) }],
    };
    await closedLoop(target, 1, 4);
    const rate = (await closedLoop(target, options.seconds, options.connections)).perSecond;
    log(`  bare node:http: ${Math.round(rate)}/s`);
    return rate;
  } finally {
    await stopChild(bareServer.child);
  }
}

/** Entry point for `bench/run.ts`. */
export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  if (!existsSync(entry)) throw new Error('Build first: npx electron-vite build --logLevel warn');
  log(
    `load average before: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  if (options.dialects.includes('sqlite'))
    await measure(
      'sqlite',
      () => Promise.resolve({ url: undefined, drop: () => Promise.resolve() }),
      options,
    );
  if (options.dialects.includes('mariadb')) {
    const external = process.env.MYSQL_URL;
    const found = findMariaDbPrograms();
    if (!external && !('programs' in found)) {
      log(`MariaDB skipped: ${found.missing}`);
    } else {
      const server = external ? null : await startPrivateMariaDb();
      try {
        const serverUrl = external ?? server!.url;
        await measure(
          'mariadb',
          async () => {
            const scratch = await createScratchDatabase(serverUrl, 'sb_bench_webhook');
            return { url: scratch.url, drop: scratch.drop };
          },
          options,
        );
      } finally {
        await server?.stop();
      }
    }
  }
  log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
}
