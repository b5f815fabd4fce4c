import type { SecretName, SecretStore } from './secret-store';

/**
 * A {@link SecretStore} in memory, for tests of code that needs a store (never used by product code, which
 * always uses the OS keychain).
 */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  readonly #values = new Map<SecretName, string>();

  get(name: SecretName): Promise<string | null> {
    return Promise.resolve(this.#values.get(name) ?? null);
  }

  set(name: SecretName, value: string): Promise<void> {
    this.#values.set(name, value);
    return Promise.resolve();
  }

  delete(name: SecretName): Promise<boolean> {
    return Promise.resolve(this.#values.delete(name));
  }

  toJSON(): string {
    return `MemorySecretStore(${this.#values.size} secrets, [redacted])`;
  }
}
