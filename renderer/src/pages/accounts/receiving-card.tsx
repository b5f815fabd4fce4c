import { CircleExclamationPoint, LoaderCircle, RefreshCw } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { useReceivingHealth } from '../../app/use-receiving-health';
import { Badge } from '../../components/badge';
import { formatDateTime, timeAgo } from '../../lib/format';
import { isNotReceiving, subscriptionLabel, subscriptionTone } from '../../lib/receiving-health';

function Fact(props: { label: string; children: ReactNode; muted?: boolean }) {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd className={props.muted ? 'fact__value--muted' : undefined}>{props.children}</dd>
    </div>
  );
}

/**
 * Is Meta sending this account's webhooks? The last webhook received, the subscription state and the
 * fields Meta sends (checked at start and daily), with a check on demand. Kept fresh by events.
 */
export function ReceivingCard(props: { account: AccountView; now: number }) {
  const { account, now } = props;
  const client = useClient();
  const health = useReceivingHealth();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const row =
    health.status === 'ok' ? health.value.accounts.find((r) => r.accountId === account.id) : undefined;

  const checkNow = async () => {
    setChecking(true);
    setError(null);
    const result = await client.call('diagnostics.checkSubscriptions', { accountId: account.id });
    setChecking(false);
    if (!result.ok) setError(result.error.message);
  };

  const lastWebhookAt = row?.lastWebhookAt ?? account.lastWebhookAt;
  return (
    <section className="card" aria-labelledby="receiving-title" data-testid="receiving-card">
      <div className="card__head">
        <h3 id="receiving-title" className="card__title">
          Receiving
        </h3>
        <button type="button" className="button" onClick={() => void checkNow()} disabled={checking}>
          {checking ? (
            <LoaderCircle className="spin" size={15} aria-hidden />
          ) : (
            <RefreshCw size={15} aria-hidden />
          )}
          {checking ? 'Checking…' : 'Check subscription'}
        </button>
      </div>
      {row && isNotReceiving(row) && (
        <div className="callout callout--error" role="status">
          <CircleExclamationPoint size={18} aria-hidden />
          <div>
            <strong>Messages may not be arriving</strong>
            <p>
              {row.subscription.message ??
                'Meta does not list this app’s webhooks for the account. Check the subscription again.'}
            </p>
          </div>
        </div>
      )}
      {error && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <div>
            <strong>The check could not run</strong>
            <p>{error}</p>
          </div>
        </div>
      )}
      {health.status === 'error' && (
        <p className="card__note" role="alert">
          {health.error.message}
        </p>
      )}
      <dl className="facts">
        <Fact label="Last webhook" muted={!lastWebhookAt}>
          {lastWebhookAt ? (
            <span title={formatDateTime(lastWebhookAt)}>{timeAgo(lastWebhookAt, now)}</span>
          ) : (
            'never'
          )}
        </Fact>
        <Fact label="Subscription" muted={!row}>
          {row ? (
            <>
              <Badge
                tone={subscriptionTone[row.subscription.state]}
                title={row.subscription.message ?? undefined}
              >
                {subscriptionLabel[row.subscription.state]}
              </Badge>
              <span className="receiving-card__checked">
                {row.subscription.checkedAt
                  ? `checked ${timeAgo(row.subscription.checkedAt, now)}`
                  : 'checked at start and daily'}
              </span>
            </>
          ) : health.status === 'loading' ? (
            'Loading…'
          ) : (
            'not known (archived accounts are not checked)'
          )}
        </Fact>
        <Fact label="Fields Meta sends" muted={!row || row.subscription.fields.length === 0}>
          {row && row.subscription.fields.length > 0
            ? row.subscription.fields.map((field) => (
                <code key={field} className="field-chip">
                  {field}
                </code>
              ))
            : 'none known yet'}
        </Fact>
      </dl>
      {row && !isNotReceiving(row) && row.subscription.message && (
        <p className="card__note">{row.subscription.message}</p>
      )}
      <p className="card__note">
        Recent deliveries, refusals and gap recovery are on the{' '}
        <a href={`#/diagnostics?account=${encodeURIComponent(account.id)}`}>diagnostics screen</a>.
      </p>
    </section>
  );
}
