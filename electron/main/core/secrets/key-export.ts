import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { KeyExportError } from './errors';
import { SecretKey, unwrapKey } from './secret-key';

/** `format` field of a key export file. */
export const KEY_EXPORT_FORMAT = 'switchboard-key-export';
/** Current version of the key export file. */
export const KEY_EXPORT_VERSION = 1;

/** scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB, roughly half a second here), above OWASP's minimum. */
export const DEFAULT_SCRYPT = { logN: 17, r: 8, p: 1 } as const;
// Bounds accepted on import: low enough costs are refused (a tampered file must not weaken the KDF), high ones
// are refused so that a hostile file cannot make the app allocate gigabytes.
const MIN_LOG_N = 15;
const MAX_LOG_N = 20;
const MIN_PASSPHRASE_CHARS = 12;

/** Parameters of the key export's scrypt derivation. */
export interface ScryptParams {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** The JSON written to a key export file. The key is inside `ciphertext`, sealed with the passphrase. */
export interface KeyExportFile {
  readonly format: typeof KEY_EXPORT_FORMAT;
  readonly version: typeof KEY_EXPORT_VERSION;
  readonly keyId: string;
  readonly createdAt: string;
  readonly kdf: {
    readonly name: 'scrypt';
    readonly logN: number;
    readonly r: number;
    readonly p: number;
    readonly salt: string;
  };
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly nonce: string };
  readonly ciphertext: string;
}

/** Result of the passphrase strength check. */
export type PassphraseCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * A minimum strength check for export passphrases, with the reason in plain words.
 *
 * At least 12 characters, at least 6 different characters, and not a run or repetition of a short pattern.
 * The file travels between workstations, so it must withstand offline guessing; scrypt slows that down, the
 * passphrase has to do the rest.
 */
export function checkPassphraseStrength(passphrase: string): PassphraseCheck {
  const chars = [...passphrase];
  if (chars.length < MIN_PASSPHRASE_CHARS) {
    return {
      ok: false,
      reason: `The passphrase must be at least ${MIN_PASSPHRASE_CHARS} characters long; a few random words work well.`,
    };
  }
  if (new Set(chars.map((c) => c.toLowerCase())).size < 6) {
    return {
      ok: false,
      reason: 'The passphrase uses too few different characters; mix several words or characters.',
    };
  }
  if (/^(.{1,4})\1+$/su.test(passphrase)) {
    return {
      ok: false,
      reason: 'The passphrase is a short pattern repeated; choose something less predictable.',
    };
  }
  const lower = passphrase.toLowerCase();
  if (
    /^(0123456789|1234567890|abcdefghijkl|qwertyuiop|password|switchboard)/.test(lower) &&
    chars.length < 20
  ) {
    return {
      ok: false,
      reason: 'The passphrase starts with a well-known sequence or word; choose something less predictable.',
    };
  }
  return { ok: true };
}

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  // Async scrypt runs on the libuv pool, so the Electron main process stays responsive while it works.
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

// Everything but the ciphertext is authenticated, so no header field can be altered without detection.
function headerAad(file: Omit<KeyExportFile, 'ciphertext'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      file.format,
      file.version,
      file.keyId,
      file.createdAt,
      file.kdf.name,
      file.kdf.logN,
      file.kdf.r,
      file.kdf.p,
      file.kdf.salt,
      file.cipher.name,
      file.cipher.nonce,
    ]),
  );
}

/**
 * Seals `key` with `passphrase` into a versioned JSON text for another workstation.
 *
 * @throws KeyExportError `weak-passphrase` when the passphrase fails {@link checkPassphraseStrength}.
 */
