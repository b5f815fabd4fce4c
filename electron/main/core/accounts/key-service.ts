import type { KeyStatus } from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { Repositories } from '../db';
import type { Logger } from '../lib/logger';
import {
  createKeyCheck,
  exportKey,
  importKey,
  KeyExportError,
  KeytarSecretStore,
  resolveMasterKey,
  SecretKey,
  SecretsError,
  verifyKeyCheck,
  type MasterKeySource,
  type SecretStore,
} from '../secrets';

/** Where the database keeps the key check value (derived from the key; reveals nothing about it). */
export const keyCheckSetting = 'secrets.keyCheck';

/**
 * The master key that encrypts client credentials: loaded at start from the key file, `APP_SECRET_KEY` or
 * the OS keychain; checked against the database's key check value so a workstation with another key finds
 * out at start, not at the first send; rotated, exported and imported on request.
 */
export class KeyService {
  private key: SecretKey | undefined;
  private source: MasterKeySource | null = null;
  private status: KeyStatus = { state: 'unavailable', source: null, keyId: null, message: 'Not loaded yet.' };
  private keychain: SecretStore | undefined;

  constructor(
    private readonly options: {
      keyFile: string | undefined;
      env: NodeJS.ProcessEnv;
      /** Keychain service name; tests use their own so they never touch a real installation's key. */
      keychainService?: string;
      logger: Logger;
      onChange: (status: KeyStatus) => void;
    },
  ) {}

  getStatus(): KeyStatus {
    return this.status;
  }

  /** The key, or a plain-words UNAVAILABLE error saying why encrypted work cannot be done. */
  requireKey(): SecretKey {
    if (!this.key || this.status.state !== 'ready') {
      throw new ApiError('UNAVAILABLE', this.status.message ?? 'The encryption key is not available.');
    }
    return this.key;
  }

  /** Loads the key and checks it against the database; never throws (the state says what is wrong). */
  async start(repositories: Repositories | undefined): Promise<void> {
    try {
      const resolved = await resolveMasterKey({
        keyFile: this.options.keyFile,
        env: this.options.env,
        keychain: () => this.keychainStore(),
      });
      this.key = resolved.key;
      this.source = resolved.source;
      for (const warning of resolved.warnings) this.options.logger.warn(warning);
      this.options.logger.info({ source: resolved.source, keyId: resolved.key.id }, resolved.description);
      if (repositories) await this.checkAgainstDatabase(repositories);
      else this.setStatus({ state: 'ready', source: this.source, keyId: resolved.key.id, message: null });
    } catch (error) {
      const message =
        error instanceof SecretsError ? error.message : 'The encryption key could not be loaded.';
      // An expected state (no keychain on a server, a locked keychain): the message says it all, no stack.
      if (error instanceof SecretsError) {
        this.options.logger.error({ code: error.code }, `master key unavailable: ${message}`);
      } else {
        this.options.logger.error({ err: error }, 'master key unavailable');
      }
      this.setStatus({ state: 'unavailable', source: null, keyId: null, message });
    }
  }

  /**
   * Compares the key with the database's key check value; stores one when the database has none.
   * A pending rotation (new key staged in the keychain, database already re-encrypted) is completed here.
   */
  async checkAgainstDatabase(repositories: Repositories): Promise<void> {
    const key = this.key;
    if (!key) return;
    const stored = await repositories.settings.get(keyCheckSetting);
    if (typeof stored !== 'string') {
      await repositories.settings.set(keyCheckSetting, createKeyCheck(key));
      this.setStatus({ state: 'ready', source: this.source, keyId: key.id, message: null });
      return;
    }
    const result = verifyKeyCheck(key, stored);
    if (result.status === 'match') {
      this.setStatus({ state: 'ready', source: this.source, keyId: key.id, message: null });
      return;
    }
    if (this.source === 'keychain' && (await this.completeStagedRotation(stored))) return;
    const message =
      result.status === 'different-key'
        ? `This database was encrypted with another key (key ${result.storedKeyId}); this workstation has key ${result.currentKeyId}. Import the key from the workstation that set up this database (Settings → Encryption key → Import), or use that workstation's APP_SECRET_KEY.`
        : 'The key check value stored in this database is unreadable; restore the database from a backup.';
    this.setStatus({ state: 'wrong_key', source: this.source, keyId: key.id, message });
  }

