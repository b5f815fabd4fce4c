import { KeychainError, type KeychainState } from './errors';
import type { SecretName, SecretStore } from './secret-store';

/** The part of keytar's API this store uses. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Service name under which Switchboard's secrets appear in the OS keychain. */
export const DEFAULT_KEYCHAIN_SERVICE = 'Switchboard';

// Matched against the OS's own messages (observed on Debian 12 with libsecret + gnome-keyring, and keytar's
// macOS/Windows messages). Order matters: the first match wins.
const PATTERNS: readonly [KeychainState, RegExp][] = [
  // No session bus: `Cannot autolaunch D-Bus without X11 $DISPLAY`; a dead bus address: `Could not connect: …`;
  // a bus without a Secret Service: `The name org.freedesktop.secrets was not provided by any .service files`.
  [
    'no-secret-service',
    /autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.secrets was not provided|ServiceUnknown|not provided by any \.service files/i,
  ],
  // `Object does not exist at path “/org/freedesktop/secrets/collection/login”` (keyring never created/unlocked).
  ['collection-missing', /Object does not exist at path|No such secret collection|collection\/login/i],
  // `Cannot create an item in a locked collection`; macOS: `User interaction is not allowed.`
  ['locked', /locked collection|is locked|keychain is locked|User interaction is not allowed/i],
  // macOS: `User canceled the operation.`; libsecret/portals: `… dismissed`, `Operation was cancelled`.
  ['prompt-denied', /cancel|dismiss|denied|not authori[sz]ed|passphrase you entered is not correct/i],
];

/** Maps a keytar / OS error message to a {@link KeychainState}. */
export function classifyKeychainMessage(message: string): KeychainState {
  for (const [state, pattern] of PATTERNS) if (pattern.test(message)) return state;
  return 'unknown';
}

/** Turns anything keytar threw into a {@link KeychainError}. */
export function toKeychainError(error: unknown): KeychainError {
  if (error instanceof KeychainError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new KeychainError(classifyKeychainMessage(detail), detail);
}

async function loadKeytar(): Promise<KeytarModule> {
  // keytar is CommonJS: its functions are on the default export; named exports depend on the loader.
  const mod = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
  return mod.default ?? mod;
}

/** Options of {@link KeytarSecretStore}. */
export interface KeytarSecretStoreOptions {
  /** Keychain service name; tests use a unique one. Default `Switchboard`. */
  service?: string;
  /** Gives up on a keychain call after this long (a prompt nobody sees would hang forever). Default 120 s. */
  timeoutMs?: number;
  /** Loads the keytar module; replaceable so tests can exercise a module that does not load. */
  loadModule?: () => Promise<KeytarModule>;
}

/**
 * The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Manager on Windows).
 *
 * keytar is loaded on first use, so a missing native module is a `native-module-unavailable` state instead of a
 * crash at import time. Every failure is a {@link KeychainError}.
 *
 * On Linux a locked or missing keyring makes reads return `null` without an error; only writes fail. Callers that
 * create a secret when none is found must therefore write, then read back (see `resolveMasterKey`).
 */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain';
  readonly service: string;
  readonly #timeoutMs: number;
  readonly #loadModule: () => Promise<KeytarModule>;
  #module: Promise<KeytarModule> | undefined;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#loadModule = options.loadModule ?? loadKeytar;
  }

  async #keytar(): Promise<KeytarModule> {
    this.#module ??= this.#loadModule();
    try {
      return await this.#module;
    } catch (error) {
      this.#module = undefined;
      const detail = error instanceof Error ? error.message : String(error);
      throw new KeychainError('native-module-unavailable', detail);
    }
  }

  async #call<T>(operation: (keytar: KeytarModule) => Promise<T>): Promise<T> {
    const keytar = await this.#keytar();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KeychainError('unresponsive', `no answer from the keychain within ${this.#timeoutMs} ms`),
          ),
        this.#timeoutMs,
      );
      // A pending keychain call must not keep a finished process alive.
      timer.unref();
    });
    try {
      return await Promise.race([operation(keytar), timeout]);
    } catch (error) {
      throw toKeychainError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  get(name: SecretName): Promise<string | null> {
    return this.#call((k) => k.getPassword(this.service, name));
  }

  set(name: SecretName, value: string): Promise<void> {
    return this.#call((k) => k.setPassword(this.service, name, value));
  }

  delete(name: SecretName): Promise<boolean> {
    return this.#call((k) => k.deletePassword(this.service, name));
  }

  toJSON(): string {
    return `KeytarSecretStore(${this.service})`;
  }
}
