import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  KeychainError,
  KeytarSecretStore,
  MasterKeyUnavailableError,
  MemorySecretStore,
  SecretKey,
  classifyKeychainMessage,
  resolveMasterKey,
} from '../../electron/main/core/secrets';
import {
  describeWhen,
  envWithoutSessionBus,
  privateSessionTools,
  probeKeychain,
  runProbe,
  uniqueService,
} from './support/keychain';

const keychain = await probeKeychain();
const tools = privateSessionTools();
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-keychain-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describeWhen(keychain, 'the real OS keychain (Secret Service in this session)', () => {
  const services: KeytarSecretStore[] = [];
  afterAll(async () => {
    for (const store of services) {
      for (const name of ['master-key', 'ngrok-authtoken', 'mysql-password'] as const)
        await store.delete(name);
    }
  });
  function store(): KeytarSecretStore {
    const s = new KeytarSecretStore({ service: uniqueService(), timeoutMs: 15_000 });
    services.push(s);
    return s;
  }

  it('stores, reads and deletes named secrets', async () => {
    const s = store();
    expect(await s.get('ngrok-authtoken')).toBeNull();
    await s.set('ngrok-authtoken', '2abc_ngrok token ✓');
    expect(await s.get('ngrok-authtoken')).toBe('2abc_ngrok token ✓');
    await s.set('ngrok-authtoken', 'replaced');
    expect(await s.get('ngrok-authtoken')).toBe('replaced');
    expect(await s.delete('ngrok-authtoken')).toBe(true);
    expect(await s.delete('ngrok-authtoken')).toBe(false);
    expect(await s.get('ngrok-authtoken')).toBeNull();
  });

  it('keeps services apart', async () => {
    const a = store();
    const b = store();
    await a.set('mysql-password', 'for-a');
    expect(await b.get('mysql-password')).toBeNull();
  });

  it('creates a random master key on first run, then finds the same key', async () => {
    const s = store();
    const first = await resolveMasterKey({ env: {}, keychain: s });
    expect(first.source).toBe('keychain');
    expect(first.created).toBe(true);
    expect(first.description).toContain('OS keychain');
    const second = await resolveMasterKey({ env: {}, keychain: s });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(SecretKey.parse((await s.get('master-key'))!).equals(first.key)).toBe(true);
    // Another installation (another service) gets another key.
    const other = await resolveMasterKey({ env: {}, keychain: store() });
    expect(other.key.equals(first.key)).toBe(false);
  });

  it('the environment wins over the keychain and leaves it untouched', async () => {
    const s = store();
    const key = SecretKey.generate();
    const resolved = await resolveMasterKey({ env: { APP_SECRET_KEY: key.revealBase64() }, keychain: s });
    expect(resolved.source).toBe('environment');
    expect(await s.get('master-key')).toBeNull();
  });

  it('refuses to create a key when asked not to', async () => {
    const s = store();
    await expect(resolveMasterKey({ env: {}, keychain: s, createIfMissing: false })).rejects.toBeInstanceOf(
      MasterKeyUnavailableError,
    );
    expect(await s.get('master-key')).toBeNull();
  });

  it('reports a damaged keychain entry and never overwrites it', async () => {
    const s = store();
    await s.set('master-key', 'damaged');
    await expect(resolveMasterKey({ env: {}, keychain: s })).rejects.toThrow(
      /keychain entry "master-key" of Switchboard is damaged/,
    );
    expect(await s.get('master-key')).toBe('damaged');
  });
});

