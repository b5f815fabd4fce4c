#!/usr/bin/env node
/**
 * `npm start [-- flags]`: builds, then starts the Electron app; where Electron's binary cannot be had,
 * says so in one sentence and starts headless mode instead, opening the UI in the browser.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

/** The Electron binary's path, downloading it once if this machine can; undefined where it cannot. */
function electronBinary() {
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(electronDir, 'path.txt');
  const binary = () =>
    existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
  const present = binary();
  if (present && existsSync(present)) return present;
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'ignore',
    timeout: 180_000,
  });
  const installed = binary();
  return install.status === 0 && installed && existsSync(installed) ? installed : undefined;
}

const binary = process.env.SWITCHBOARD_FORCE_HEADLESS ? undefined : electronBinary();
if (binary) {
  const child = spawn(binary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(
    'Electron cannot run on this machine (its binary could not be downloaded), so Switchboard is starting in headless mode in your browser instead.\n',
  );
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'headless.js'), '--open', ...args], {
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  // The full structured log is in the data folder; the terminal shows warnings and errors only.
  createInterface({ input: child.stderr }).on('line', (line) => {
    try {
      const record = JSON.parse(line);
      if (record.level >= 40) process.stderr.write(`switchboard: ${record.msg}\n`);
    } catch {
      process.stderr.write(`${line}\n`);
    }
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    try {
      const ready = JSON.parse(line);
      if (ready.event === 'ready') {
        process.stderr.write(
          `\nSwitchboard is running. Open this address if your browser did not open it:\n\n  ${ready.ui}\n\nPress Ctrl+C to stop.\n\n`,
        );
        return;
      }
    } catch {
      // not the ready line
    }
    process.stdout.write(`${line}\n`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
