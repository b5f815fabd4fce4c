import { useVirtualizer } from '@tanstack/react-virtual';
import { Ban, RotateCcw } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { OutboxQueueBucket, OutboxQueueRow } from '../../../../shared/contract';
import {
  age,
  clockTime,
  originLabel,
  preview,
  readableReason,
  recipientLabel,
  timeUntil,
} from './queue-format';

const ROW_HEIGHT = 64;

const canRetry: ReadonlySet<OutboxQueueBucket> = new Set(['failed', 'unknown', 'expired']);
const canCancel: ReadonlySet<OutboxQueueBucket> = new Set(['waiting', 'paced', 'held', 'failed', 'unknown']);
const pending: ReadonlySet<OutboxQueueBucket> = new Set(['waiting', 'paced', 'held']);

function Reason(props: { row: OutboxQueueRow; bucket: OutboxQueueBucket; now: number }) {
  const { row } = props;
  if (pending.has(props.bucket)) {
    return (
      <>
        <span title={clockTime(row.nextAttemptAt)}>
          Next attempt {timeUntil(row.nextAttemptAt, props.now)}
        </span>
        {row.reason && <span className="queue-row__why">{readableReason(row.reason)}</span>}
      </>
    );
  }
  return (
    <>
      {row.errorCode && row.errorCode !== 'UNKNOWN' && (
        <span className="queue-row__code" title="Meta's error code">
          Code {row.errorCode}
        </span>
      )}
      <span className="queue-row__why" title={row.reason ?? undefined}>
        {row.reason ? readableReason(row.reason) : 'No reason was recorded.'}
      </span>
    </>
  );
}

/**
 * One bucket's messages, virtualized: only the rows on screen (plus a few) are in the DOM; the next page
 * loads as the end comes into view.
 */
export function QueueList(props: {
  bucket: OutboxQueueBucket;
  rows: OutboxQueueRow[];
  hasMore: boolean;
  now: number;
  busy: number | null;
  onLoadMore: () => void;
  onRetry: (id: number) => void;
  onCancel: (id: number) => void;
}) {
  const { rows } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoizable; this component is left uncompiled on purpose.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasMore, onLoadMore } = props;
  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - 10) onLoadMore();
  }, [hasMore, lastIndex, rows.length, onLoadMore]);

  return (
    <div className="queue-list">
      <div className="queue-list__head" aria-hidden>
        <span>Recipient</span>
        <span>Message</span>
        <span>Origin</span>
        <span className="num">Age</span>
        <span className="num">Tries</span>
        <span>{pending.has(props.bucket) ? 'Next attempt' : 'Reason'}</span>
        <span />
      </div>
      <div
        ref={scroller}
        className="queue-list__scroll"
        id="queue-rows"
        role="list"
        aria-labelledby={`queue-tab-${props.bucket}`}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={row.id}
                role="listitem"
                className="queue-row"
                data-testid="queue-row"
                data-index={item.index}
                ref={virtualizer.measureElement}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <a
                  className="queue-row__recipient"
                  href={`#/inbox/${row.conversationId}`}
                  title="Open the conversation"
                >
                  {recipientLabel(row)}
                </a>
                <span className="queue-row__text" title={preview(row)}>
                  {preview(row)}
                </span>
                <span className="queue-row__origin">{originLabel(row)}</span>
                <span className="num" title={clockTime(row.createdAt)}>
                  {age(row.createdAt, props.now)}
                </span>
                <span className="num">{row.attempts}</span>
                <span className="queue-row__reason">
                  <Reason row={row} bucket={props.bucket} now={props.now} />
                </span>
                <span className="queue-row__actions">
                  {canRetry.has(props.bucket) && (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={props.busy === row.id}
                      onClick={() => props.onRetry(row.id)}
                      aria-label={`Retry the message to ${recipientLabel(row)}`}
                    >
                      <RotateCcw size={13} aria-hidden />
                      Retry
                    </button>
                  )}
                  {canCancel.has(props.bucket) && (
                    <button
                      type="button"
                      className="button button--small"
                      disabled={props.busy === row.id}
                      onClick={() => props.onCancel(row.id)}
                      aria-label={`Cancel the message to ${recipientLabel(row)}`}
                    >
                      <Ban size={13} aria-hidden />
                      Cancel
                    </button>
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
