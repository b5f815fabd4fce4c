/**
 * The core's database health as the status bar sees it: ready on both dialects, "needs attention" with
 * plain words when the database cannot be used (and the app keeps serving), and an unreachable server
 * that comes back is picked up by itself.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../shared/contract';
import { createScratchConfig, mysqlServer } from '../support/databases';
import { startCoreUnderTest } from '../support/core-harness';

async function waitForDatabaseState(
  read: () => AppStatus,
  state: AppStatus['database']['state'],
  attempts = 200,
): Promise<AppStatus['database']> {
  for (let i = 0; i < attempts; i++) {
    const database = read().database;
    if (database.state === state) return database;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`database never became ${state}: ${JSON.stringify(read().database)}`);
}

describe('database health in the core', () => {
  it('is ready on the embedded database by default, in the data folder', async () => {
    const harness = await startCoreUnderTest();
    try {
      const database = harness.core.status.get().database;
      expect(database).toEqual({
        state: 'ok',
        dialect: 'sqlite',
        location: join(harness.dataDir, 'switchboard.db'),
      });
      expect(harness.core.database.isReady).toBe(true);
    } finally {
      await harness.dispose();
    }
  });

  it('reports a database file it cannot open in plain words, and keeps serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-notadb-'));
    const file = join(dir, 'switchboard.db');
    writeFileSync(file, 'this is not a database file, it is a text file that someone put here by mistake');
    const harness = await startCoreUnderTest({ config: { databaseUrl: `sqlite:${file}` } });
    try {
      const database = harness.core.status.get().database;
      expect(database.state).toBe('needs_attention');
      expect(database.location).toBe(file);
      expect(database.message).toMatch(/\w+ \w+/);
      expect(database.message).not.toMatch(/SQLITE_|errno/i);
      const info = await harness.httpCall('app.getInfo', {});
      expect(info.status).toBe(200);
      expect(() => harness.core.database.repositories).toThrow('The database is not available right now');
    } finally {
      await harness.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects to MariaDB and never shows the password', async () => {
    const server = mysqlServer();
    if ('reason' in server) throw new Error(server.reason);
    const scratch = await createScratchConfig('mysql');
    if (scratch.config.dialect !== 'mysql') throw new Error('expected a MySQL scratch database');
    const { host, port, database: name, user } = scratch.config;
    const harness = await startCoreUnderTest({
      config: { databaseUrl: `mysql://${user}:pw-should-not-show@${host}:${port}/${name}` },
    });
    try {
      const status = harness.core.status.get().database;
      // Wrong password for root: the message says so, without the password.
      expect(status.state).toBe('needs_attention');
      expect(JSON.stringify(status)).not.toContain('pw-should-not-show');
      expect(status.location).toBe(`${host}:${port}/${name}`);
    } finally {
      await harness.dispose();
    }
    const good = await startCoreUnderTest({
      config: { databaseUrl: `mysql://${user}@${host}:${port}/${name}` },
    });
    try {
      expect(good.core.status.get().database).toEqual({
        state: 'ok',
        dialect: 'mysql',
        location: `${host}:${port}/${name}`,
      });
    } finally {
      await good.dispose();
      await scratch.drop();
    }
  });

  it('reconnects by itself when an unreachable server comes back', async () => {
    const server = mysqlServer();
    if ('reason' in server) throw new Error(server.reason);
    const scratch = await createScratchConfig('mysql');
    if (scratch.config.dialect !== 'mysql') throw new Error('expected a MySQL scratch database');
    const { host, port, database: name, user } = scratch.config;

    // A port that refuses connections until we start forwarding it to the real server.
    const placeholder = createServer();
    await new Promise<void>((resolve) => placeholder.listen(0, '127.0.0.1', resolve));
    const proxyPort = (placeholder.address() as { port: number }).port;
    await new Promise<void>((resolve) => placeholder.close(() => resolve()));

    const harness = await startCoreUnderTest({
      config: { databaseUrl: `mysql://${user}@127.0.0.1:${proxyPort}/${name}` },
    });
    const sockets: Socket[] = [];
    let proxy: Server | undefined;
    try {
      const down = harness.core.status.get().database;
      expect(down.state).toBe('unreachable');
      expect(down.message).toContain(`127.0.0.1:${proxyPort}`);

      proxy = createServer((client) => {
        const upstream = connect(port, host);
        sockets.push(client, upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => proxy!.listen(proxyPort, '127.0.0.1', resolve));
      const up = await waitForDatabaseState(() => harness.core.status.get(), 'ok');
      expect(up.location).toBe(`127.0.0.1:${proxyPort}/${name}`);
      expect(harness.core.database.isReady).toBe(true);
    } finally {
      await harness.dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
      await scratch.drop();
    }
  });
});
