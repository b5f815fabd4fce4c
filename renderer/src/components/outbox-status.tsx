import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useContractQuery, useEvent } from '../app/client-context';
import { plural } from '../lib/format';

/** Changes come in bursts: the counts are read again once a burst settles. */
const SETTLE_MS = 500;

/**
 * The outbox at a glance in the status bar — what is not sent yet across accounts, by the queue view's
 * buckets — linking to the queue view. Kept live by `outbox.messageChanged`, never polled.
 */
export function OutboxStatus() {
  const [query, refresh] = useContractQuery('outbox.queue', {});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEvent('outbox.messageChanged', () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(refresh, SETTLE_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  if (query.status !== 'ok') return null;
  // The queue page's words and buckets, so "2 paced" here is the "Paced 2" tile there.
  const total = { waiting: 0, paced: 0, held: 0, failed: 0, unknown: 0 };
  for (const account of query.value.accounts) {
    total.waiting += account.waiting + account.sending;
    total.paced += account.paced;
    total.held += account.held;
    total.failed += account.failed;
    total.unknown += account.unknown;
  }
  const notSent = total.waiting + total.paced + total.held + total.failed + total.unknown;
  const worst = total.failed + total.unknown + total.held > 0 ? 'error' : notSent > 0 ? 'warn' : 'ok';
  const parts = (['waiting', 'paced', 'held', 'failed', 'unknown'] as const)
    .filter((bucket) => total[bucket] > 0)
    .map((bucket) => `${total[bucket]} ${bucket}`);
  const label = parts.length > 0 ? `Outbox: ${parts.join(' · ')}` : 'Outbox empty';
  // The link opens the bucket that most needs someone.
  const open = (['failed', 'unknown', 'held', 'paced'] as const).find((bucket) => total[bucket] > 0);
  return (
    <Link
      to={open ? `/queue?state=${open}` : '/queue'}
      className={`status-item status-item--link queue-status queue-status--${worst}`}
      title={`Open the outbox queue (${plural(notSent, 'message')} not sent yet)`}
      data-testid="outbox-status"
    >
      <span className={`status-dot status-dot--${worst}`} aria-hidden />
      {label}
    </Link>
  );
}
