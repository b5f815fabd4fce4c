import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useContractQuery, useEvent } from '../app/client-context';
import { plural } from '../lib/format';

/** Changes come in bursts: the counts are read again once a burst settles. */
const SETTLE_MS = 500;

/**
 * The outbox at a glance in the status bar — messages waiting and failed across accounts — linking to
 * the queue view. Kept live by `outbox.messageChanged`, never polled.
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
  let waiting = 0;
  let failed = 0;
  let held = 0;
  for (const account of query.value.accounts) {
    waiting += account.waiting + account.paced + account.sending;
    failed += account.failed + account.unknown;
    held += account.held;
  }
  const worst = failed > 0 || held > 0 ? 'error' : waiting > 0 ? 'warn' : 'ok';
  const parts = [
    waiting > 0 ? `${waiting} waiting` : null,
    held > 0 ? `${held} held` : null,
    failed > 0 ? `${failed} failed` : null,
  ].filter(Boolean);
  const label = parts.length > 0 ? `Outbox: ${parts.join(' · ')}` : 'Outbox empty';
  return (
    <Link
      to={failed > 0 ? '/queue?state=failed' : '/queue'}
      className={`status-item status-item--link queue-status queue-status--${worst}`}
      title={`Open the outbox queue (${plural(waiting + held + failed, 'message')} not sent yet)`}
      data-testid="outbox-status"
    >
      <span className={`status-dot status-dot--${worst}`} aria-hidden />
      {label}
    </Link>
  );
}
