/**
 * `npm run bench -- pipeline [--seconds N] [--rate R] [--cpu-prof]`: the whole loop under load.
 *
 * The core runs in its own process (`lib/pipeline-core.ts`, started with PIPELINE_CORE_CHILD set; SQLite in a
 * temporary data folder, key file as in the test harness), so the load generator and the sandbox in
 * this process do not take its CPU. The sandbox has 20 accounts, each with one published pattern rule
 * and automation on; pacing is lifted (emulator limits off, the core's sender started `unpaced`, a high
 * hourly budget). Customers write through direct signed POSTs from a keep-alive loopback generator at a
 * fixed offered rate (open loop; latency counted from each message's scheduled time, so a slow core
 * cannot hide its queue). Each inbound carries a unique number the rule captures into its reply, which
 * is how each reply the emulator accepted (`sentMessages`, with its `at`) is matched to its inbound.
 *
 * A reply counts once per inbound; a second reply to the same inbound is a duplicate; an inbound with
 * no reply once replies stopped coming for 10 s (or after 5 minutes) is a loss.
 *
 * Figures: replies_per_s, inbound_to_reply_ms_p50/_p99, duplicates, losses, core_cpu_ms_per_reply (the core
 * process's CPU, all threads, per reply) and main_thread_ms_per_reply (how long the core's main thread was
 * busy per reply, blocking SQLite calls included): the last two are steadier than latency on a shared
 * machine. With each rate, what the disk did meanwhile (lib/disk-probe.ts: disk_flush_ms_p99,
 * disk_stalled_share), since a reply's way has several flushes. Offered at --rate; the
 * same at offered_per_s=200 (each rate once the core is idle again); then with pacing on (20 fresh accounts, small budgets) pacing_violations
 * from the emulator's counters. Everything is bounded in count and time and stays on 127.0.0.1.
 *
 * The yardstick (`lib/bare-loop.ts`, bare_loop_replies_per_s and bare_loop_cpu_ms_per_reply): at --rate, with
 * the core stopped, 20 fresh accounts answered by a bot that checks signatures and replies through the Send API
 * but stores, queues and paces nothing. It shares the generator, the emulator and the two cores with the core's
 * runs, so it bounds what any loop can reach here; replies_per_s_to_bare_loop puts the core's figure against it.
 * Then the same bot storing what the promises need (each delivery before its 200, each reply before it is sent and
 * its message id after, group-committed with `synchronous = full`): bare_durable_loop_replies_per_s,
 * bare_durable_loop_cpu_ms_per_reply and replies_per_s_to_bare_durable_loop, what durable commits leave of it here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCustomerEvent,
  buildEnvelope,
  serializeLikeMeta,
  signWebhookBody,
  startSandbox,
  type Sandbox,
} from '../electron/main/sandbox';
import { startBareLoop, stopBareLoop, type BareAccount } from './lib/bare-loop';
import {
  cpuMs,
  mainThreadBusyMs,
  settle,
  SETTLE_MAX_MS,
  startCoreProcess,
  stopCore,
  type CoreProcess,
} from './lib/pipeline-core';
import { startDiskProbe } from './lib/disk-probe';
import { percentile, report } from './lib/report';

const ACCOUNTS = 20;
const CUSTOMERS_PER_ACCOUNT = 50;
const FIXED_RATE = 200;
/** Highest per-second budget the contract allows (outbox.setPacing). */
const MAX_PER_SECOND = 100;
const PACED = { perSecond: 5, perHour: 20, messagesPerAccount: 40 };
const REPLY_PATTERN = /^Order (\d+) received$/;

const log = (text: string) => process.stderr.write(`${text}\n`);
const round = (value: number) => Math.round(value * 1000) / 1000;

interface Options {
  seconds: number;
  rate: number;
  cpuProf: boolean;
}

function parseArgs(args: string[]): Options {
  const options: Options = { seconds: 5, rate: 2_500, cpuProf: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--seconds') options.seconds = Number(args[++i]);
    else if (arg === '--rate') options.rate = Number(args[++i]);
    else if (arg === '--cpu-prof') options.cpuProf = true;
    else
      throw new Error(
        `Unknown argument ${arg}. Usage: npm run bench -- pipeline [--seconds N] [--rate R] [--cpu-prof]`,
      );
  }
  if (!(options.seconds >= 1 && options.seconds <= 60)) throw new Error('--seconds must be between 1 and 60');
  if (!(options.rate >= 1 && options.rate <= 10_000)) throw new Error('--rate must be 1..10000');
  return options;
}

/* ------------------------------------------------------------------------------------------------ */
/* Accounts, customers, load                                                                         */
/* ------------------------------------------------------------------------------------------------ */

