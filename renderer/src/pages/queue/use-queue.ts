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
  const [rows, setRows] = useState<OutboxQueueRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const shown = useRef(PAGE);
  const loadingMore = useRef(false);

  const load = useCallback(
    async (limit: number) => {
      const mine = ++generation.current;
      const [queue, page] = await Promise.all([
        client.call('outbox.queue', { accountId }),
        client.call('outbox.queueList', { accountId, bucket, limit: Math.min(limit, 200) }),
      ]);
      if (mine !== generation.current) return;
      setLoading(false);
      if (!queue.ok || !page.ok) {
        setError((!queue.ok ? queue.error : !page.ok ? page.error : null)?.message ?? null);
        return;
      }
      setError(null);
      setSummary(queue.value.accounts[0] ?? null);
      setRows(page.value.rows);
      setNext(page.value.next);
    },
    [client, accountId, bucket],
  );

  useEffect(() => {
    shown.current = PAGE;
    setLoading(true);
    setRows([]);
    setNext(null);
    void load(PAGE);
  }, [load]);

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reload = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(Math.max(PAGE, shown.current)), SETTLE_MS);
  }, [load]);
  useEffect(() => () => clearTimeout(timer.current), []);

  useEvent('outbox.messageChanged', (change) => {
    if (change.accountId === accountId) reload();
  });
  useEvent('accounts.changed', (change) => {
    if (change.accountId === accountId) reload();
  });

  const loadMore = useCallback(() => {
    if (next === null || loadingMore.current) return;
    loadingMore.current = true;
    const mine = generation.current;
    void client.call('outbox.queueList', { accountId, bucket, cursor: next, limit: PAGE }).then((page) => {
      loadingMore.current = false;
      if (mine !== generation.current || !page.ok) return;
      setRows((current) => {
        const merged = [...current, ...page.value.rows];
        shown.current = merged.length;
        return merged;
      });
      setNext(page.value.next);
    });
  }, [client, accountId, bucket, next]);

  return { summary, rows, hasMore: next !== null, loading, error, loadMore, reload };
}
