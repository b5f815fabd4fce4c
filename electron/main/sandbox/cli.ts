import { parseArgs } from 'node:util';
import pino from 'pino';
import { startSandbox } from './sandbox';
import { SUBSCRIBABLE_FIELDS } from './graph-emulator/state';

/**
 * `npm run sandbox -- [--port N] [--seed N] [--accounts N] [--callback URL] [--verify-token T]`
 *
 * Prints exactly one JSON line on stdout when ready; everything else goes to
 * stderr, so scripts can read the URL with a line reader.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string' },
      accounts: { type: 'string', default: '0' },
      'login-type': { type: 'string', default: 'instagram' },
      callback: { type: 'string' },
      'verify-token': { type: 'string' },
    },
    strict: true,
  });
  const logger = pino({ name: 'sandbox' }, pino.destination(2));
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
  const loginType = values['login-type'] === 'facebook' ? 'facebook' : 'instagram';
  const sandbox = await startSandbox({
    port,
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
    logger,
  });

  const count = Number(values.accounts);
  for (let i = 0; i < count; i++) {
    const created = sandbox.createAccount({
      loginType,
      app: { callbackUrl: values.callback ?? null, verifyToken: values['verify-token'] ?? null },
      subscribedFields: [...SUBSCRIBABLE_FIELDS[loginType]],
    });
    const customer = sandbox.createCustomer(created.account.id);
    logger.info(
      {
        accountId: created.account.id,
        token: created.token,
        appId: created.app.id,
        appSecret: created.app.secret,
        customer: customer.igsid,
      },
      'demo account',
    );
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'sandbox stopping');
    void sandbox.dispose().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(`${JSON.stringify({ event: 'ready', graph: sandbox.url })}\n`);
  logger.info({ graph: sandbox.url }, 'sandbox ready');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
