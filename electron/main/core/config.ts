import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Everything the core needs to start, whichever shell starts it. */
export interface CoreConfig {
  dataDir: string;
  /** UI and API port of the loopback server (headless); 0 picks a free port. */
  port: number;
  /** Webhook receiver port (the only port a tunnel exposes); 0 picks a free port. */
  webhookPort: number;
  /** `sqlite:PATH` or `mysql://user@host:port/db`; undefined means the embedded database in the data folder. */
  databaseUrl: string | undefined;
  /** Graph API base URL; the local Instagram sandbox in tests and demo mode. */
  graphUrl: string | undefined;
  /** Key file holding the master key (servers without a keychain). */
  keyFile: string | undefined;
  tunnel: boolean;
  demo: boolean;
  /** Open the UI in the system browser once ready (headless fallback of `npm start`). */
  open: boolean;
}

interface FlagSpec {
  flag: string;
  env: string;
  value: string;
  help: string;
}

/** Flags and their environment variables: the single source for parsing and for `--help`. */
export const flagSpecs: readonly FlagSpec[] = [
  {
    flag: 'data-dir',
    env: 'SWITCHBOARD_DATA_DIR',
    value: 'DIR',
    help: 'Folder for the database, logs and settings.',
  },
  {
    flag: 'port',
    env: 'SWITCHBOARD_PORT',
    value: 'N',
    help: 'Port of the UI and API on 127.0.0.1 (0 = any free port).',
  },
  {
    flag: 'webhook-port',
    env: 'SWITCHBOARD_WEBHOOK_PORT',
    value: 'N',
    help: 'Port of the webhook receiver (0 = any free port).',
  },
  {
    flag: 'database',
    env: 'SWITCHBOARD_DATABASE_URL',
    value: 'URL',
    help: 'sqlite:PATH or mysql://USER@HOST:PORT/DB (default: a file in the data folder; MYSQL_* variables also work).',
  },
  {
    flag: 'graph-url',
    env: 'SWITCHBOARD_GRAPH_URL',
    value: 'URL',
    help: "Base URL of Meta's Graph API (point it at the local Instagram sandbox for testing).",
  },
  {
    flag: 'key-file',
    env: 'SWITCHBOARD_KEY_FILE',
    value: 'PATH',
    help: 'Read the encryption key from this file (mode 0600) instead of the OS keychain or APP_SECRET_KEY.',
  },
  { flag: 'no-tunnel', env: 'SWITCHBOARD_NO_TUNNEL', value: '', help: 'Do not open the ngrok tunnel.' },
  {
    flag: 'demo',
    env: 'SWITCHBOARD_DEMO',
    value: '',
    help: 'Run against the built-in Instagram sandbox with a separate demo data folder.',
  },
  { flag: 'open', env: 'SWITCHBOARD_OPEN', value: '', help: 'Open the UI in the system browser when ready.' },
];

/** Demo data never mixes with real data, so demo mode refuses a shared database. */
export const DEMO_MYSQL_REFUSAL =
  '--demo cannot be combined with --database mysql://…: demo data lives only in its own embedded database in the demo folder.';

/** A configuration mistake, explained in one line; the entry point prints it and exits with code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function helpText(command: string): string {
  const rows = flagSpecs.map((spec) => {
    const left = `  --${spec.flag}${spec.value ? ` ${spec.value}` : ''}`;
    return `${left.padEnd(28)}${spec.help}\n${''.padEnd(28)}(environment: ${spec.env}${spec.value ? '' : '=1'})`;
  });
  return [
    `Usage: ${command} [options]`,
    '',
    'Starts Switchboard without a window: the UI and API on a loopback port, the webhook receiver on another.',
    'When ready it prints one JSON line with the addresses; logs go to stderr and to the data folder.',
    '',
    'Options:',
    ...rows,
    `  --help${''.padEnd(22)}Show this help.`,
    '',
  ].join('\n');
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchboard');
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchboard');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'switchboard');
}

function parsePort(raw: string, name: string): number {
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`--${name} must be a port number from 0 to 65535, not "${raw}".`);
  const port = Number(raw);
  if (port > 65535) throw new ConfigError(`--${name} must be a port number from 0 to 65535, not ${port}.`);
  return port;
}

function truthy(raw: string | undefined): boolean {
  return raw !== undefined && ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

export type ParsedCommandLine = { help: true } | { help: false; config: CoreConfig };

/**
 * Reads flags, then environment variables, then defaults. Flags win over the environment.
 *
 * Unknown flags and bad values raise a ConfigError with one line that says what to fix.
 */
export function parseCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  options: { strict?: boolean } = {},
): ParsedCommandLine {
  // The Electron shell is not strict: Chromium adds switches of its own to the command line.
  const strict = options.strict ?? true;
  let values: Record<string, string | boolean | undefined>;
  try {
    const parseOptions: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } };
    for (const spec of flagSpecs) parseOptions[spec.flag] = { type: spec.value ? 'string' : 'boolean' };
    values = parseArgs({ args: [...argv], options: parseOptions, strict, allowPositionals: !strict })
      .values as Record<string, string | boolean | undefined>;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`${message} (see --help)`);
  }
  if (values.help === true) return { help: true };

  const read = (spec: FlagSpec): string | undefined => {
    const fromFlag = values[spec.flag];
    if (typeof fromFlag === 'string') return fromFlag;
    if (fromFlag === true) return '1';
    const fromEnv = env[spec.env];
    return fromEnv === '' ? undefined : fromEnv;
  };
  const get = (flag: string): string | undefined => {
    const spec = flagSpecs.find((candidate) => candidate.flag === flag);
    if (!spec) throw new Error(`unknown flag spec ${flag}`);
    return read(spec);
  };

  const demo = truthy(get('demo'));
  const baseDataDir = resolve(get('data-dir') ?? defaultDataDir(env));
  const graphUrl = get('graph-url');
  if (graphUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(graphUrl)) {
    throw new ConfigError(`--graph-url must be an http(s) URL, not "${graphUrl}".`);
  }
  const databaseUrl = get('database');
  if (databaseUrl !== undefined && !/^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(
      '--database must start with sqlite: or mysql:// (for example sqlite:/path/to/switchboard.db).',
    );
  }
  if (demo && databaseUrl !== undefined && !databaseUrl.startsWith('sqlite:'))
    throw new ConfigError(DEMO_MYSQL_REFUSAL);
  return {
    help: false,
    config: {
      // Demo data never mixes with real data: it lives in its own folder.
      dataDir: demo ? join(baseDataDir, 'demo') : baseDataDir,
      port: parsePort(get('port') ?? '0', 'port'),
      webhookPort: parsePort(get('webhook-port') ?? '0', 'webhook-port'),
      databaseUrl,
      graphUrl,
      keyFile: get('key-file'),
      tunnel: !truthy(get('no-tunnel')),
      demo,
      open: truthy(get('open')),
    },
  };
}
