import { ArrowDown, LoaderCircle } from 'lucide-react';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { OutboxMessageView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { DeliveryState } from './delivery-state';
import { LinkifiedText } from './linkified-text';
import { MessageBubble } from './message-bubble';
import type { Thread } from './use-thread';

const NEAR_BOTTOM_PX = 48;

function Outgoing(props: {
  row: OutboxMessageView;
  onRetry: (id: number) => void;
  onCancel: (id: number) => void;
}) {
  const { row } = props;
  return (
    <li className="message message--out message--outgoing" data-outbox-id={row.id}>
      <div className="bubble bubble--out bubble--pending">
        <p className="bubble__text" dir="auto">
          {row.text ? <LinkifiedText text={row.text} /> : `[${row.kind}]`}
        </p>
      </div>
      <div className="message__meta">
        <span className="origin">
          {row.origin.kind === 'rule'
            ? 'Rule'
            : row.origin.kind === 'staff'
              ? (row.origin.id ?? 'Staff')
              : 'Switchboard'}
        </span>
        <DeliveryState
          delivery={{ outboxId: row.id, state: row.state, waitKind: row.waitKind, reason: row.reason }}
          onRetry={props.onRetry}
          onCancel={props.onCancel}
        />
      </div>
    </li>
  );
}

/**
 * The messages, oldest at the top. Loading older pages keeps what the reader looks at in place;
 * a new message scrolls into view only when the reader was already at the bottom, otherwise a
 * "new messages" button appears and nothing moves.
 */
export function ThreadView(props: { thread: Thread; conversationId: number }) {
  const client = useClient();
  const { thread } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const previous = useRef<{ first: number | null; last: number | null; height: number }>({
    first: null,
    last: null,
    height: 0,
  });
  const [unseen, setUnseen] = useState(false);
  // Where we last scrolled to ourselves: a scroll event at that position is ours, not the reader's,
  // even if content grew in between (it would otherwise look like the reader scrolled up).
  const autoTop = useRef<number | null>(null);
  const stickToBottom = (element: HTMLElement) => {
    element.scrollTop = element.scrollHeight;
    autoTop.current = element.scrollTop;
  };
  const [loadingOlder, setLoadingOlder] = useState(false);

  const first = thread.messages[0]?.id ?? null;
  const last = thread.messages.at(-1)?.id ?? null;
  const count = thread.messages.length + thread.outgoing.length;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const before = previous.current;
    if (before.first !== null && first !== before.first && last === before.last) {
      // Older messages were added above: keep the same content under the reader's eyes.
      element.scrollTop += element.scrollHeight - before.height;
    } else if (atBottom.current) {
      stickToBottom(element);
    } else if (last !== before.last) {
      setUnseen(true);
    }
    previous.current = { first, last, height: element.scrollHeight };
  }, [first, last, count]);

  // Media, fonts and the panes around it change sizes after layout: a reader at the bottom stays there.
  useLayoutEffect(() => {
    const element = scroller.current;
    const content = element?.querySelector('.messages');
    if (!element || !content) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) stickToBottom(element);
      previous.current.height = element.scrollHeight;
    });
    observer.observe(content);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const ours = autoTop.current !== null && Math.abs(element.scrollTop - autoTop.current) < 2;
    autoTop.current = null;
    if (!ours)
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) setUnseen(false);
    previous.current.height = element.scrollHeight;
    if (element.scrollTop < 200 && thread.hasOlder && !loadingOlder) {
      setLoadingOlder(true);
      void thread.loadOlder().finally(() => setLoadingOlder(false));
    }
  };

  // Stable, so the memoized bubbles do not all re-render with every render of the thread.
  const { reloadOutbox } = thread;
  const retry = useCallback(
    (id: number) => void client.call('outbox.retry', { id }).then(() => reloadOutbox()),
    [client, reloadOutbox],
  );
  const cancel = (id: number) => void client.call('outbox.cancel', { id }).then(() => thread.reloadOutbox());

  return (
    <div className="thread__scroller" ref={scroller} onScroll={onScroll}>
      {thread.status === 'loading' && (
        <p className="thread__status" role="status">
          <LoaderCircle className="spin" size={16} aria-hidden /> Loading messages…
        </p>
      )}
      {thread.status === 'error' && (
        <p className="thread__status" role="alert">
          {thread.error?.message ?? 'The messages could not be loaded.'}
        </p>
      )}
      {thread.status === 'ok' && !thread.hasOlder && thread.messages.length > 0 && (
        <p className="thread__start">Start of the conversation</p>
      )}
      {loadingOlder && (
        <p className="thread__status" role="status">
          <LoaderCircle className="spin" size={14} aria-hidden /> Loading earlier messages…
        </p>
      )}
      <ol className="messages" aria-label="Messages" aria-live="polite">
        {thread.messages.map((message) => (
          <MessageBubble key={message.id} message={message} onRetry={retry} />
        ))}
        {thread.outgoing.map((row) => (
          <Outgoing key={`o${row.id}`} row={row} onRetry={retry} onCancel={cancel} />
        ))}
      </ol>
      {unseen && (
        <button
          type="button"
          className="thread__new"
          onClick={() => {
            const element = scroller.current;
            if (element) stickToBottom(element);
            atBottom.current = true;
            setUnseen(false);
          }}
        >
          <ArrowDown size={14} aria-hidden /> New messages
        </button>
      )}
    </div>
  );
}
