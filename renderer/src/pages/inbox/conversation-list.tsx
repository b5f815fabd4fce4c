import { useVirtualizer } from '@tanstack/react-virtual';
import {
  AtSign,
  Camera,
  Clock,
  FileText,
  Heart,
  Image,
  Link2,
  Mic,
  MousePointerClick,
  PauseCircle,
  Reply,
  SmilePlus,
  Video,
  type LucideIcon,
} from 'lucide-react';
import { memo, useEffect, useRef, type ReactNode } from 'react';
import type { AccountView, ConversationRow } from '../../../../shared/contract';
import { matchRanges, matchSnippet, type MarkedRange } from '../../../../shared/inbox-search';
import { accountColor, formatDuration, personName, shortTime } from './inbox-format';

const ROW_HEIGHT = 78;

const kindIcons: Record<string, { icon: LucideIcon; label: string }> = {
  image: { icon: Image, label: 'Photo' },
  video: { icon: Video, label: 'Video' },
  audio: { icon: Mic, label: 'Voice message' },
  file: { icon: FileText, label: 'File' },
  share: { icon: Link2, label: 'Shared post' },
  reel: { icon: Video, label: 'Reel' },
  story_mention: { icon: AtSign, label: 'Story mention' },
  story_reply: { icon: Camera, label: 'Story reply' },
  like_heart: { icon: Heart, label: 'Heart' },
  reaction: { icon: SmilePlus, label: 'Reaction' },
  postback: { icon: MousePointerClick, label: 'Tapped a button' },
  quick_reply: { icon: MousePointerClick, label: 'Quick reply' },
};

/** `text` with the given parts marked (`<mark>`). */
function Marked(props: { text: string; ranges: MarkedRange[] }): ReactNode {
  const { text, ranges } = props;
  if (ranges.length === 0) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start > at) parts.push(text.slice(at, range.start));
    parts.push(
      <mark key={range.start} className="row__match">
        {text.slice(range.start, range.end)}
      </mark>,
    );
    at = range.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

function Preview(props: { row: ConversationRow; search: string }) {
  const { row, search } = props;
  const kind = row.lastMessageKind ? kindIcons[row.lastMessageKind] : undefined;
  const Icon = kind?.icon;
  // "[image]" is ingest's placeholder for a message without text: show the kind's name instead.
  const raw = row.match?.text ?? row.lastMessagePreview ?? '';
  const text = /^\[[a-z_]+\]$/.test(raw) ? (kind?.label ?? 'Message') : raw;
  // The message that matched the search, from near its first match, so the match is in view.
  const shown = row.match ? matchSnippet(text, search) : { text, ranges: [] };
  return (
    <span className="row__preview">
      {row.lastMessageDirection === 'outbound' && !row.match && (
        <Reply className="row__you" size={12} aria-label="You:" />
      )}
      {Icon && <Icon size={13} aria-label={kind.label} className="row__kind" />}
      <span className="row__preview-text" dir="auto">
        <Marked text={shown.text} ranges={shown.ranges} />
      </span>
    </span>
  );
}

/**
 * One row. Memoized: scrolling re-renders the list on every frame, and only rows that came into
 * view (or whose data changed) need to render then.
 */
const ConversationItem = memo(function ConversationItem(props: {
  row: ConversationRow;
  account: AccountView | undefined;
  selected: boolean;
  now: number;
  /** The search the rows answer ('' for none): its words are marked. */
  search: string;
  onOpen: (id: number) => void;
}) {
  const { row, account, now, search } = props;
  const name = personName(row);
  const unread = row.unreadCount > 0;
  const windowLeft = row.lastInboundAt ? Date.parse(row.lastInboundAt) + 24 * 3_600_000 - now : -1;
  const paused = row.automationPausedUntil !== null && Date.parse(row.automationPausedUntil) > now;
  const color = accountColor(account);
  return (
    <button
      type="button"
      role="option"
      aria-selected={props.selected}
      className={`row${props.selected ? ' row--selected' : ''}${unread ? ' row--unread' : ''}`}
      style={{ '--client-color': color } as React.CSSProperties}
      onClick={() => props.onOpen(row.id)}
      data-conversation-id={row.id}
    >
      <span className="row__avatar" aria-hidden>
        {[...name.replace(/^@/, '')][0]?.toUpperCase() ?? '?'}
      </span>
      <span className="row__body">
        <span className="row__top">
          <span className="row__name" dir="auto">
            <Marked text={name} ranges={matchRanges(name, search)} />
          </span>
          {row.participantUsername && row.participantName && (
            <span className="row__username">
              @<Marked text={row.participantUsername} ranges={matchRanges(row.participantUsername, search)} />
            </span>
          )}
          <time className="row__time" dateTime={row.lastMessageAt ?? undefined}>
            {shortTime(row.lastMessageAt, now)}
          </time>
        </span>
        <Preview row={row} search={search} />
        <span className="row__bottom">
          <span
            className="row__account"
            title={account ? `${account.clientName ?? ''} · @${account.username}` : row.accountId}
          >
            <span className="row__swatch" aria-hidden />
            {account ? (account.clientName ?? `@${account.username}`) : 'Unknown account'}
            {account?.clientName && <span className="row__account-user">@{account.username}</span>}
          </span>
          {windowLeft > 0 && windowLeft < 4 * 3_600_000 && (
            <span className="row__badge row__badge--warn" title="The 24-hour reply window closes soon">
              <Clock size={11} aria-hidden /> {formatDuration(windowLeft)}
            </span>
          )}
          {paused && (
            <span className="row__badge" title="Automation paused for this conversation">
              <PauseCircle size={11} aria-hidden /> Paused
            </span>
          )}
          {row.labels.slice(0, 2).map((label) => (
            <span key={label} className="row__label">
              {label}
            </span>
          ))}
        </span>
      </span>
      {unread && <span className="row__dot" aria-label={`${row.unreadCount} unread`} />}
    </button>
  );
});

/** The list, virtualized: only the rows on screen (plus a few) are in the DOM, whatever the count. */
export function ConversationList(props: {
  rows: ConversationRow[];
  accounts: Map<string, AccountView>;
  selectedId: number | null;
  now: number;
  /** The search the rows answer ('' for none): its words are marked. */
  search: string;
  hasMore: boolean;
  onLoadMore: () => void;
  onOpen: (id: number) => void;
}) {
  const parent = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable; this component is left uncompiled on purpose.
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasMore, onLoadMore, rows } = props;
  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - 40) onLoadMore();
  }, [hasMore, lastIndex, rows.length, onLoadMore]);
  const selectedIndex = rows.findIndex((row) => row.id === props.selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <div ref={parent} className="list" role="listbox" aria-label="Conversations" data-count={rows.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={row.id}
              className="list__item"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              <ConversationItem
                row={row}
                account={props.accounts.get(row.accountId)}
                selected={row.id === props.selectedId}
                now={props.now}
                search={props.search}
                onOpen={props.onOpen}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