export async function exportKey(
  key: SecretKey,
  passphrase: string,
  options: { scrypt?: ScryptParams; now?: Date } = {},
): Promise<string> {
  const strength = checkPassphraseStrength(passphrase);
  if (!strength.ok) throw new KeyExportError('weak-passphrase', strength.reason);
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  if (!validParams(params))
    throw new RangeError(`scrypt parameters out of the accepted range (logN ${MIN_LOG_N}..${MAX_LOG_N}).`);
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const header: Omit<KeyExportFile, 'ciphertext'> = {
    format: KEY_EXPORT_FORMAT,
    version: KEY_EXPORT_VERSION,
    keyId: key.id,
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf: { name: 'scrypt', logN: params.logN, r: params.r, p: params.p, salt: salt.toString('base64') },
    cipher: { name: 'aes-256-gcm', nonce: nonce.toString('base64') },
  };
  const wrapping = await deriveKey(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-gcm', wrapping, nonce);
  cipher.setAAD(headerAad(header));
  const sealed = Buffer.concat([cipher.update(unwrapKey(key)), cipher.final(), cipher.getAuthTag()]);
  const file: KeyExportFile = { ...header, ciphertext: sealed.toString('base64') };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function validParams(p: ScryptParams): boolean {
  return (
    Number.isInteger(p.logN) &&
    p.logN >= MIN_LOG_N &&
    p.logN <= MAX_LOG_N &&
    Number.isInteger(p.r) &&
    p.r >= 8 &&
    p.r <= 32 &&
    Number.isInteger(p.p) &&
    p.p >= 1 &&
    p.p <= 4
  );
}

const malformed = (what: string): KeyExportError =>
  new KeyExportError(
    'malformed-file',
    `This is not a readable Switchboard key file (${what}). Export the key again.`,
  );

function base64Field(value: unknown, bytes: number | undefined, what: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    throw malformed(`${what} is not base64`);
  const buffer = Buffer.from(value, 'base64');
  if (buffer.toString('base64') !== value || (bytes !== undefined && buffer.length !== bytes))
    throw malformed(`${what} has the wrong length`);
  return buffer;
}

/**
 * Opens a key export file with its passphrase.
 *
 * @throws KeyExportError `wrong-passphrase` (or a file altered after export: the two look the same),
 *   `malformed-file`, or `unsupported-version`.
 */
export async function importKey(text: string, passphrase: string): Promise<SecretKey> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw malformed('not a JSON object');
  const file = parsed as Record<string, unknown>;
  if (file.format !== KEY_EXPORT_FORMAT) throw malformed('unknown format');
  if (file.version !== KEY_EXPORT_VERSION) {
    throw new KeyExportError(
      'unsupported-version',
      `This key file has version ${String(file.version)}; this Switchboard reads version ${KEY_EXPORT_VERSION}. Update Switchboard.`,
    );
  }
  const kdf = file.kdf as Record<string, unknown> | null | undefined;
  const cipherInfo = file.cipher as Record<string, unknown> | null | undefined;
  if (typeof kdf !== 'object' || kdf === null || kdf.name !== 'scrypt')
    throw malformed('unknown key derivation');
  if (typeof cipherInfo !== 'object' || cipherInfo === null || cipherInfo.name !== 'aes-256-gcm')
    throw malformed('unknown cipher');
  const params = { logN: kdf.logN, r: kdf.r, p: kdf.p };
  if (
    typeof params.logN !== 'number' ||
    typeof params.r !== 'number' ||
    typeof params.p !== 'number' ||
    !validParams(params as ScryptParams)
  ) {
    throw malformed('key derivation parameters out of range');
  }
  if (typeof file.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(file.keyId)) throw malformed('bad key id');
  if (typeof file.createdAt !== 'string') throw malformed('bad date');
  const salt = base64Field(kdf.salt, undefined, 'salt');
  if (salt.length < 16) throw malformed('salt too short');
  const nonce = base64Field(cipherInfo.nonce, 12, 'nonce');
  const sealed = base64Field(file.ciphertext, 32 + 16, 'ciphertext');
  const header: Omit<KeyExportFile, 'ciphertext'> = {
    format: KEY_EXPORT_FORMAT,
    version: KEY_EXPORT_VERSION,
    keyId: file.keyId,
    createdAt: file.createdAt,
    kdf: { name: 'scrypt', logN: params.logN, r: params.r, p: params.p, salt: kdf.salt as string },
    cipher: { name: 'aes-256-gcm', nonce: cipherInfo.nonce as string },
  };
  const wrapping = await deriveKey(passphrase, salt, params as ScryptParams);
  let keyBytes: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrapping, nonce);
    decipher.setAAD(headerAad(header));
    decipher.setAuthTag(sealed.subarray(32));
    keyBytes = Buffer.concat([decipher.update(sealed.subarray(0, 32)), decipher.final()]);
  } catch {
    throw new KeyExportError(
      'wrong-passphrase',
      'The passphrase does not open this key file (or the file was changed after it was exported). Check the passphrase and try again.',
    );
  }
  const key = SecretKey.fromBytes(keyBytes);
  keyBytes.fill(0);
  if (key.id !== file.keyId) throw malformed('the key inside does not match its id');
  return key;
}
