import type { KeyboardEvent, ReactNode } from 'react';
import type { OutboxQueue, OutboxQueueBucket } from '../../../../shared/contract';
import { plural } from '../../lib/format';
import { clockTime, timeUntil } from './queue-format';

interface Tile {
  bucket: OutboxQueueBucket;
  label: string;
  count: number;
  tone: 'ok' | 'warn' | 'error' | 'idle' | 'info';
  detail: ReactNode;
}

function tiles(summary: OutboxQueue, now: number): Tile[] {
  const paced = summary.nextPacedAt;
  return [
    {
      bucket: 'waiting',
      label: 'Waiting',
      count: summary.waiting,
      tone: summary.waiting > 0 ? 'info' : 'idle',
      detail: summary.sending > 0 ? `${summary.sending} sending now` : 'Due now or retrying',
    },
    {
      bucket: 'paced',
      label: 'Paced',
      count: summary.paced,
      tone: summary.paced > 0 ? 'warn' : 'idle',
      detail: paced ? (
        <span title={clockTime(paced)}>Next goes {timeUntil(paced, now)}</span>
      ) : (
        'Held by the send budget'
      ),
    },
    {
      bucket: 'held',
      label: 'Held',
      count: summary.held,
      tone: summary.held > 0 || summary.heldReason ? 'error' : 'idle',
      detail: summary.heldReason ?? 'Account can send',
    },
    {
      bucket: 'failed',
      label: 'Failed',
      count: summary.failed,
      tone: summary.failed > 0 ? 'error' : 'idle',
      detail: "Meta's reason, retry or cancel",
    },
    // Rare (a crash or a lost answer): shown only when there is one.
    ...(summary.unknown > 0
      ? [
          {
            bucket: 'unknown' as const,
            label: 'Unknown',
            count: summary.unknown,
            tone: 'warn' as const,
            detail: 'Sent or not? Check the thread',
          },
        ]
      : []),
    {
      bucket: 'expired',
      label: 'Expired',
      count: summary.expired,
      tone: summary.expired > 0 ? 'warn' : 'idle',
      detail: 'Window closed · last 24 h',
    },
  ];
}

/** The counts as tabs: each one shows its bucket's messages below. */
export function QueueSummary(props: {
  summary: OutboxQueue;
  bucket: OutboxQueueBucket;
  now: number;
  onSelect: (bucket: OutboxQueueBucket) => void;
}) {
  const { summary } = props;
  const { perHour, perSecond, usedLastHour } = summary.budget;
  const share = perHour > 0 ? Math.min(1, usedLastHour / perHour) : 0;
  const selected = props.bucket;
  const shown = tiles(summary, props.now);
  // Arrow keys move between the tabs (and show them), as in any tab list. The step is taken from
  // the focused tab, not the selected one: the selection goes through the URL and can lag a fast
  // second key press.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const focused =
      event.target instanceof HTMLElement ? event.target.closest('[role="tab"]')?.id : undefined;
    const from = focused ? shown.findIndex((tile) => `queue-tab-${tile.bucket}` === focused) : -1;
    const index = from >= 0 ? from : shown.findIndex((tile) => tile.bucket === selected);
    const next = shown[(index + step + shown.length) % shown.length];
    if (!next) return;
    props.onSelect(next.bucket);
    document.getElementById(`queue-tab-${next.bucket}`)?.focus();
  };
  return (
    <div className="queue-summary">
      <div className="queue-tiles" role="tablist" aria-label="Queue by state" onKeyDown={onKeyDown}>
        {shown.map((tile) => (
          <button
            key={tile.bucket}
            type="button"
            role="tab"
            id={`queue-tab-${tile.bucket}`}
            aria-selected={selected === tile.bucket}
            tabIndex={selected === tile.bucket ? 0 : -1}
            aria-controls="queue-rows"
            className={`queue-tile queue-tile--${tile.tone}${selected === tile.bucket ? ' queue-tile--active' : ''}`}
            onClick={() => props.onSelect(tile.bucket)}
          >
            <span className="queue-tile__label">{tile.label}</span>
            <span className="queue-tile__count" data-testid={`queue-count-${tile.bucket}`}>
              {tile.count}
            </span>
            <span className="queue-tile__detail">{tile.detail}</span>
          </button>
        ))}
      </div>
      <div className="queue-budget card" aria-label="Send budget">
        <div className="queue-budget__head">
          <span className="queue-tile__label">Sent in the last hour</span>
          <span className="queue-budget__figure" data-testid="queue-used-last-hour">
            {usedLastHour} <span>of {perHour}</span>
          </span>
        </div>
        <div
          className={`queue-budget__bar${share >= 0.9 ? ' queue-budget__bar--full' : ''}`}
          role="meter"
          aria-valuemin={0}
          aria-valuemax={perHour}
          aria-valuenow={usedLastHour}
          aria-label="Hourly budget used"
        >
          <span style={{ width: `${share * 100}%` }} />
        </div>
        <p className="queue-budget__note">
          At most {plural(perSecond, 'message')} a second and {perHour} an hour; beyond that messages wait
          here, they are never dropped.
        </p>
      </div>
    </div>
  );
}
