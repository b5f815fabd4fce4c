/** Names of the secrets Switchboard keeps outside the database. */
export const SECRET_NAMES = ['master-key', 'master-key-next', 'ngrok-authtoken', 'mysql-password'] as const;

/** One of {@link SECRET_NAMES}. */
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * Where named, non-per-account secrets live: the master key, the ngrok authtoken, the MySQL password.
 *
 * Implementations throw {@link KeychainError} (or another typed error) when the store cannot be used; a missing
 * secret is `null`, not an error.
 */
export interface SecretStore {
  /** What backs the store, for "which source is in use" messages. */
  readonly kind: 'keychain' | 'memory';
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  /** Resolves `true` when a secret was removed, `false` when there was none. */
  delete(name: SecretName): Promise<boolean>;
}
