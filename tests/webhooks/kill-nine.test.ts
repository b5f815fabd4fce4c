/**
 * A real `kill -9` of the built headless process while signed deliveries are in flight: every delivery that
 * got its 200 before the kill is in the database after a restart on the same data folder and key file.
 * Needs the build (`npx electron-vite build`), like tests/core/headless-process.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/main/core/db/connection';
import { createRepositories } from '../../electron/main/core/db/repositories';
import { signWebhookBody } from '../../electron/main/sandbox';
import type { AccountView } from '../../shared/contract';
import { body, customerItem, mid } from '../receiving/support';
import { waitFor } from './support';

const entry = resolve(import.meta.dirname, '..', '..', 'out', 'main', 'headless.js');
const DELIVERIES = 600;
const CONCURRENCY = 32;
/** Kill once this many were acknowledged: well before the end, so many are in flight. */
const KILL_AFTER_ACKS = 60;

interface Running {
  child: ChildProcess;
  api: string;
  token: string;
  webhook: string;
}

const started: ChildProcess[] = [];
let dataDir: string | undefined;
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function startHeadlessOn(dir: string, keyFile: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    [entry, '--data-dir', dir, '--key-file', keyFile, '--port', '0', '--webhook-port', '0', '--no-tunnel'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolvePromise, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const ready = JSON.parse(line) as { api: string; token: string; webhook: string };
      resolvePromise({ child, ...ready });
    });
    child.once('exit', (code) => reject(new Error(`headless exited with ${code}:\n${stderr}`)));
  });
}

function post(agent: Agent, url: string, payload: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolvePromise(res.statusCode ?? 0));
        res.on('error', () => resolvePromise(0));
      },
    );
    req.on('error', () => resolvePromise(0));
    req.end(payload);
  });
}

describe('kill -9 while deliveries are in flight', () => {
  it('is built', () => {
    expect(existsSync(entry), 'run `npx electron-vite build` before the tests').toBe(true);
  });

  it('loses no acknowledged delivery', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-kill9-'));
    const keyFile = join(dataDir, 'master.key');
    writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
    const first = await startHeadlessOn(dataDir, keyFile);

    const appSecret = randomBytes(16).toString('hex');
    const instagramAccountId = `1784140${String(Date.now()).slice(-10)}`;
    const created = await fetch(`${first.api}/api/call/accounts.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${first.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        instagramAccountId,
        username: 'kill_nine',
        clientName: 'Crash test',
        loginType: 'instagram',
        accessToken: `IGAA${randomBytes(24).toString('hex')}`,
        appSecret,
      }),
    });
    const account = ((await created.json()) as { ok: boolean; value: AccountView }).value;
    expect(account.instagramAccountId).toBe(instagramAccountId);

    const deliveries = Array.from({ length: DELIVERIES }, (_, i) => {
      const messageId = mid(`k${i}`);
      const customer = `12544${String(i % 40).padStart(11, '0')}`;
      const payload = body([
        customerItem(
          instagramAccountId,
          customer,
          Date.now() + i,
          { type: 'text', text: `delivery ${i} ✓` },
          { mid: messageId },
        ),
      ]);
      return {
        messageId,
        payload,
        headers: { 'content-type': 'application/json', ...signWebhookBody(payload, appSecret) },
      };
    });

    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = `${first.webhook}/webhooks/instagram/${instagramAccountId}`;
    const acked: string[] = [];
    const answered = new Map<number, number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        const status = await post(agent, url, delivery.payload, delivery.headers);
        answered.set(status, (answered.get(status) ?? 0) + 1);
        if (status === 200) acked.push(delivery.messageId);
        if (!killed && acked.length >= KILL_AFTER_ACKS) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    await new Promise((r) =>
      first.child.exitCode !== null || first.child.signalCode !== null
        ? r(null)
        : first.child.once('exit', r),
    );
    expect(first.child.signalCode).toBe('SIGKILL');
    // The kill really cut deliveries off: some were never acknowledged.
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acked.length).toBeLessThan(DELIVERIES);

    const second = await startHeadlessOn(dataDir, keyFile);
    const database = await openDatabase({ dialect: 'sqlite', file: join(dataDir, 'switchboard.db') });
    try {
      const repos = createRepositories(database);
      // Acknowledged deliveries may still be in the receiver's spool at the kill: the restart copies them,
      // then ingests them. Nothing pending in `webhook_events` is not enough to say it is done.
      const missing = async () => {
        const absent: string[] = [];
        for (const messageId of acked) {
          if (!(await repos.conversations.getMessageByMid(account.id, messageId))) absent.push(messageId);
        }
        return absent;
      };
      await waitFor(
        async () => (await missing()).length === 0,
        'every acknowledged delivery to be ingested after the restart',
        20_000,
      ).catch(() => undefined);
      expect(await missing()).toEqual([]);
    } finally {
      await database.close();
      second.child.kill('SIGTERM');
      await new Promise((r) => (second.child.exitCode !== null ? r(null) : second.child.once('exit', r)));
    }
  });
});