interface BenchAccount {
  igId: string;
  appSecret: string;
  path: string;
  customers: BenchCustomer[];
}

interface BenchCustomer {
  igsid: string;
  username: string;
}

async function addAccounts(
  sandbox: Sandbox,
  core: CoreProcess,
  label: string,
  budget: { perSecond: number; perHour: number },
): Promise<BenchAccount[]> {
  const accounts: BenchAccount[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    // Emulator limits off: the benchmark measures the core; the pacing run checks the counters instead.
    const created = sandbox.createAccount({
      loginType: 'instagram',
      subscribedFields: ['messages'],
      rateLimits: { perSecond: null, perHour: null },
    });
    const view = await core.call<{
      id: string;
      callbackUrl: string;
      webhookVerifyToken: string;
      settings: Record<string, unknown>;
    }>('accounts.create', {
      instagramAccountId: created.account.id,
      username: created.account.username,
      clientName: `${label} ${i}`,
      loginType: 'instagram',
      accessToken: created.token,
      appSecret: created.app.secret,
    });
    // Echo webhooks of our sends go to the core, so the loop includes their reconciliation.
    sandbox.updateApp(created.app.id, {
      callbackUrl: view.callbackUrl,
      verifyToken: view.webhookVerifyToken,
    });
    await core.call('accounts.update', {
      id: view.id,
      settings: { ...view.settings, automationEnabled: true, hourlySendBudget: budget.perHour },
    });
    await core.call('outbox.setPacing', { accountId: view.id, perSecond: budget.perSecond });
    const draft = await core.call<{ id: string; version: number }>('rules.create', {
      accountId: view.id,
      rule: {
        name: 'Order status',
        priority: 10,
        trigger: { type: 'pattern', pattern: 'order (?P<n>\\d+)' },
        response: { kind: 'text', variants: ['Order {{capture.n}} received'] },
      },
    });
    await core.call('rules.publish', {
      accountId: view.id,
      rules: [{ id: draft.id, expectedVersion: draft.version }],
    });
    const customers: BenchCustomer[] = [];
    for (let c = 0; c < CUSTOMERS_PER_ACCOUNT; c++)
      // The emulator only accepts replies inside the customer's window: open it.
      customers.push(sandbox.createCustomer(created.account.id, { lastInboundSecondsAgo: 1 }));
    accounts.push({
      igId: created.account.id,
      appSecret: created.app.secret,
      path: new URL(view.callbackUrl).pathname,
      customers,
    });
  }
  return accounts;
}

/** Fresh accounts for the bare loop: limits off and windows open as for the core; callbacks go to the loop. */
async function bareLoopAccounts(sandbox: Sandbox, options: { storeIn?: string } = {}) {
  const created = Array.from({ length: ACCOUNTS }, () =>
    sandbox.createAccount({
      loginType: 'instagram',
      subscribedFields: ['messages'],
      rateLimits: { perSecond: null, perHour: null },
    }),
  );
  const loop = await startBareLoop(
    sandbox.url,
    created.map((c): BareAccount => ({ igId: c.account.id, appSecret: c.app.secret, token: c.token })),
    options,
  );
  const accounts: BenchAccount[] = created.map((c) => {
    const path = `/webhooks/${c.account.id}`;
    sandbox.updateApp(c.app.id, { callbackUrl: `${loop.origin}${path}` });
    const customers = Array.from({ length: CUSTOMERS_PER_ACCOUNT }, () =>
      sandbox.createCustomer(c.account.id, { lastInboundSecondsAgo: 1 }),
    );
    return { igId: c.account.id, appSecret: c.app.secret, path, customers };
  });
  return { loop, accounts };
}

let sequence = 0;

