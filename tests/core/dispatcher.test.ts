import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/main/core/api/api-error';
import { createDispatcher, type Handlers } from '../../electron/main/core/api/dispatcher';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const info = {
  name: 'Switchboard' as const,
  version: '1',
  shell: 'headless' as const,
  demo: false,
  dataDir: '/d',
  platform: 'linux',
};
const status = {
  database: { state: 'ok' as const, dialect: 'sqlite' as const, location: '/d/db' },
  tunnel: { state: 'off' as const },
  sync: { state: 'idle' as const },
  encryption: { state: 'ready' as const, source: 'key-file' as const, keyId: 'abcd', message: null },
};

/** The dispatcher only calls the method it is asked for; the other handlers are never reached here. */
const only = (partial: Partial<Handlers>): Handlers => partial as Handlers;

describe('dispatcher', () => {
  it('turns a thrown error into INTERNAL without its message or stack, and logs the stack', async () => {
    const { logger, lines } = capturingLogger();
    const handlers = only({
      'app.getInfo': () => {
        throw new Error('secret detail: database password is hunter2');
      },
      'app.getStatus': () => status,
    });
    const result = await createDispatcher(handlers, logger)('app.getInfo', {}, { transport: 'http' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong inside Switchboard. The details are in the log file.',
      },
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const logged = lines.join('');
    expect(logged).toContain('handler failed');
    expect(logged).toContain('"stack"');
  });

  it('keeps the code and message of an ApiError', async () => {
    const { logger } = capturingLogger();
    const handlers = only({
      'app.getInfo': () => info,
      'app.getStatus': () => {
        throw new ApiError('UNAVAILABLE', 'The database cannot be reached.');
      },
    });
    const result = await createDispatcher(handlers, logger)('app.getStatus', {}, { transport: 'ipc' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'The database cannot be reached.' },
    });
  });

  it('refuses output that breaks the contract instead of passing it on', async () => {
    const { logger, lines } = capturingLogger();
    const handlers = {
      'app.getInfo': () => ({ ...info, shell: 'toaster' }),
      'app.getStatus': () => status,
    } as unknown as Handlers;
    const result = await createDispatcher(handlers, logger)('app.getInfo', {}, { transport: 'ipc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(lines.join('')).toContain('breaks the contract');
  });

  it('validates input before the handler runs', async () => {
    const { logger } = capturingLogger();
    let called = false;
    const handlers = only({
      'app.getInfo': () => {
        called = true;
        return info;
      },
      'app.getStatus': () => status,
    });
    const result = await createDispatcher(handlers, logger)('app.getInfo', 'not an object', {
      transport: 'http',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(called).toBe(false);
  });
});
