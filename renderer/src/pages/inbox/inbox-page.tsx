import { Inbox, Keyboard, MessagesSquare } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { AccountView } from '../../../../shared/contract';
import { useContractQuery, useEvent } from '../../app/client-context';
import { useAccounts } from '../../app/use-accounts';
import { useNow } from '../../app/use-now';
import { EmptyState } from '../../components/empty-state';
import { plural } from '../../lib/format';
import { ConversationList } from './conversation-list';
import { ConversationPane, type ConversationPaneHandle } from './conversation-pane';
import { InboxFilters, initialFilter, toInboxFilter, type FilterState } from './inbox-filters';
import { ShortcutSheet } from './shortcut-sheet';
import { useInboxList } from './use-inbox-list';

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Every client's DMs in one list, the open conversation beside it. */
export function InboxPage() {
  const navigate = useNavigate();
  const params = useParams();
  const selectedId = params.conversationId ? Number(params.conversationId) : null;
  const now = useNow(30_000);
  const { query: accountsQuery } = useAccounts();
  const accountList = useMemo(
    () => (accountsQuery.status === 'ok' ? accountsQuery.value.accounts : []),
    [accountsQuery],
  );
  const accounts = useMemo(
    () => new Map<string, AccountView>(accountList.map((a) => [a.id, a])),
    [accountList],
  );
  const [filterState, setFilterState] = useState<FilterState>(initialFilter);
  const filter = useMemo(() => toInboxFilter(filterState), [filterState]);
  const accountsOfClient = useMemo(
    () =>
      filter.clientName
        ? new Set(accountList.filter((a) => a.clientName === filter.clientName).map((a) => a.id))
        : null,
    [filter.clientName, accountList],
  );
  const list = useInboxList(filter, accountsOfClient, selectedId);

  const [counts, refreshCounts] = useContractQuery('inbox.counts', {});
  const [labels, refreshLabels] = useContractQuery('inbox.labels', {});
  const countsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const countsChanged = useCallback(() => {
    countsTimer.current ??= setTimeout(() => {
      countsTimer.current = null;
      refreshCounts();
      refreshLabels();
    }, 150);
  }, [refreshCounts, refreshLabels]);
  useEffect(() => () => void (countsTimer.current && clearTimeout(countsTimer.current)), []);
  useEvent('inbox.conversationChanged', countsChanged);
  useEvent('inbox.messageAdded', countsChanged);
  const unreadByAccount = useMemo(
    () => new Map(counts.status === 'ok' ? counts.value.accounts.map((a) => [a.accountId, a.unread]) : []),
    [counts],
  );

  const search = useRef<HTMLInputElement>(null);
  const pane = useRef<ConversationPaneHandle>(null);
  const [sheet, setSheet] = useState(false);
  const open = useCallback((id: number) => void navigate(`/inbox/${id}`), [navigate]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) {
        if (event.key === 'Escape') (event.target as HTMLElement).blur();
        return;
      }
      if (document.querySelector('dialog[open]')) return;
      const index = list.rows.findIndex((row) => row.id === selectedId);
      const go = (to: number) => {
        const row = list.rows[Math.max(0, Math.min(list.rows.length - 1, to))];
        if (row) open(row.id);
      };
      switch (event.key) {
        case 'j':
          go(index + 1);
          break;
        case 'k':
          go(index < 0 ? 0 : index - 1);
          break;
        case 'r':
          pane.current?.focusComposer();
          break;
        case 'e': {
          // Like a mail client: archiving moves on to the next conversation.
          const next = list.rows[index + 1] ?? list.rows[index - 1];
          pane.current?.archive();
          if (next && index >= 0) open(next.id);
          break;
        }
        case 'u':
          pane.current?.markUnread();
          break;
        case '/':
          search.current?.focus();
          break;
        case '?':
          setSheet(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [list.rows, selectedId, open]);

  const total = counts.status === 'ok' ? counts.value.totalUnread : null;
  const noAccounts = accountsQuery.status === 'ok' && accountList.length === 0;
  return (
    <div className="inbox" data-inbox-state={list.status} data-inbox-search={filter.search ?? ''}>
      <section className="inbox__list" aria-label="Conversation list">
        <header className="inbox__header">
          <h1>
            <Inbox size={18} aria-hidden /> Inbox
          </h1>
          {total !== null && (
            <span
              className="inbox__unread"
              aria-label="Unread messages"
              title={
                counts.status === 'ok'
                  ? `${plural(counts.value.totalUnreadConversations, 'conversation')} with unread messages`
                  : undefined
              }
            >
              {total > 0 ? `${total} unread` : 'All read'}
            </span>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
            onClick={() => setSheet(true)}
          >
            <Keyboard size={16} aria-hidden />
          </button>
        </header>
        <InboxFilters
          ref={search}
          value={filterState}
          onChange={setFilterState}
          accounts={accountList}
          unreadByAccount={unreadByAccount}
          labels={labels.status === 'ok' ? labels.value.labels : []}
        />
        {list.status === 'error' ? (
          <p className="inbox__message" role="alert">
            {list.error?.message}
          </p>
        ) : list.status === 'ok' && list.rows.length === 0 ? (
          <p className="inbox__message">
            {filter.search
              ? `Nothing matches “${filter.search}”.`
              : noAccounts
                ? 'No accounts yet.'
                : 'No conversations here.'}
          </p>
        ) : (
          <ConversationList
            rows={list.rows}
            accounts={accounts}
            selectedId={selectedId}
            now={now}
            search={list.search}
            hasMore={list.hasMore}
            onLoadMore={list.loadMore}
            onOpen={open}
          />
        )}
      </section>
      <section className="inbox__thread" aria-label="Conversation">
        {selectedId !== null && Number.isSafeInteger(selectedId) ? (
          <ConversationPane
            ref={pane}
            key={selectedId}
            conversationId={selectedId}
            accounts={accounts}
            now={now}
            onRow={list.patch}
          />
        ) : noAccounts ? (
          <EmptyState
            icon={MessagesSquare}
            title="No conversations yet"
            steps={[
              'Add a client’s Instagram account under Accounts.',
              'Paste its callback URL and verify token into Meta’s dashboard.',
              'New DMs arrive here live, with the reply window for each.',
            ]}
          >
            <p>Once an account is connected, its DMs appear here the moment Instagram delivers them.</p>
          </EmptyState>
        ) : (
          <div className="pane pane--empty">
            <p>
              Pick a conversation, or press <kbd>j</kbd> to open the newest.
            </p>
          </div>
        )}
      </section>
      {sheet && <ShortcutSheet onClose={() => setSheet(false)} />}
    </div>
  );
}
