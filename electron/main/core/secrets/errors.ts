/**
 * Typed errors of the secrets module.
 *
 * Every message is written for a person and never contains a secret value: callers may log these errors,
 * show them in the UI and send them across the contract as they are.
 */

/** The closed set of error codes the secrets module raises. */
export type SecretsErrorCode =
  | 'wrong-key'
  | 'corrupt-secret'
  | 'invalid-key'
  | 'key-source'
  | 'master-key-unavailable'
  | 'keychain'
  | 'key-export'
  | 'rotation';

/** Base class: `code` is stable and meant for programs, `message` for people. */
export abstract class SecretsError extends Error {
  abstract readonly code: SecretsErrorCode;

  /** Plain data for logs and for crossing the contract boundary as `{ code, message }`. */
  toJSON(): { name: string; code: SecretsErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** A value was encrypted with a different master key than the one in use. */
export class WrongKeyError extends SecretsError {
  override readonly name = 'WrongKeyError';
  readonly code = 'wrong-key';
  constructor(
    /** Fingerprint of the key the value names (not secret). */
    readonly valueKeyId: string,
    /** Fingerprint of the key in use (not secret). */
    readonly currentKeyId: string,
  ) {
    super(
      `This database was encrypted with another key (key ${valueKeyId}); this workstation uses key ${currentKeyId}. ` +
        'Import the key this database was created with (key export/import), or re-enter the credentials.',
    );
  }
}

/** Why a stored value could not be read. */
export type CorruptSecretReason =
  'not-a-string' | 'unknown-format' | 'malformed' | 'authentication-failed' | 'invalid-plaintext';

/** A stored value is damaged, truncated, not ours, or belongs to another owner (row or field). */
export class CorruptSecretError extends SecretsError {
  override readonly name = 'CorruptSecretError';
  readonly code = 'corrupt-secret';
  constructor(readonly reason: CorruptSecretReason) {
    super(CorruptSecretError.describe(reason));
  }

  private static describe(reason: CorruptSecretReason): string {
    switch (reason) {
      case 'not-a-string':
        return 'The stored credential is not text, so it cannot be an encrypted value. Re-enter the credential.';
      case 'unknown-format':
        return 'The stored credential is not in a format this version of Switchboard knows. Re-enter the credential, or update Switchboard.';
      case 'malformed':
        return 'The stored credential is damaged (its encoding is broken or it is truncated). Re-enter the credential.';
      case 'authentication-failed':
        return 'The stored credential failed its integrity check: it was changed, or it belongs to another account or field. Re-enter the credential.';
      case 'invalid-plaintext':
        return 'The stored credential decrypted to bytes that are not valid text. Re-enter the credential.';
    }
  }
}

/** A master key given as text (environment variable, key file, keychain entry) is not 32 bytes of base64 or hex. */
export class InvalidKeyError extends SecretsError {
  override readonly name = 'InvalidKeyError';
  readonly code = 'invalid-key';
}

/** A configured key source (environment variable or key file) cannot be used; the message says why and what to do. */
export class KeySourceError extends SecretsError {
  override readonly name = 'KeySourceError';
  readonly code = 'key-source';
  constructor(
    readonly source: 'environment' | 'key-file',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The closed set of keychain states that stop the app from using the OS keychain.
 *
 * - `no-secret-service`: no D-Bus session or no Secret Service on it (headless server, SSH session).
 * - `collection-missing`: the Secret Service runs but has no default ("login") keyring yet.
 * - `locked`: the keyring exists but is locked and could not be unlocked.
 * - `prompt-denied`: the user dismissed or refused the OS prompt.
 * - `unresponsive`: the keychain did not answer in time (often a prompt nobody can see).
 * - `native-module-unavailable`: keytar's native module did not load.
 * - `unknown`: any other failure; `detail` carries the OS message.
 */
export type KeychainState =
  | 'no-secret-service'
  | 'collection-missing'
  | 'locked'
  | 'prompt-denied'
  | 'unresponsive'
  | 'native-module-unavailable'
  | 'unknown';

/** Plain-words explanation and next step for each keychain state. */
export const KEYCHAIN_STATE_TEXT: Readonly<Record<KeychainState, { message: string; action: string }>> = {
  'no-secret-service': {
    message:
      'The OS keychain is not reachable: there is no desktop session bus or no Secret Service running.',
    action:
      'Start Switchboard from a desktop session with a keyring (GNOME Keyring or KWallet), or on a server give the key with APP_SECRET_KEY or a key file (--key-file).',
  },
  'collection-missing': {
    message: 'The OS keychain has no default keyring ("login") to store the key in.',
    action:
      'Open your keyring manager (for example Seahorse, "Passwords and Keys"), create a default keyring and unlock it, then retry.',
  },
  locked: {
    message: 'The OS keychain is locked, so the key cannot be read or stored.',
    action: 'Unlock your keyring (log in again, or unlock it in your keyring manager), then retry.',
  },
  'prompt-denied': {
    message: 'Access to the OS keychain was refused at the system prompt.',
    action: 'Retry and allow Switchboard to use the keychain when the system asks.',
  },
  unresponsive: {
    message: 'The OS keychain did not answer in time; it may be waiting for a prompt that is not visible.',
    action: 'Look for a keyring prompt on your screen and answer it, or unlock the keyring, then retry.',
  },
  'native-module-unavailable': {
    message: 'The keychain component of Switchboard (keytar) could not be loaded on this machine.',
    action:
      'Reinstall Switchboard; on Linux install libsecret (libsecret-1-0). Meanwhile give the key with APP_SECRET_KEY or a key file (--key-file).',
  },
  unknown: {
    message: 'The OS keychain reported an unexpected error.',
    action:
      'Retry; if it persists, give the key with APP_SECRET_KEY or a key file (--key-file) and report the details.',
  },
};

/** The OS keychain could not be used; `state` says why, `action` says what to do. */
export class KeychainError extends SecretsError {
  override readonly name = 'KeychainError';
  readonly code = 'keychain';
  readonly action: string;
  constructor(
    readonly state: KeychainState,
    /** The OS's own message (never contains secret values), for logs and bug reports. */
    readonly detail: string,
  ) {
    const text = KEYCHAIN_STATE_TEXT[state];
    super(`${text.message} ${text.action}`);
    this.action = text.action;
  }

  override toJSON(): {
    name: string;
    code: 'keychain';
    message: string;
    state: KeychainState;
    detail: string;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      state: this.state,
      detail: this.detail,
    };
  }
}

/** No master key source is available; the message is a paragraph telling the operator what to do. */
export class MasterKeyUnavailableError extends SecretsError {
  override readonly name = 'MasterKeyUnavailableError';
  readonly code = 'master-key-unavailable';
  constructor(
    message: string,
    /** The keychain failure that led here, when the keychain was tried. */
    readonly keychain: KeychainError | undefined,
  ) {
    super(message);
  }
}

/** Why a key export file could not be written or read. */
export type KeyExportReason =
  'weak-passphrase' | 'wrong-passphrase' | 'malformed-file' | 'unsupported-version';

/** Key export or import failed; `reason` is stable, the message says what to do. */
export class KeyExportError extends SecretsError {
  override readonly name = 'KeyExportError';
  readonly code = 'key-export';
  constructor(
    readonly reason: KeyExportReason,
    message: string,
  ) {
    super(message);
  }
}

/** One value that stopped a rotation (no secret values: the owner label and why). */
export interface RotationFailure {
  readonly index: number;
  readonly aad: string;
  readonly code: 'wrong-key' | 'corrupt-secret';
}

/** Rotation refused to produce any output because at least one value could not be decrypted. */
export class RotationError extends SecretsError {
  override readonly name = 'RotationError';
  readonly code = 'rotation';
  constructor(readonly failures: readonly RotationFailure[]) {
    super(
      `Key rotation stopped before changing anything: ${failures.length} stored value(s) cannot be decrypted with the current key ` +
        `(${failures
          .slice(0, 5)
          .map((f) => `${f.aad}: ${f.code}`)
          .join(
            '; ',
          )}${failures.length > 5 ? '; …' : ''}). Fix or re-enter those credentials, then rotate again.`,
    );
  }

  override toJSON(): {
    name: string;
    code: 'rotation';
    message: string;
    failures: readonly RotationFailure[];
  } {
    return { name: this.name, code: this.code, message: this.message, failures: this.failures };
  }
}
