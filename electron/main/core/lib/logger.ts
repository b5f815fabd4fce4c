import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';

export type Logger = pino.Logger;

/** Field names whose values are never written, wherever they appear in a log record. */
const secretFieldPaths = [
  'token',
  'accessToken',
  'access_token',
  'appSecret',
  'app_secret',
  'secret',
  'password',
  'authtoken',
  'authorization',
  'cookie',
  'key',
].flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/**
 * Values that must never appear in a log line, even inside free text (a message, an error from a library).
 *
 * The core registers each secret it handles in clear (the per-run API token, decrypted credentials) so that
 * the last step before a line is written replaces it.
 */
export class SecretRedactor {
  private readonly values = new Set<string>();

  register(value: string): void {
    // Very short values would redact ordinary words; no real secret is that short.
    if (value.length >= 6) this.values.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join('[redacted]');
    }
    return out;
  }
}

export interface LoggerOptions {
  /** Log file (structured JSON lines); created with its folder. */
  file?: string;
  /** Also write to stderr (headless mode and development). */
  stderr?: boolean;
  level?: pino.Level | 'silent';
  redactor?: SecretRedactor;
}

export function createLogger(options: LoggerOptions): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.stderr) streams.push({ stream: pino.destination({ dest: 2, sync: true }) });
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
    streams.push({ stream: pino.destination({ dest: options.file, sync: true, mode: 0o600 }) });
  }
  const redactor = options.redactor;
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'switchboard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: secretFieldPaths, censor: '[redacted]' },
      hooks: redactor ? { streamWrite: (line) => redactor.redact(line) } : {},
    },
    streams.length > 0 ? pino.multistream(streams) : pino.destination({ dest: '/dev/null', sync: true }),
  );
}

/** A logger that writes nothing, for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
