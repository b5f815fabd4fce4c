import { Link } from 'react-router';
import { useReceivingHealth } from '../app/use-receiving-health';
import { isNotReceiving } from '../lib/receiving-health';
import { plural } from '../lib/format';

/**
 * The status bar's receiving health: "Webhooks OK · N accounts" while Meta sends every active account's
 * webhooks, "N accounts not receiving" (a link to diagnostics) when a subscription is missing or could
 * not be checked. Updated by events, never polled.
 */
export function ReceivingIndicator() {
  const health = useReceivingHealth();
  if (health.status !== 'ok' || health.value.accounts.length === 0) return null;
  const rows = health.value.accounts;
  const failing = rows.filter(isNotReceiving);
  if (failing.length === 0) {
    const unchecked = rows.filter((row) => row.subscription.state === 'unchecked').length;
    return (
      <Link
        to="/diagnostics"
        className="status-item status-item--plain-link"
        data-testid="receiving-indicator"
        title={
          unchecked > 0
            ? `${plural(unchecked, 'account')} not checked yet (checked at start and daily)`
            : 'Meta sends every account’s webhooks'
        }
      >
        <span className={`status-dot status-dot--${unchecked > 0 ? 'idle' : 'ok'}`} aria-hidden />
        {unchecked > 0 ? 'Webhooks' : 'Webhooks OK'} · {plural(rows.length, 'account')}
      </Link>
    );
  }
  const names = failing.map((row) => `@${row.username}`).join(', ');
  return (
    <Link
      to="/diagnostics"
      className="status-item status-item--link"
      data-testid="receiving-indicator"
      title={`Not receiving: ${names}. Open diagnostics to check the subscription again.`}
    >
      <span className="status-dot status-dot--error" aria-hidden />
      {plural(failing.length, 'account')} not receiving
    </Link>
  );
}