describe('keychain failure paths, for real', () => {
  it('no session bus: the typed no-secret-service state, in plain words, not a crash', () => {
    const out = runProbe(envWithoutSessionBus());
    expect(out.ok).toBe(false);
    expect(out.name).toBe('MasterKeyUnavailableError');
    expect(out.state).toBe('no-secret-service');
    expect(out.detail).toBe('Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect(out.message).toMatch(/^The OS keychain is not reachable/);
    expect(out.message).toContain('APP_SECRET_KEY');
  });

  it('a bus address that leads nowhere is no-secret-service too', () => {
    const out = runProbe({
      ...envWithoutSessionBus(),
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(scratch, 'no-bus')}`,
    });
    expect(out.state).toBe('no-secret-service');
    expect(out.detail).toMatch(/Could not connect/);
  });
});

describeWhen(tools, 'keychain failure paths in private D-Bus sessions', () => {
  function inSession(setup: string, options: { config?: string } = {}): (probe: string) => string[] {
    const home = mkdtempSync(join(scratch, 'home-'));
    return (probe) => [
      'dbus-run-session',
      ...(options.config ? [`--config-file=${options.config}`] : []),
      '--',
      'sh',
      '-c',
      `export HOME='${home}'; ${setup} ${probe}`,
    ];
  }

  it('a session bus without any Secret Service: no-secret-service', () => {
    const config = join(scratch, 'bus-without-services.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${scratch}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
    );
    const out = runProbe(envWithoutSessionBus(), inSession('', { config }));
    expect(out.state).toBe('no-secret-service');
    expect(out.detail).toMatch(/org\.freedesktop\.secrets was not provided by any \.service files/);
  });

  it('a Secret Service without a login keyring: collection-missing', () => {
    const out = runProbe(
      envWithoutSessionBus(),
      inSession('gnome-keyring-daemon --components=secrets >/dev/null 2>&1;'),
    );
    expect(out.state).toBe('collection-missing');
    expect(out.detail).toMatch(
      /Object does not exist at path .\/org\/freedesktop\/secrets\/collection\/login./,
    );
    expect(out.message).toMatch(/no default keyring/);
  });

  it('a locked keyring: locked (reads say "nothing", so the new key is written, fails, and is not used)', () => {
    const lock =
      'echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ' +
      'timeout 10 gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets ' +
      `--method org.freedesktop.Secret.Service.Lock "[objectpath '/org/freedesktop/secrets/collection/login']" >/dev/null || exit 3;`;
    const out = runProbe(envWithoutSessionBus(), inSession(lock));
    expect(out.state).toBe('locked');
    expect(out.detail).toMatch(/Cannot create an item in a locked collection/);
    expect(out.message).toMatch(/^The OS keychain is locked/);
  });

  it('an unlocked private keyring works (control for the cases above)', () => {
    const out = runProbe(
      envWithoutSessionBus(),
      inSession('echo -n pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1;'),
    );
    expect(out).toMatchObject({ ok: true, source: 'keychain', created: true });
  });
});

describe('classifyKeychainMessage', () => {
  it('maps the messages observed on Linux and the documented macOS/Windows ones', () => {
    const cases: [string, string][] = [
      ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-secret-service'],
      ['Could not connect: No such file or directory', 'no-secret-service'],
      ['The name org.freedesktop.secrets was not provided by any .service files', 'no-secret-service'],
      ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'collection-missing'],
      ['Cannot create an item in a locked collection', 'locked'],
      ['User interaction is not allowed.', 'locked'],
      ['User canceled the operation.', 'prompt-denied'],
      ['The prompt was dismissed', 'prompt-denied'],
      ['Something else entirely', 'unknown'],
    ];
    for (const [message, state] of cases) expect(classifyKeychainMessage(message), message).toBe(state);
  });

  it('every state has a message and an action', () => {
    const error = new KeychainError('prompt-denied', 'User canceled the operation.');
    expect(error.message).toMatch(/refused at the system prompt/);
    expect(error.action).toMatch(/allow Switchboard/);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'KeychainError',
      code: 'keychain',
      state: 'prompt-denied',
      message: error.message,
      detail: 'User canceled the operation.',
    });
  });
});

describe('MemorySecretStore (for tests of other code)', () => {
  it('behaves like a store and hides its values from JSON', async () => {
    const s = new MemorySecretStore();
    await s.set('mysql-password', 'hunter2-long-password');
    expect(await s.get('mysql-password')).toBe('hunter2-long-password');
    expect(JSON.stringify({ s })).not.toContain('hunter2');
    expect(await s.delete('mysql-password')).toBe(true);
    expect(await s.get('mysql-password')).toBeNull();
  });
});
