import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiToken } from '../../electron/main/core/api/http-auth';
import type { CoreConfig } from '../../electron/main/core/config';
import { createCore, type Core } from '../../electron/main/core/create-core';
import { silentLogger, type Logger } from '../../electron/main/core/lib/logger';
import { SecretKey, writeKeyFile } from '../../electron/main/core/secrets';
import type { OutboxTuning } from '../../electron/main/core/outbox/create-outbox';

export interface CoreUnderTest {
  core: Core;
  dataDir: string;
  api: { origin: string; port: number; token: string };
  /** Calls a method over HTTP exactly as a script or the browser renderer would. */
  httpCall(
    method: string,
    body: unknown,
    init?: { headers?: Record<string, string> },
  ): Promise<{ status: number; json: unknown }>;
  dispose(): Promise<void>;
}

export function testConfig(dataDir: string, overrides: Partial<CoreConfig> = {}): CoreConfig {
  return {
    dataDir,
    port: 0,
    webhookPort: 0,
    databaseUrl: undefined,
    graphUrl: undefined,
    keyFile: undefined,
    tunnel: false,
    demo: false,
    open: false,
    ...overrides,
  };
}

/** A core with its own data folder and free ports, plus its loopback HTTP transport. */
export async function startCoreUnderTest(
  options: {
    config?: Partial<CoreConfig>;
    logger?: Logger;
    rendererDir?: string;
    outbox?: OutboxTuning;
    /** false: webhooks on the main thread (tests that reach into the routes); default: the receiver thread. */
    receiverThread?: boolean;
  } = {},
): Promise<CoreUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  // The master key comes from a real key file (mode 0600), as on a server without a keychain.
  const keyFile = join(dataDir, 'master.key');
  await writeKeyFile(keyFile, SecretKey.generate());
  const core = await createCore({
    config: testConfig(dataDir, { keyFile, ...options.config }),
    shell: 'headless',
    version: '0.0.0-test',
    logger: options.logger ?? silentLogger(),
    ...(options.outbox ? { outbox: options.outbox } : {}),
    ...(options.receiverThread === undefined ? {} : { receiverThread: options.receiverThread }),
  });
  const token = generateApiToken();
  const server = await core.startApiServer({
    port: 0,
    token,
    ...(options.rendererDir ? { rendererDir: options.rendererDir } : {}),
  });
  return {
    core,
    dataDir,
    api: { origin: server.origin, port: server.port, token },
    async httpCall(method, body, init = {}) {
      const response = await fetch(`${server.origin}/api/call/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    },
    async dispose() {
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
