/**
 * How the secrets tests find a real OS keychain, and the child-process helpers for its failure paths.
 *
 * The keychain is "available" when a KeytarSecretStore can write, read back and delete a probe secret in the
 * current D-Bus session (`npm test` provides one: a private gnome-keyring under dbus-run-session). When it is not:
 * with CI=true the keychain tests fail with the reason; otherwise they are skipped and the reason is printed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { KeychainError } from '../../../electron/main/core/secrets/errors';
import { KeytarSecretStore } from '../../../electron/main/core/secrets/keytar-secret-store';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PROBE_SCRIPT = fileURLToPath(new URL('../fixtures/keychain-probe.ts', import.meta.url));
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** A keychain service name of this test run alone, so parallel runs never share entries. */
export function uniqueService(): string {
  return `switchboard-test-${randomUUID()}`;
}

export type Availability = { available: true } | { available: false; reason: string };

/** Writes, reads back and deletes a probe secret in the real keychain. */
export async function probeKeychain(): Promise<Availability> {
  const store = new KeytarSecretStore({ service: uniqueService(), timeoutMs: 10_000 });
  try {
    await store.set('ngrok-authtoken', 'probe');
    const back = await store.get('ngrok-authtoken');
    await store.delete('ngrok-authtoken');
    if (back !== 'probe')
      return { available: false, reason: 'the keychain accepted a secret but did not return it' };
    return { available: true };
  } catch (error) {
    const detail = error instanceof KeychainError ? ` [${error.state}: ${error.detail}]` : '';
    return { available: false, reason: `${error instanceof Error ? error.message : String(error)}${detail}` };
  }
}

/** Whether the tools for private D-Bus sessions with gnome-keyring exist on this machine. */
export function privateSessionTools(): Availability {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon', 'gdbus'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  return missing.length === 0
    ? { available: true }
    : {
        available: false,
        reason: `missing ${missing.join(', ')} (apt-get install dbus gnome-keyring libglib2.0-bin)`,
      };
}

/**
 * `describe` for tests that need a service: runs them when available; otherwise fails under CI with the reason,
 * or skips with the reason printed.
 */
export function describeWhen(availability: Availability, title: string, body: () => void): void {
  if (availability.available) {
    describe(title, body);
  } else if (IN_CI) {
    describe(title, () => {
      it('has its service available (CI=true makes a missing service a failure)', () => {
        throw new Error(`${title}: not available in CI: ${availability.reason}`);
      });
    });
  } else {
    console.warn(`[secrets tests] skipping "${title}": ${availability.reason}`);
    describe.skip(title, body);
  }
}

export interface ProbeOutput {
  ok: boolean;
  name?: string;
  message?: string;
  state?: string;
  detail?: string;
  source?: string;
  created?: boolean;
}

/** Runs the keychain probe in a child with `env`, optionally wrapped in a shell command prefix. */
export function runProbe(env: NodeJS.ProcessEnv, wrap?: (probeCommand: string) => string[]): ProbeOutput {
  const probe = `'${process.execPath}' --import tsx '${PROBE_SCRIPT}' '${uniqueService()}'`;
  const argv = wrap ? wrap(probe) : ['sh', '-c', probe];
  const [command, ...args] = argv;
  const result = spawnSync(command!, args, { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 45_000 });
  const line = result.stdout.trim().split('\n').filter(Boolean).pop();
  if (!line) {
    throw new Error(
      `probe printed nothing (status ${String(result.status)}, signal ${String(result.signal)}): ${result.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(line) as ProbeOutput;
}

/** The current environment without any session bus or display. */
export function envWithoutSessionBus(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.APP_SECRET_KEY;
  return env;
}
