/**
 * The database choice saved from Settings: `database.json` in the data folder, read at start.
 *
 * Only the parts that are not secret live here (dialect, host, port, database, user); the MySQL
 * password stays in the OS keychain (`mysql-password`). The file is written whole and renamed into
 * place, so a crash never leaves half a file; a file that cannot be read is reported and ignored
 * (the app starts on the embedded database and Settings says why), never overwritten silently.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DatabaseConfig } from '../db';

export const SAVED_DATABASE_FILE = 'database.json';

const savedSchema = z.discriminatedUnion('dialect', [
  z.object({ dialect: z.literal('sqlite') }).strict(),
  z
    .object({
      dialect: z.literal('mysql'),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535),
      database: z.string().min(1).max(64),
      user: z.string().max(80),
    })
    .strict(),
]);

/** The saved choice: the embedded database, or a MySQL server without its password. */
export type SavedDatabase = z.infer<typeof savedSchema>;

/** The saved choice, null when nothing was saved; `problem` says why a file present was ignored. */
export function readSavedDatabase(dataDir: string): { saved: SavedDatabase | null; problem: string | null } {
  const path = join(dataDir, SAVED_DATABASE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { saved: null, problem: null };
    return { saved: null, problem: `${path} could not be read (${(error as Error).message}).` };
  }
  try {
    const parsed = savedSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { saved: parsed.data, problem: null };
  } catch {
    // Not JSON: reported below like any other unreadable content.
  }
  return {
    saved: null,
    problem: `${path} is not a database setting this version understands; save the database in Settings again.`,
  };
}

/** Saves the choice (mode 0600, written whole then renamed into place). */
export function writeSavedDatabase(dataDir: string, saved: SavedDatabase): void {
  const path = join(dataDir, SAVED_DATABASE_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(savedSchema.parse(saved), null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/** The saved choice as a configuration: the embedded file, or MySQL with the password left empty (keychain). */
export function savedToConfig(saved: SavedDatabase, defaultSqliteFile: string): DatabaseConfig {
  return saved.dialect === 'sqlite'
    ? { dialect: 'sqlite', file: defaultSqliteFile }
    : { ...saved, password: '' };
}