/** One signed delivery of one DM, serialised and signed like Meta's. */
function delivery(account: BenchAccount, customer: BenchCustomer, n: number) {
  const now = Date.now();
  const item = buildCustomerEvent(
    {
      accountId: account.igId,
      customerId: customer.igsid,
      customerUsername: customer.username,
      timestamp: now,
      mid: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(24).toString('base64url')}${n}`,
      loginType: 'instagram',
      newCommentId: () => '1',
      newMediaId: () => '1',
    },
    { type: 'text', text: `Hallo! Any news about order ${n}? 👋` },
  );
  const body = serializeLikeMeta(buildEnvelope([item], now));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...signWebhookBody(body, account.appSecret),
    },
  };
}

function post(agent: Agent, url: string, message: ReturnType<typeof delivery>): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: message.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(10_000, () => req.destroy());
    req.end(message.body);
  });
}

interface LoadResult {
  /** Scheduled time (epoch ms) of each inbound, by its number. */
  scheduled: Map<number, number>;
  notAcked: number;
}

/** Open loop: `total` DMs at `rate`/s, round-robin over accounts and their customers. */
async function offer(
  webhookOrigin: string,
  accounts: BenchAccount[],
  rate: number,
  total: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const scheduled = new Map<number, number>();
  const pending: Promise<void>[] = [];
  let notAcked = 0;
  const start = Date.now() + 20;
  for (let i = 0; i < total; i++) {
    const at = start + (i * 1000) / rate;
    const wait = at - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    sequence += 1;
    const n = sequence;
    const account = accounts[i % accounts.length]!;
    const customer = account.customers[Math.floor(i / accounts.length) % account.customers.length]!;
    scheduled.set(n, at);
    pending.push(
      post(agent, `${webhookOrigin}${account.path}`, delivery(account, customer, n)).then((status) => {
        if (status !== 200) notAcked += 1;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { scheduled, notAcked };
}

/** Waits (bounded) until every offered inbound has a reply at the emulator; matches replies to inbounds. */
async function collect(sandbox: Sandbox, load: LoadResult, deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  const seen = new Map<number, number>();
  const duplicated: { n: number; messageId: string | null; at: number }[] = [];
  let cursor = 0;
  const scan = () => {
    const sent = sandbox.sentMessages();
    for (; cursor < sent.length; cursor++) {
      const record = sent[cursor]!;
      const match = REPLY_PATTERN.exec(record.message?.text ?? '');
      if (record.kind !== 'message' || !match) continue;
      const n = Number(match[1]);
      if (!load.scheduled.has(n)) continue;
      if (seen.has(n)) duplicated.push({ n, messageId: record.messageId, at: record.at });
      else seen.set(n, record.at);
    }
  };
  // A slow core is not a lossy one: keep waiting while replies still come (up to the hard deadline);
  // what has no reply after 10 s without any progress is counted lost.
  let lastProgress = Date.now();
  for (;;) {
    const before = seen.size;
    scan();
    if (seen.size > before) lastProgress = Date.now();
    if (seen.size >= load.scheduled.size) break;
    if (Date.now() > deadline || Date.now() - lastProgress > 10_000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // A second send of the same reply would come after the first: give it a moment to show, then recount.
  await new Promise((resolve) => setTimeout(resolve, 500));
  scan();
  for (const d of duplicated.slice(0, 5))
    log(`    duplicate reply to inbound ${d.n}: ${d.messageId} at +${d.at - load.scheduled.get(d.n)!} ms`);
  const duplicates = duplicated.length;
  const latencies: number[] = [];
  let first = Infinity;
  let last = 0;
  for (const [n, at] of seen) {
    const start = load.scheduled.get(n)!;
    latencies.push(at - start);
    first = Math.min(first, start);
    last = Math.max(last, at);
  }
  return {
    replies: seen.size,
    losses: load.scheduled.size - seen.size,
    duplicates,
    perSecond: seen.size / Math.max(0.001, (last - first) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/* ------------------------------------------------------------------------------------------------ */
/* Entry point                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  log(
    `load average before: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  // No simulator traffic except echoes; their bodies need not be kept for the whole run.
  const sandbox = await startSandbox({ port: 0, seed: 2, delivery: { logBodies: false } });
  const profDir = options.cpuProf ? mkdtempSync(join(tmpdir(), 'switchboard-pipeline-prof-')) : undefined;
  const core = await startCoreProcess(sandbox.url, profDir, true);
  let pacedCore: CoreProcess | undefined;
  try {
    const lifted = await addAccounts(sandbox, core, 'Bench', { perSecond: MAX_PER_SECOND, perHour: 100_000 });
    // Warm-up: first conversations, compiled rules, JIT.
    const warm = await offer(core.webhook, lifted, 200, 400);
    await collect(sandbox, warm, 60_000);

    const common = { bench: 'pipeline', db: 'sqlite', accounts: ACCOUNTS };
    const runs: [number, string][] = [
      [options.rate, 'throughput'],
      [FIXED_RATE, 'fixed rate'],
    ];
    let coreRepliesPerSecond = 0;
    for (const [rate, label] of runs) {
      // Each rate on its own: the previous run's tail (echoes, name lookups, notifications) is finished first.
      const settleStart = Date.now();
      const quiet = await settle(core);
      log(
        quiet
          ? `  core idle after ${((Date.now() - settleStart) / 1000).toFixed(1)} s`
          : `  the core was still busy after ${SETTLE_MAX_MS / 1000} s; measuring anyway`,
      );
      const cpuBefore = cpuMs(core);
      const busyBefore = await mainThreadBusyMs(core);
      const disk = startDiskProbe(tmpdir());
      const load = await offer(core.webhook, lifted, rate, Math.round(rate * options.seconds));
      const result = await collect(sandbox, load, 300_000);
      const cpuAfter = cpuMs(core);
      const busy = (await mainThreadBusyMs(core)) - busyBefore;
      log(
        `  ${label}: offered ${load.scheduled.size} at ${rate}/s, ${load.notAcked} not acked, ${result.replies} replies`,
      );
      if (label === 'throughput') coreRepliesPerSecond = result.perSecond;
      const figures = { ...common, offered_per_s: rate };
      await disk.report(figures);
      report({ ...figures, metric: 'replies_per_s', value: Math.round(result.perSecond) });
      report({ ...figures, metric: 'inbound_to_reply_ms_p50', value: round(result.p50) });
      report({ ...figures, metric: 'inbound_to_reply_ms_p99', value: round(result.p99) });
      report({ ...figures, metric: 'duplicates', value: result.duplicates });
      report({ ...figures, metric: 'losses', value: result.losses });
      if (result.replies > 0)
        report({ ...figures, metric: 'main_thread_ms_per_reply', value: round(busy / result.replies) });
      if (cpuBefore !== null && cpuAfter !== null && result.replies > 0)
        report({
          ...figures,
          metric: 'core_cpu_ms_per_reply',
          value: round((cpuAfter - cpuBefore) / result.replies),
        });
    }

    await stopCore(core);

    // The yardsticks, with the core stopped: the same load at --rate against a bot that stores nothing, then
    // against the same bot storing what the product's promises need (lib/bare-loop.ts).
    for (const durable of [false, true]) {
      const name = durable ? 'bare_durable_loop' : 'bare_loop';
      const dir = durable ? mkdtempSync(join(tmpdir(), 'switchboard-bench-bare-')) : undefined;
      const bare = await bareLoopAccounts(sandbox, dir ? { storeIn: join(dir, 'bot.db') } : {});
      try {
        await collect(sandbox, await offer(bare.loop.origin, bare.accounts, 200, 400), 60_000);
        const cpuBefore = cpuMs(bare.loop);
        const load = await offer(
          bare.loop.origin,
          bare.accounts,
          options.rate,
          Math.round(options.rate * options.seconds),
        );
        const result = await collect(sandbox, load, 120_000);
        const cpuAfter = cpuMs(bare.loop);
        log(`  ${name}: offered ${load.scheduled.size} at ${options.rate}/s, ${result.replies} replies`);
        const figures = { ...common, offered_per_s: options.rate };
        report({ ...figures, metric: `${name}_replies_per_s`, value: Math.round(result.perSecond) });
        if (cpuBefore !== null && cpuAfter !== null && result.replies > 0)
          report({
            ...figures,
            metric: `${name}_cpu_ms_per_reply`,
            value: round((cpuAfter - cpuBefore) / result.replies),
          });
        if (result.perSecond > 0)
          report({
            ...figures,
            metric: `replies_per_s_to_${name}`,
            value: round(coreRepliesPerSecond / result.perSecond),
          });
      } finally {
        await stopBareLoop(bare.loop);
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }

    // Pacing on (a core of its own, as the app runs): fresh accounts, small budgets, more offered than allowed.
    pacedCore = await startCoreProcess(sandbox.url, undefined, false);
    const paced = await addAccounts(sandbox, pacedCore, 'Paced', PACED);
    const load = await offer(pacedCore.webhook, paced, 400, ACCOUNTS * PACED.messagesPerAccount);
    // Bounded wait until each account has used its hourly budget (the rest waits for the next hour).
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      paced.some((account) => sandbox.counters(account.igId).accepted < PACED.perHour)
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    let violations = 0;
    let accepted = 0;
    let maxPerSecond = 0;
    for (const account of paced) {
      const counters = sandbox.counters(account.igId);
      accepted += counters.accepted;
      maxPerSecond = Math.max(maxPerSecond, counters.maxPerSecond);
      if (counters.maxPerSecond > PACED.perSecond || counters.maxPerHour > PACED.perHour) violations += 1;
    }
    log(
      `  pacing on: ${load.scheduled.size} offered, ${accepted} accepted (budget ${PACED.perHour}/h × ${ACCOUNTS}), highest per-second ${maxPerSecond} (budget ${PACED.perSecond})`,
    );
    const pacedFigures = { ...common, pacing: true, per_second: PACED.perSecond, per_hour: PACED.perHour };
    report({ ...pacedFigures, metric: 'pacing_violations', value: violations });
    report({ ...pacedFigures, metric: 'paced_accepted', value: accepted });
    report({ ...pacedFigures, metric: 'paced_max_per_second', value: maxPerSecond });
  } finally {
    await stopCore(core);
    if (pacedCore) await stopCore(pacedCore);
    await sandbox.dispose();
    if (profDir) log(`core CPU profile in ${profDir}`);
  }
  log(
    `load average after: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
}
