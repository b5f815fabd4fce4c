import { open, readFile, stat } from 'node:fs/promises';
import { InvalidKeyError, KeySourceError } from './errors';
import { SecretKey } from './secret-key';

/**
 * Reads a master key file: 32 bytes as base64 or hex, owned by the current user, mode 0600 or stricter.
 *
 * The permission rule is the one ssh applies to private keys: a key that others can read is not a secret any more,
 * so the file is refused with the reason and the command that fixes it. (Windows has no POSIX modes; there the
 * check is skipped and the folder's ACL is the operator's responsibility.)
 *
 * @throws KeySourceError with a plain-words reason.
 */
export async function readKeyFile(path: string): Promise<SecretKey> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeySourceError(
      'key-file',
      code === 'ENOENT'
        ? `The key file ${path} does not exist. Check the --key-file path, or create the file from a key export.`
        : `The key file ${path} cannot be read (${code ?? 'unknown error'}).`,
    );
  }
  if (!info.isFile()) throw new KeySourceError('key-file', `The key file ${path} is not a regular file.`);
  if (process.platform !== 'win32') {
    const mode = info.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new KeySourceError(
        'key-file',
        `The key file ${path} has mode ${mode.toString(8).padStart(4, '0')}, so other users can read it; ` +
          `Switchboard only accepts a key file with mode 0600 or stricter. Run: chmod 600 '${path}'`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      throw new KeySourceError(
        'key-file',
        `The key file ${path} belongs to user id ${info.uid}, not to the user running Switchboard (${uid}). Run: chown ${uid} '${path}'`,
      );
    }
  }
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new KeySourceError(
      'key-file',
      `The key file ${path} cannot be read (${error.code ?? 'unknown error'}).`,
    );
  });
  try {
    return SecretKey.parse(text, `The key file ${path}`);
  } catch (error) {
    if (error instanceof InvalidKeyError) throw new KeySourceError('key-file', error.message);
    throw error;
  }
}

/**
 * Writes `key` to a new file with mode 0600 (never overwrites an existing file).
 *
 * For operators turning a key export into a key file for a headless server.
 */
export async function writeKeyFile(path: string, key: SecretKey): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.revealBase64()}\n`, 'utf8');
    // The umask can only remove bits, but be explicit: the reader refuses anything looser.
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
}
