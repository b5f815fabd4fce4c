/**
 * The account's rule edits kept on this computer, and when to try saving them again: when the
 * database comes back (`app.statusChanged`), after the next successful load of the rules, and on a
 * modest backoff timer (5 s, doubling, at most 5 minutes) while some are waiting — never a tight loop.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useEvent } from '../../app/client-context';
import {
  OfflineEdits,
  retryDelayMs,
  type FlushOutcome,
  type PendingEdit,
  type RuleSaver,
} from '../../../../shared/rules/offline-edits';

/** The browser's storage, or an empty one where it is unavailable (private mode, tests). */
function browserStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export interface OfflineEditsState {
  pending: PendingEdit[];
  /** Keeps an edit on this computer. */
  keep: OfflineEdits['keep'];
  discard: (ruleId: string) => void;
  /** Tries to save the waiting edits now. */
  flush: () => Promise<FlushOutcome[]>;
  flushing: boolean;
}

export function useOfflineEdits(
  accountId: string,
  onSaved: (outcomes: FlushOutcome[]) => void,
): OfflineEditsState {
  const client = useClient();
  const edits = useMemo(() => {
    const store = browserStore();
    return store ? new OfflineEdits(store) : null;
  }, []);
  const [pending, setPending] = useState<PendingEdit[]>(() => edits?.list(accountId) ?? []);
  const [flushing, setFlushing] = useState(false);
  const running = useRef(false);
  const attempt = useRef(0);
  const savedCallback = useRef(onSaved);
  useEffect(() => {
    savedCallback.current = onSaved;
  });

  const reload = useCallback(() => setPending(edits?.list(accountId) ?? []), [edits, accountId]);

  const flush = useCallback(async (): Promise<FlushOutcome[]> => {
    if (!edits || running.current) return [];
    running.current = true;
    setFlushing(true);
    const saver: RuleSaver = {
      create: (id, rule) => client.call('rules.create', { accountId: id, rule }),
      update: (id, expectedVersion, rule) => client.call('rules.update', { id, expectedVersion, rule }),
    };
    try {
      const outcomes = await edits.flush(accountId, saver);
      attempt.current = outcomes.some((o) => o.kind === 'still_offline') ? attempt.current + 1 : 0;
      if (outcomes.some((o) => o.kind === 'saved')) savedCallback.current(outcomes);
      return outcomes;
    } finally {
      running.current = false;
      setFlushing(false);
      reload();
    }
  }, [client, edits, accountId, reload]);

  // Retry with backoff while edits wait for the database (conflicts wait for staff instead).
  const waiting = pending.filter((edit) => !edit.conflict).length;
  useEffect(() => {
    if (waiting === 0) return;
    const timer = setTimeout(() => void flush(), retryDelayMs(attempt.current));
    return () => clearTimeout(timer);
  }, [waiting, pending, flush]);

  useEvent('app.statusChanged', (status) => {
    if (status.database.state === 'ok' && waiting > 0) {
      attempt.current = 0;
      void flush();
    }
  });

  const keep = useCallback<OfflineEdits['keep']>(
    (edit) => {
      if (!edits) throw new Error('This window cannot keep edits: its storage is turned off.');
      const kept = edits.keep(edit);
      reload();
      return kept;
    },
    [edits, reload],
  );
  const discard = useCallback(
    (ruleId: string) => {
      edits?.discard(accountId, ruleId);
      reload();
    },
    [edits, accountId, reload],
  );

  return { pending, keep, discard, flush, flushing };
}
