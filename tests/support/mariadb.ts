/**
 * A private, throwaway MariaDB server for tests and benchmarks.
 *
 * Started from the system's `mariadbd` exactly as docs/TOOLCHAIN.md describes: a fresh data
 * directory in a temp folder, a random free port on 127.0.0.1, the socket inside the temp folder,
 * root over TCP with an empty password. Nothing is shared with a system MariaDB, so parallel test
 * runs never see each other's data.
 */
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const execFileAsync = promisify(execFile);

/** Paths of the MariaDB programs the harness needs. */
export interface MariaDbPrograms {
  server: string;
  installDb: string;
  admin: string;
}

/** A running private server; `stop()` ends it by pid and removes its data. */
export interface PrivateMariaDb {
  /** `mysql://root@127.0.0.1:PORT/` — no database selected. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

const searchPath = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin'];

function findProgram(names: readonly string[]): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...searchPath];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** Finds `mariadbd`, `mariadb-install-db` and `mariadb-admin`, or explains which one is missing. */
export function findMariaDbPrograms(): { programs: MariaDbPrograms } | { missing: string } {
  const server = findProgram(['mariadbd', 'mysqld']);
  const installDb = findProgram(['mariadb-install-db', 'mysql_install_db']);
  const admin = findProgram(['mariadb-admin', 'mysqladmin']);
  if (!server) return { missing: 'mariadbd (install the Debian package mariadb-server)' };
  if (!installDb) return { missing: 'mariadb-install-db (install the Debian package mariadb-server)' };
  if (!admin) return { missing: 'mariadb-admin (install the Debian package mariadb-client)' };
  return { programs: { server, installDb, admin } };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts a private MariaDB and resolves once it answers `ping`.
 *
 * Throws with the server's own log tail when it does not come up, so a CI failure says why.
 */
export async function startPrivateMariaDb(programs?: MariaDbPrograms): Promise<PrivateMariaDb> {
  const found = programs ? { programs } : findMariaDbPrograms();
  if (!('programs' in found)) throw new Error(`MariaDB is not installed: missing ${found.missing}`);
  const { server, installDb, admin } = found.programs;

  const dir = mkdtempSync(join(tmpdir(), 'switchboard-mariadb-'));
  const dataDir = join(dir, 'data');
  const socket = join(dir, 'sock');
  const pidFile = join(dir, 'pid');
  const logFile = join(dir, 'error.log');
  await execFileAsync(installDb, [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);

  // A port can be taken between probing and binding; retry a few times on a fresh port.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      server,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-networking=0',
        '--user=root',
        `--pid-file=${pidFile}`,
        `--log-error=${logFile}`,
        '--skip-log-bin',
        '--skip-name-resolve',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
        // Sized for a benchmark of a million rows on a small machine; the defaults (128 MB pool,
        // 96 MB redo log) make the bulk load checkpoint constantly.
        '--innodb-buffer-pool-size=512M',
        '--innodb-log-file-size=256M',
      ],
      { stdio: 'ignore' },
    );
    const stop = async (): Promise<void> => {
      const pidText = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : '';
      const pid = Number(pidText) || child.pid;
      if (pid) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      if (!(await waitForExit(child, 30_000)) && child.pid) process.kill(child.pid, 'SIGKILL');
      await waitForExit(child, 5_000);
      rmSync(dir, { recursive: true, force: true });
    };

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        await execFileAsync(admin, ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'], {
          timeout: 5_000,
        });
        return { url: `mysql://root@127.0.0.1:${port}/`, port, stop };
      } catch {
        await sleep(100);
      }
    }
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    await stop().catch(() => undefined);
    if (attempt === 3 || !/address already in use/i.test(log)) {
      throw new Error(`Private MariaDB did not start (attempt ${attempt}). Server log:\n${log}`);
    }
  }
  throw new Error('Private MariaDB did not start');
}

/** A database created for one test file (or one benchmark run) on a MariaDB server. */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/**
 * Creates a uniquely named, empty utf8mb4 database on the server at `serverUrl`.
 *
 * `serverUrl` is a `mysql://` URL whose user may create databases; its path is ignored.
 */
export async function createScratchDatabase(serverUrl: string, prefix = 'sb_test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(withDatabase(serverUrl, ''));
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    name,
    drop: async () => {
      const conn = await createConnection(withDatabase(serverUrl, ''));
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** Returns `url` with its path replaced by `/database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
