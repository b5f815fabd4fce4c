import type { Handlers } from '../api/dispatcher';
import type { DatabaseService } from '../database-service';
import type { AccountsService } from './accounts-service';
import type { KeyService } from './key-service';

type AccountsHandlers = Pick<
  Handlers,
  | 'accounts.list'
  | 'accounts.get'
  | 'accounts.create'
  | 'accounts.update'
  | 'accounts.setStatus'
  | 'accounts.regenerateVerifyToken'
  | 'accounts.testConnection'
  | 'keys.getStatus'
  | 'keys.rotate'
  | 'keys.export'
  | 'keys.import'
>;

/** The accounts and encryption-key part of the contract. */
export function accountsHandlers(deps: {
  accounts: AccountsService;
  keys: KeyService;
  database: DatabaseService;
}): AccountsHandlers {
  const { accounts, keys, database } = deps;
  const repositoriesIfReady = () => (database.isReady ? database.repositories : undefined);
  return {
    'accounts.list': async (input) => ({ accounts: await accounts.list(input.includeArchived ?? false) }),
    'accounts.get': (input) => accounts.get(input.id),
    'accounts.create': (input) => accounts.create(input),
    'accounts.update': (input) => accounts.update(input),
    'accounts.setStatus': (input) => accounts.setStatus(input.id, input.status),
    'accounts.regenerateVerifyToken': (input) => accounts.regenerateVerifyToken(input.id),
    'accounts.testConnection': (input) => accounts.testConnection(input.id),
    'keys.getStatus': () => keys.getStatus(),
    'keys.rotate': () =>
      keys.rotate(database.repositories, (tx, oldKey, newKey) => accounts.reencryptAll(tx, oldKey, newKey)),
    'keys.export': (input) => keys.exportKey(input.passphrase),
    'keys.import': (input) => keys.importKey(repositoriesIfReady(), input.contents, input.passphrase),
  };
}
