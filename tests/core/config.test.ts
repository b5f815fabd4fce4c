import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, flagSpecs, helpText, parseCommandLine } from '../../electron/main/core/config';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const parsed = parseCommandLine(argv, env);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
};

describe('command line and environment', () => {
  it('reads every flag', () => {
    const config = parse([
      '--data-dir',
      '/tmp/sb',
      '--port',
      '7711',
      '--webhook-port',
      '0',
      '--database',
      'sqlite:/tmp/x.db',
      '--graph-url',
      'http://127.0.0.1:9999',
      '--no-tunnel',
      '--open',
    ]);
    expect(config).toEqual({
      dataDir: '/tmp/sb',
      port: 7711,
      webhookPort: 0,
      databaseUrl: 'sqlite:/tmp/x.db',
      graphUrl: 'http://127.0.0.1:9999',
      tunnel: false,
      demo: false,
      open: true,
    });
  });

  it('takes each setting from its environment variable when the flag is absent, and the flag wins', () => {
    const env = { SWITCHBOARD_PORT: '8000', SWITCHBOARD_NO_TUNNEL: '1', SWITCHBOARD_DATA_DIR: '/srv/sb' };
    expect(parse([], env)).toMatchObject({ port: 8000, tunnel: false, dataDir: '/srv/sb' });
    expect(parse(['--port', '9000'], env).port).toBe(9000);
  });

  it('keeps demo data in its own folder', () => {
    expect(parse(['--data-dir', '/tmp/sb', '--demo']).dataDir).toBe(join('/tmp/sb', 'demo'));
  });

  it('resolves a relative data folder', () => {
    expect(parse(['--data-dir', 'rel']).dataDir).toBe(resolve('rel'));
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number from 0 to 65535, not "abc".'],
    [['--port', '70000'], '--port must be a port number from 0 to 65535, not 70000.'],
    [['--graph-url', 'ftp://x'], '--graph-url must be an http(s) URL, not "ftp://x".'],
    [
      ['--database', 'postgres://x'],
      '--database must start with sqlite: or mysql:// (for example sqlite:/path/to/switchboard.db).',
    ],
  ])('explains a bad value in one line: %j', (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(new ConfigError(message));
  });

  it('refuses an unknown flag', () => {
    expect(() => parseCommandLine(['--bogus'], {})).toThrow(ConfigError);
  });

  it('documents every flag and its environment variable in --help', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ help: true });
    const text = helpText('switchboard');
    for (const spec of flagSpecs) {
      expect(text).toContain(`--${spec.flag}`);
      expect(text).toContain(spec.env);
    }
  });
});
