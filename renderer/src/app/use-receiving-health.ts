import { useEffect, useRef } from 'react';
import type { ReceivingHealth } from '../../../shared/contract';
import { useContractQuery, useEvent, type QueryState } from './client-context';

/** Webhooks arrive in bursts; one reload shortly after a burst keeps "last webhook" true without a reload each. */
const ARRIVAL_SETTLE_MS = 1_500;

/**
 * Every account's receiving health (last webhook, subscribed fields, subscription state), kept fresh by
 * events only — a subscription check or gap recovery finishing, an account changing, a webhook arriving —
 * never by polling.
 */
export function useReceivingHealth(): QueryState<{ accounts: ReceivingHealth[] }> {
  const [query, refresh] = useContractQuery('diagnostics.health', {});
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      refresh();
    }, ARRIVAL_SETTLE_MS);
  };
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  useEvent('diagnostics.healthChanged', () => refresh());
  useEvent('accounts.changed', () => refresh());
  useEvent('inbox.messageAdded', refreshSoon);
  useEvent('inbox.commentReceived', refreshSoon);
  return query;
}
