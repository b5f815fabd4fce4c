import { useCallback, useEffect, useRef, useState } from 'react';
import type { OutboxQueue, OutboxQueueBucket, OutboxQueueRow } from '../../../../shared/contract';
import { useClient, useEvent } from '../../app/client-context';

const PAGE = 100;
/** Changes come in bursts (a rule answering many people): one reload per burst. */
const SETTLE_MS = 150;

export interface QueueData {
  summary: OutboxQueue | null;
  rows: OutboxQueueRow[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => void;
  reload: () => void;
}

/**
 * One account's queue: its counts and one bucket's rows, kept live by `outbox.messageChanged`
 * (never polled). A change reloads the counts and the rows already shown, in one go after a burst.
 */
export function useQueue(accountId: string, bucket: OutboxQueueBucket): QueueData {
  const client = useClient();
  const [summary, setSummary] = useState<OutboxQueue | null>(null);
  // The rows with the bucket they belong to: after a switch, the old bucket's rows are never shown.
  const [page, setPage] = useState<{
    bucket: OutboxQueueBucket;
    rows: OutboxQueueRow[];
    next: number | null;
  }>({
    bucket,
    rows: [],
    next: null,
  });
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const shown = useRef(PAGE);
  const loadingMore = useRef(false);

  // Reads the counts and the first `limit` rows; the answer is applied only if no newer read started.
  const load = useCallback(
    (limit: number) => {
      const mine = ++generation.current;
      void Promise.all([
        client.call('outbox.queue', { accountId }),
        client.call('outbox.queueList', { accountId, bucket, limit: Math.min(limit, 200) }),
      ]).then(([queue, list]) => {
        if (mine !== generation.current) return;
        setLoaded(true);
        if (!queue.ok || !list.ok) {
          setError((!queue.ok ? queue.error : !list.ok ? list.error : null)?.message ?? null);
          return;
        }
        setError(null);
        setSummary(queue.value.accounts[0] ?? null);
        setPage({ bucket, rows: list.value.rows, next: list.value.next });
      });
    },
    [client, accountId, bucket],
  );

  useEffect(() => {
    shown.current = PAGE;
    load(PAGE);
  }, [load]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reload = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => load(Math.max(PAGE, shown.current)), SETTLE_MS);
  }, [load]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useEvent('outbox.messageChanged', (change) => {
    if (change.accountId === accountId) reload();
  });
  useEvent('accounts.changed', (change) => {
    if (change.accountId === accountId) reload();
  });

  const current = page.bucket === bucket ? page : { bucket, rows: [], next: null };
  const next = current.next;
  const loadMore = useCallback(() => {
    if (next === null || loadingMore.current) return;
    loadingMore.current = true;
    const mine = generation.current;
    void client.call('outbox.queueList', { accountId, bucket, cursor: next, limit: PAGE }).then((more) => {
      loadingMore.current = false;
      if (mine !== generation.current || !more.ok) return;
      setPage((shownPage) => {
        const rows = [...shownPage.rows, ...more.value.rows];
        shown.current = rows.length;
        return { bucket, rows, next: more.value.next };
      });
    });
  }, [client, accountId, bucket, next]);

  return {
    summary,
    rows: current.rows,
    hasMore: next !== null,
    loading: !loaded || page.bucket !== bucket,
    error,
    loadMore,
    reload,
  };
}
