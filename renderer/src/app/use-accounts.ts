import { useRef } from 'react';
import type { AccountView } from '../../../shared/contract';
import { useContractQuery, useEvent, type QueryState } from './client-context';

/**
 * Every client account, kept fresh: reloaded whenever the core says an account changed, and when the
 * database comes back after being unavailable (the list could not be read meanwhile).
 */
export function useAccounts(includeArchived = false): {
  query: QueryState<{ accounts: AccountView[] }>;
  refresh: () => void;
} {
  const [query, refresh] = useContractQuery('accounts.list', { includeArchived });
  useEvent('accounts.changed', () => refresh());
  const databaseState = useRef<string | null>(null);
  useEvent('app.statusChanged', (status) => {
    const previous = databaseState.current;
    databaseState.current = status.database.state;
    if (status.database.state === 'ok' && previous !== null && previous !== 'ok') refresh();
  });
  return { query, refresh };
}
