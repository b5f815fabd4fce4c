import type { ConnectionSecretName, SecretsStatus } from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { Handlers } from '../api/dispatcher';
import type { Logger } from '../lib/logger';
import { KeychainError, SecretsError, type SecretStore } from '../secrets';

type SettingsHandlers = Pick<Handlers, 'settings.getSecrets' | 'settings.setSecret' | 'settings.clearSecret'>;

/** Plain words for each secret, for logs (never the value). */
const LABEL: Record<ConnectionSecretName, string> = {
  'ngrok-authtoken': 'ngrok authtoken',
  'mysql-password': 'MySQL password',
};

function unavailable(error: unknown): ApiError {
  if (error instanceof SecretsError) return new ApiError('UNAVAILABLE', error.message);
  return new ApiError('UNAVAILABLE', 'The OS keychain could not be used.');
}

/**
 * The connection secrets that are not per-account, kept in the OS keychain: staff can see whether each is
 * set, store a new value or clear it. No result and no log line ever contains a value.
 */
export function settingsHandlers(options: {
  secrets: SecretStore;
  logger: Logger;
  /** Called after the ngrok authtoken changed (the core restarts its tunnel); never awaited by callers' UI. */
  onNgrokAuthtokenChange?: () => Promise<void>;
}): SettingsHandlers {
  const { secrets, logger } = options;

  const status = async (): Promise<SecretsStatus> => {
    try {
      const [ngrok, mysql] = await Promise.all([
        secrets.get('ngrok-authtoken'),
        secrets.get('mysql-password'),
      ]);
      return {
        keychain: 'available',
        message: null,
        ngrokAuthtoken: ngrok ? 'set' : 'missing',
        mysqlPassword: mysql ? 'set' : 'missing',
      };
    } catch (error) {
      if (!(error instanceof KeychainError)) throw error;
      return {
        keychain: 'unavailable',
        message: error.message,
        ngrokAuthtoken: 'missing',
        mysqlPassword: 'missing',
      };
    }
  };

  const changed = async (name: ConnectionSecretName): Promise<void> => {
    if (name !== 'ngrok-authtoken' || !options.onNgrokAuthtokenChange) return;
    try {
      await options.onNgrokAuthtokenChange();
    } catch (error) {
      logger.warn({ err: error }, 'the tunnel could not be restarted after the ngrok authtoken changed');
    }
  };

  return {
    'settings.getSecrets': () => status(),
    'settings.setSecret': async ({ name, value }) => {
      try {
        await secrets.set(name, value);
        // Linux: a locked keyring may accept nothing without an error; read back to be sure it was stored.
        if ((await secrets.get(name)) !== value) {
          throw new ApiError(
            'UNAVAILABLE',
            'The OS keychain did not keep the value. Unlock your keyring (or create a default one), then retry.',
          );
        }
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw unavailable(error);
      }
      logger.info({ secret: name }, `${LABEL[name]} stored in the keychain`);
      await changed(name);
      return status();
    },
    'settings.clearSecret': async ({ name }) => {
      try {
        await secrets.delete(name);
      } catch (error) {
        throw unavailable(error);
      }
      logger.info({ secret: name }, `${LABEL[name]} removed from the keychain`);
      await changed(name);
      return status();
    },
  };
}