  /**
   * Creates a new key and re-encrypts every credential with it. Crash-safe: the new key is staged in the
   * keychain first, the database changes in one transaction, then the new key is promoted.
   */
  async rotate(
    repositories: Repositories,
    reencryptAll: (tx: Repositories, oldKey: SecretKey, newKey: SecretKey) => Promise<number>,
  ): Promise<{ keyId: string; reencrypted: number }> {
    const oldKey = this.requireKey();
    const store = this.requireKeychainSource('rotate');
    const newKey = SecretKey.generate();
    await store.set('master-key-next', newKey.revealBase64());
    const reencrypted = await repositories.transaction(async (tx) => {
      const count = await reencryptAll(tx, oldKey, newKey);
      await tx.settings.set(keyCheckSetting, createKeyCheck(newKey));
      return count;
    });
    await store.set('master-key', newKey.revealBase64());
    await store.delete('master-key-next');
    this.key = newKey;
    this.setStatus({ state: 'ready', source: this.source, keyId: newKey.id, message: null });
    return { keyId: newKey.id, reencrypted };
  }

  async exportKey(passphrase: string): Promise<{ fileName: string; contents: string }> {
    const key = this.requireKey();
    try {
      const contents = await exportKey(key, passphrase);
      return { fileName: `switchboard-key-${key.id}.sbkey`, contents };
    } catch (error) {
      if (error instanceof KeyExportError) throw new ApiError('INVALID_INPUT', error.message);
      throw error;
    }
  }

  /** Installs an exported key; refused unless it opens this database (or the database has no key yet). */
  async importKey(
    repositories: Repositories | undefined,
    contents: string,
    passphrase: string,
  ): Promise<KeyStatus> {
    let imported: SecretKey;
    try {
      imported = await importKey(contents, passphrase);
    } catch (error) {
      if (error instanceof KeyExportError) throw new ApiError('INVALID_INPUT', error.message);
      throw error;
    }
    const store = this.requireKeychainSource('import');
    if (repositories) {
      const stored = await repositories.settings.get(keyCheckSetting);
      if (typeof stored === 'string' && verifyKeyCheck(imported, stored).status !== 'match') {
        throw new ApiError(
          'CONFLICT',
          `This key (key ${imported.id}) does not open this database's credentials. Export the key from the workstation that set up this database.`,
        );
      }
    }
    await store.set('master-key', imported.revealBase64());
    this.key = imported;
    this.source = 'keychain';
    if (repositories) await this.checkAgainstDatabase(repositories);
    else this.setStatus({ state: 'ready', source: 'keychain', keyId: imported.id, message: null });
    return this.status;
  }

  private keychainStore(): SecretStore {
    this.keychain ??= new KeytarSecretStore(
      this.options.keychainService ? { service: this.options.keychainService } : {},
    );
    return this.keychain;
  }

  private requireKeychainSource(action: 'rotate' | 'import'): SecretStore {
    if (this.source !== 'keychain' && this.source !== null) {
      const where =
        this.source === 'environment' ? 'the APP_SECRET_KEY variable' : 'the key file (--key-file)';
      throw new ApiError(
        'CONFLICT',
        `The key comes from ${where}, so Switchboard cannot ${action === 'rotate' ? 'replace' : 'import'} it. Change ${where} instead.`,
      );
    }
    return this.keychainStore();
  }

  private async completeStagedRotation(stored: string): Promise<boolean> {
    const store = this.keychainStore();
    const staged = await store.get('master-key-next');
    if (!staged) return false;
    const next = SecretKey.parse(staged);
    if (verifyKeyCheck(next, stored).status !== 'match') return false;
    await store.set('master-key', staged);
    await store.delete('master-key-next');
    this.key = next;
    this.options.logger.warn({ keyId: next.id }, 'completed a key rotation that was interrupted');
    this.setStatus({ state: 'ready', source: 'keychain', keyId: next.id, message: null });
    return true;
  }

  private setStatus(status: KeyStatus): void {
    this.status = status;
    this.options.onChange(status);
  }
}
