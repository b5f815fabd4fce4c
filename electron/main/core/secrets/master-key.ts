import { InvalidKeyError, KeychainError, KeySourceError, MasterKeyUnavailableError } from './errors';
import { readKeyFile } from './key-file';
import { KeytarSecretStore } from './keytar-secret-store';
import { SecretKey } from './secret-key';
import type { SecretStore } from './secret-store';

/** Environment variable that may carry the master key (base64 or hex of 32 bytes). */
export const MASTER_KEY_ENV = 'APP_SECRET_KEY';

/** Where the master key came from. */
export type MasterKeySource = 'key-file' | 'environment' | 'keychain';

/** The key in use and a plain-words account of where it came from. */
export interface ResolvedMasterKey {
  readonly key: SecretKey;
  readonly source: MasterKeySource;
  /** True when this call generated the key and stored it in the keychain (first run). */
  readonly created: boolean;
  /** One sentence for the log and the status screen, e.g. "Master key from the OS keychain (key 1a2b…)". */
  readonly description: string;
  /** Things the operator should know, e.g. an environment key ignored because a key file was given. */
  readonly warnings: readonly string[];
}

/** Options of {@link resolveMasterKey}. */
export interface ResolveMasterKeyOptions {
  /** Path from the `--key-file` flag; wins over every other source. */
  keyFile?: string | undefined;
  /** Environment to read {@link MASTER_KEY_ENV} from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The keychain; default a {@link KeytarSecretStore}. Created lazily, so env/file setups never load keytar. */
  keychain?: SecretStore | (() => SecretStore);
  /** Generate and store a key when the keychain has none (first run). Default true. */
  createIfMissing?: boolean;
}

const NO_SOURCE_ADVICE =
  'Switchboard needs its master key to read and write client credentials, and will not start encrypted work ' +
  'without it. On a desktop, make sure the OS keychain is available and unlocked (GNOME Keyring, KWallet, macOS ' +
  'Keychain or Windows Credential Manager) and start Switchboard again. On a server without a keychain, give the ' +
  `key instead: either set ${MASTER_KEY_ENV} to 32 random bytes in base64 or hex, or pass --key-file with the ` +
  'path of a file that holds the key and has mode 0600. If this database already holds encrypted credentials, ' +
  'use the key it was created with (import it from a key export file); a new key cannot read them.';

/**
 * Chooses and loads the master key.
 *
 * Order: an explicit key file (`--key-file`), then `APP_SECRET_KEY`, then the OS keychain, where a random
 * 256-bit key is created on first run. A source that is configured but broken (bad permissions, malformed key) is
 * an error, never a silent fall-through to another source: the operator asked for that one.
 *
 * @throws KeySourceError when the key file or the environment variable is configured but unusable.
 * @throws MasterKeyUnavailableError when the keychain cannot be used and no other source is configured; its
 *   `keychain` field holds the typed keychain state.
 */
export async function resolveMasterKey(options: ResolveMasterKeyOptions = {}): Promise<ResolvedMasterKey> {
  const env = options.env ?? process.env;
  const envValue = env[MASTER_KEY_ENV];
  const warnings: string[] = [];

  if (options.keyFile !== undefined && options.keyFile !== '') {
    if (envValue) warnings.push(`${MASTER_KEY_ENV} is set but ignored, because --key-file was given.`);
    const key = await readKeyFile(options.keyFile);
    return {
      key,
      source: 'key-file',
      created: false,
      description: `Master key from the key file ${options.keyFile} (key ${key.id}).`,
      warnings,
    };
  }

  if (envValue !== undefined && envValue !== '') {
    let key: SecretKey;
    try {
      key = SecretKey.parse(envValue, `The environment variable ${MASTER_KEY_ENV}`);
    } catch (error) {
      if (error instanceof InvalidKeyError) throw new KeySourceError('environment', error.message);
      throw error;
    }
    return {
      key,
      source: 'environment',
      created: false,
      description: `Master key from the environment variable ${MASTER_KEY_ENV} (key ${key.id}).`,
      warnings,
    };
  }

  const keychain =
    typeof options.keychain === 'function'
      ? options.keychain()
      : (options.keychain ?? new KeytarSecretStore());
  try {
    const { key, created } = await loadOrCreateInKeychain(keychain, options.createIfMissing ?? true);
    return {
      key,
      source: 'keychain',
      created,
      description: `Master key from the OS keychain (key ${key.id}${created ? ', created now' : ''}).`,
      warnings,
    };
  } catch (error) {
    if (error instanceof KeychainError) {
      throw new MasterKeyUnavailableError(`${error.message} ${NO_SOURCE_ADVICE}`, error);
    }
    if (error instanceof MasterKeyUnavailableError) throw error;
    throw error;
  }
}

async function loadOrCreateInKeychain(
  store: SecretStore,
  create: boolean,
): Promise<{ key: SecretKey; created: boolean }> {
  const stored = await store.get('master-key');
  if (stored !== null) {
    try {
      return { key: SecretKey.parse(stored, 'The master key in the OS keychain'), created: false };
    } catch (error) {
      if (!(error instanceof InvalidKeyError)) throw error;
      // Never overwrite it: it may be the only copy of a key someone damaged by hand.
      throw new MasterKeyUnavailableError(
        `${error.message} The keychain entry "master-key" of Switchboard is damaged. Restore the key from a key export file, ` +
          'or delete that keychain entry to start with a new key (existing encrypted credentials will then have to be re-entered).',
        undefined,
      );
    }
  }
  if (!create) {
    throw new MasterKeyUnavailableError(
      `The OS keychain holds no Switchboard master key. ${NO_SOURCE_ADVICE}`,
      undefined,
    );
  }
  const key = SecretKey.generate();
  await store.set('master-key', key.revealBase64());
  // On Linux a locked keyring answers reads with "nothing here"; reading back proves the key is really stored
  // before any data is encrypted with it.
  const readBack = await store.get('master-key');
  if (readBack === null || !SecretKey.parse(readBack).equals(key)) {
    throw new KeychainError('locked', 'the keychain accepted the new key but does not return it');
  }
  return { key, created: true };
}
