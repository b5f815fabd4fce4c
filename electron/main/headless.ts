/**
 * Headless entry: the same core as the desktop app, under plain Node, serving the UI and API on loopback.
 *
 * Prints exactly one JSON line on stdout when ready; everything else goes to stderr and the log file.
 */
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateApiToken } from './core/api/http-auth';
import { appVersion } from './core/app-version';
import { ConfigError, helpText, parseCommandLine } from './core/config';
import { createCore, type Core } from './core/create-core';
import { PortInUseError } from './core/lib/listen';
import { createLogger, SecretRedactor } from './core/lib/logger';
import { openInBrowser } from './core/open-url';

const shutdownDeadlineMs = 5_000;

function exitWithLine(message: string, code: number): never {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) exitWithLine(error.message, 2);
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(helpText('npm run headless --'));
    return;
  }
  const { config } = parsed;
  const token = generateApiToken();
  const redactor = new SecretRedactor();
  redactor.register(token);
  const logger = createLogger({
    file: join(config.dataDir, 'logs', 'switchboard.log'),
    stderr: true,
    redactor,
  });

  let core: Core;
  try {
    core = await createCore({ config, shell: 'headless', version: appVersion, logger });
  } catch (error) {
    if (error instanceof PortInUseError) exitWithLine(error.message, 2);
    throw error;
  }

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 5 seconds; exiting anyway');
      process.exit(1);
    }, shutdownDeadlineMs);
    deadline.unref();
    core.dispose().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const here = dirname(fileURLToPath(import.meta.url));
  let api;
  try {
    api = await core.startApiServer({
      port: config.port,
      token,
      rendererDir: resolve(here, '..', 'renderer'),
    });
  } catch (error) {
    await core.dispose();
    if (error instanceof PortInUseError) exitWithLine(error.message, 2);
    throw error;
  }
  const ui = `${api.origin}/?token=${token}`;
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', ui, api: api.origin, token, webhook: core.webhookServer.origin, dataDir: config.dataDir, demo: config.demo })}\n`,
  );
  if (config.open) openInBrowser(ui);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `switchboard: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
