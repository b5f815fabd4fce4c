/**
 * The emulator keeps connections open like Meta's servers, so a keep-alive client (the app's Graph transport)
 * reuses one connection for calls in a row instead of paying a new one per call.
 */
import { Agent, request } from 'node:http';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox';
import { sandboxForTest } from './helpers';

let sandbox: Sandbox;
let agent: Agent;
beforeEach(async () => {
  sandbox = await sandboxForTest();
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
});
afterEach(async () => {
  agent.destroy();
  await sandbox.dispose();
});

/** One GET; whether it went over a connection an earlier call had opened. */
function call(path: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sandbox.url), { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, reused: req.reusedSocket }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

it('serves calls in a row over one connection', async () => {
  const answers = [];
  for (let i = 0; i < 3; i++) {
    answers.push(await call('/v25.0/me'));
    // Node's agent hands a socket back after the answer's end; give it that turn, as a real caller would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The calls themselves are refused (no token): only the connection matters here.
  expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400]);
  expect(answers.map((answer) => answer.reused)).toEqual([false, true, true]);
});
