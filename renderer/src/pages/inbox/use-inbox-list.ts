import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError, ConversationRow, InboxFilter } from '../../../../shared/contract';
import { useClient, useEvent } from '../../app/client-context';

const PAGE = 200;

export interface InboxList {
  rows: ConversationRow[];
  status: 'loading' | 'ok' | 'error';
  /** The search the rows answer ('' for none); while another loads, still the previous one's. */
  search: string;
  error: ContractError | null;
  hasMore: boolean;
  loadMore: () => void;
  /** Replace a row right away with what a call returned (the pushed event confirms it later). */
  patch: (row: ConversationRow) => void;
}

function newerFirst(a: ConversationRow, b: ConversationRow): number {
  const at = (a.lastMessageAt ?? '').localeCompare(b.lastMessageAt ?? '');
  return at !== 0 ? -at : b.id - a.id;
}

/**
 * Whether a changed row belongs in the loaded list. Search results are decided by the server, so
 * a search only updates rows already shown; other filters are simple enough to check here.
 */
function fits(row: ConversationRow, filter: InboxFilter, accountsOfClient: Set<string> | null): boolean {
  if (row.status !== (filter.status ?? 'active')) return false;
  if (filter.accountIds && !filter.accountIds.includes(row.accountId)) return false;
  if (accountsOfClient && !accountsOfClient.has(row.accountId)) return false;
  if (filter.unread && row.unreadCount === 0) return false;
  if (filter.needsReply && row.lastMessageDirection !== 'inbound') return false;
  if (filter.label && !row.labels.includes(filter.label)) return false;
  if (filter.assignedTo && row.assignedTo !== filter.assignedTo) return false;
  return true;
}

/**
 * The conversation list for a filter: pages of 200 loaded as the reader scrolls; rows that change
 * (pushed `inbox.*` events) are re-read one by one and moved to their place. No polling.
 * The selected row stays in the list even when it stops matching (e.g. read under "Unread"), so
 * nothing disappears under the reader's cursor.
 */
export function useInboxList(
  filter: InboxFilter,
  accountsOfClient: Set<string> | null,
  selectedId: number | null,
): InboxList {
  const client = useClient();
  const [rows, setRows] = useState<ConversationRow[]>([]);
  const [error, setError] = useState<ContractError | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  // Which filter the rows belong to: while it differs from the current one, the list is loading.
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [loadedSearch, setLoadedSearch] = useState('');
  const loadingMore = useRef(false);
  const filterKey = JSON.stringify(filter);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    const loading = JSON.parse(filterKey) as InboxFilter;
    void client.call('inbox.list', { filter: loading, limit: PAGE }).then((result) => {
      if (mine !== generation.current) return;
      setLoadedKey(filterKey);
      setLoadedSearch(loading.search ?? '');
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setRows(result.value.conversations);
      setCursor(result.value.nextCursor);
      setError(null);
    });
  }, [client, filterKey]);
  const status: InboxList['status'] = loadedKey !== filterKey ? 'loading' : error ? 'error' : 'ok';

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    const mine = generation.current;
    void client
      .call('inbox.list', { filter: JSON.parse(filterKey) as InboxFilter, limit: PAGE, cursor })
      .then((result) => {
        loadingMore.current = false;
        if (mine !== generation.current || !result.ok) return;
        setRows((current) => {
          const seen = new Set(current.map((row) => row.id));
          return [...current, ...result.value.conversations.filter((row) => !seen.has(row.id))];
        });
        setCursor(result.value.nextCursor);
      });
  }, [client, cursor, filterKey]);

  const latest = useRef({ filter, accountsOfClient, selectedId, cursor });
  useEffect(() => {
    latest.current = { filter, accountsOfClient, selectedId, cursor };
  });

  const place = useCallback((row: ConversationRow | null, id: number) => {
    setRows((current) => {
      const {
        filter: f,
        accountsOfClient: clientAccounts,
        selectedId: selected,
        cursor: more,
      } = latest.current;
      const index = current.findIndex((item) => item.id === id);
      const rest = index >= 0 ? current.filter((item) => item.id !== id) : current;
      // Archiving or blocking removes the row even when it is open: that is what was asked for.
      const keep =
        row !== null &&
        (fits(row, f, clientAccounts) ||
          (index >= 0 && id === selected && row.status === (f.status ?? 'active')));
      if (!row || !keep || (index < 0 && f.search)) return index >= 0 ? rest : current;
      // A row that would sort below everything loaded belongs to a page not read yet.
      const lastLoaded = rest.at(-1);
      if (index < 0 && more && lastLoaded && newerFirst(row, lastLoaded) > 0) return current;
      let at = rest.findIndex((item) => newerFirst(row, item) < 0);
      if (at < 0) at = rest.length;
      return [...rest.slice(0, at), row, ...rest.slice(at)];
    });
  }, []);

  // Events arrive in bursts (a webhook batch): coalesce the ids and re-read each row once.
  const pending = useRef(new Set<number>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flush = useCallback(() => {
    timer.current = null;
    const ids = [...pending.current];
    pending.current.clear();
    for (const id of ids) {
      void client.call('inbox.getConversation', { conversationId: id }).then((result) => {
        if (result.ok) place(result.value.conversation, id);
        else if (result.error.code === 'NOT_FOUND') place(null, id);
      });
    }
  }, [client, place]);
  const changed = useCallback(
    (id: number) => {
      pending.current.add(id);
      timer.current ??= setTimeout(flush, 50);
    },
    [flush],
  );
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  useEvent('inbox.conversationChanged', (event) => changed(event.conversationId));
  useEvent('inbox.messageAdded', (event) => changed(event.conversationId));

  const patch = useCallback((row: ConversationRow) => place(row, row.id), [place]);
  return { rows, status, search: loadedSearch, error, hasMore: cursor !== null, loadMore, patch };
}
