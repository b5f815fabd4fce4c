import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ArrowLeft, RefreshCw, RotateCcw, ShieldAlert } from 'lucide-react';
import type {
  AccountView,
  ReceivingHealth,
  SecurityEntryView,
  WebhookDeliveryView,
} from '../../../../shared/contract';
import { useClient, useContractQuery, useEvent, type QueryState } from '../../app/client-context';
import { useAccounts } from '../../app/use-accounts';
import { useNow } from '../../app/use-now';
import { Badge } from '../../components/badge';
import { PageHeader } from '../../components/page-header';
import type { Tone } from '../../lib/accounts';
import { formatDateTime, plural, timeAgo } from '../../lib/format';
import { subscriptionLabel, subscriptionTone } from '../../lib/receiving-health';
import './diagnostics.css';

const LIMIT = 50;

const stateTone: Record<WebhookDeliveryView['state'], Tone> = {
  received: 'info',
  processing: 'info',
  processed: 'ok',
  ignored: 'warn',
  failed: 'error',
};
const stateLabel: Record<WebhookDeliveryView['state'], string> = {
  received: 'Queued',
  processing: 'Processing',
  processed: 'Processed',
  ignored: 'Not understood',
  failed: 'Failed',
};

function bytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / 1024 / 1024).toFixed(1)} MB`;
}

/** Loading and error states of one section, so every table says why it is empty. */
function QueryBody<T>(props: { query: QueryState<T>; children: (value: T) => React.ReactNode }) {
  if (props.query.status === 'loading') return <p className="diag-note">Loading…</p>;
  if (props.query.status === 'error')
    return (
      <p className="diag-note diag-note--error" role="alert">
        {props.query.error.message}
      </p>
    );
  return <>{props.children(props.query.value)}</>;
}

export function DiagnosticsPage() {
  const client = useClient();
  const now = useNow();
  const { query: accountsQuery } = useAccounts(true);
  // `#/diagnostics?account=<id>` (from an account's Receiving card) opens filtered to that account.
  const [params] = useSearchParams();
  const [accountId, setAccountId] = useState(() => params.get('account') ?? '');
  const filter = accountId ? { accountId, limit: LIMIT } : { limit: LIMIT };
  const [health, refreshHealth] = useContractQuery('diagnostics.health', {});
  const [deliveries, refreshDeliveries] = useContractQuery('diagnostics.listDeliveries', filter);
  const [notUnderstood, refreshNotUnderstood] = useContractQuery('diagnostics.listNotUnderstood', filter);
  const [security, refreshSecurity] = useContractQuery('diagnostics.listSecurityLog', filter);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  useEvent('diagnostics.healthChanged', () => refreshHealth());

  const accounts: AccountView[] = accountsQuery.status === 'ok' ? accountsQuery.value.accounts : [];
  const nameOf = (id: string | null) => {
    if (id === null) return 'No connected account';
    const account = accounts.find((candidate) => candidate.id === id);
    return account ? (account.clientName ?? `@${account.username}`) : id;
  };

  const refreshAll = () => {
    refreshHealth();
    refreshDeliveries();
    refreshNotUnderstood();
    refreshSecurity();
  };

  async function run(key: string, work: () => Promise<string>) {
    setBusy(key);
    setMessage(null);
    try {
      setMessage({ tone: 'ok', text: await work() });
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(null);
      refreshAll();
    }
  }

  const checkSubscriptions = () =>
    run('check', async () => {
      const result = await client.call('diagnostics.checkSubscriptions', accountId ? { accountId } : {});
      if (!result.ok) throw new Error(result.error.message);
      return `Checked ${plural(result.value.accounts.length, 'account')}.`;
    });
  const recover = (id: string) =>
    run(`recover:${id}`, async () => {
      const result = await client.call('diagnostics.recoverGaps', { accountId: id });
      if (!result.ok) throw new Error(result.error.message);
      return result.value.recovery.message ?? 'Recovery finished.';
    });
  const replay = (id: number) =>
    run(`replay:${id}`, async () => {
      const result = await client.call('diagnostics.replayDelivery', { id });
      if (!result.ok) throw new Error(result.error.message);
      return `Delivery #${id} was queued for ingest again.`;
    });

  const healthRows = (rows: ReceivingHealth[]) =>
    accountId ? rows.filter((row) => row.accountId === accountId) : rows;

  return (
    <div className="diagnostics" data-testid="diagnostics-page">
      <a className="diag-back" href="#/settings">
        <ArrowLeft size={14} aria-hidden /> Settings
      </a>
      <PageHeader
        title="Receiving diagnostics"
        description="Whether Meta still sends each account's webhooks, what arrived, what was not understood and what was refused."
        actions={
          <>
            <label className="diag-filter">
              <span>Account</span>
              <select value={accountId} onChange={(event) => setAccountId(event.target.value)}>
                <option value="">All accounts</option>
                {accounts.map((account) => (
                  <option key={account.id} value={account.id}>
                    {account.clientName ?? account.username} (@{account.username})
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button" onClick={refreshAll}>
              <RefreshCw size={14} aria-hidden /> Refresh
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={() => void checkSubscriptions()}
              disabled={busy !== null}
            >
              Check subscriptions now
            </button>
          </>
        }
      />
      {message && (
        <p className={`diag-message diag-message--${message.tone}`} role="status">
          {message.text}
        </p>
      )}

      <section className="card diag-card" aria-labelledby="diag-health">
        <h2 className="card__title" id="diag-health">
          Subscription health
        </h2>
        <QueryBody query={health}>
          {(value) =>
            healthRows(value.accounts).length === 0 ? (
              <p className="diag-note">No accounts yet.</p>
            ) : (
              <div className="diag-table-wrap">
                <table className="diag-table">
                  <thead>
                    <tr>
                      <th>Account</th>
                      <th>Last webhook</th>
                      <th>Subscription</th>
                      <th>Fields Meta sends</th>
                      <th>Gap recovery</th>
                      <th aria-label="Actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {healthRows(value.accounts).map((row) => (
                      <tr key={row.accountId}>
                        <td>
                          <strong>{nameOf(row.accountId)}</strong>
                          <div className="diag-sub">@{row.username}</div>
                        </td>
                        <td title={row.lastWebhookAt ? formatDateTime(row.lastWebhookAt) : undefined}>
                          {row.lastWebhookAt ? timeAgo(row.lastWebhookAt, now) : 'Never'}
                        </td>
                        <td>
                          <Badge
                            tone={subscriptionTone[row.subscription.state]}
                            title={row.subscription.message ?? undefined}
                          >
                            {subscriptionLabel[row.subscription.state]}
                          </Badge>
                          <div className="diag-sub">
                            {row.subscription.checkedAt
                              ? `checked ${timeAgo(row.subscription.checkedAt, now)}`
                              : 'checked at start and daily'}
                          </div>
                          {row.subscription.message && (
                            <div className="diag-detail">{row.subscription.message}</div>
                          )}
                        </td>
                        <td className="diag-fields">
                          {row.subscription.fields.length === 0
                            ? '—'
                            : row.subscription.fields.map((field) => (
                                <code key={field} className="diag-field">
                                  {field}
                                </code>
                              ))}
                        </td>
                        <td>
                          {row.recovery.lastRunAt ? (
                            <>
                              {plural(row.recovery.messagesAdded, 'message')} recovered
                              <div className="diag-sub">{timeAgo(row.recovery.lastRunAt, now)}</div>
                            </>
                          ) : (
                            <span className="diag-sub">Not run yet</span>
                          )}
                        </td>
                        <td className="diag-actions">
                          <button
                            type="button"
                            className="button button--small"
                            disabled={busy !== null}
                            onClick={() => void recover(row.accountId)}
                            title="Fetch recent conversations from Meta and store messages missing here"
                          >
                            Recover now
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryBody>
      </section>

      <section className="card diag-card" aria-labelledby="diag-deliveries">
        <h2 className="card__title" id="diag-deliveries">
          Recent deliveries
        </h2>
        <QueryBody query={deliveries}>
          {(value) => (
            <DeliveryTable
              rows={value.deliveries}
              nameOf={nameOf}
              now={now}
              busy={busy}
              onReplay={(id) => void replay(id)}
              empty="No webhook has been received yet."
            />
          )}
        </QueryBody>
      </section>

      <section className="card diag-card" aria-labelledby="diag-not-understood">
        <h2 className="card__title" id="diag-not-understood">
          Not understood
        </h2>
        <p className="diag-note">
          Deliveries kept with something Switchboard did not understand, or that ingest could not finish. They
          are never dropped; replay one after an update.
        </p>
        <QueryBody query={notUnderstood}>
          {(value) => (
            <DeliveryTable
              rows={value.deliveries}
              nameOf={nameOf}
              now={now}
              busy={busy}
              onReplay={(id) => void replay(id)}
              empty="Everything received so far was understood."
              showReason
            />
          )}
        </QueryBody>
      </section>

      <section className="card diag-card" aria-labelledby="diag-security">
        <h2 className="card__title" id="diag-security">
          <ShieldAlert size={15} aria-hidden /> Refused requests
        </h2>
        <QueryBody query={security}>
          {(value) => <SecurityTable rows={value.entries} nameOf={nameOf} now={now} />}
        </QueryBody>
      </section>
    </div>
  );
}

function DeliveryTable(props: {
  rows: WebhookDeliveryView[];
  nameOf: (id: string | null) => string;
  now: number;
  busy: string | null;
  onReplay: (id: number) => void;
  empty: string;
  showReason?: boolean;
}) {
  if (props.rows.length === 0) return <p className="diag-note">{props.empty}</p>;
  return (
    <div className="diag-table-wrap">
      <table className="diag-table">
        <thead>
          <tr>
            <th>Received</th>
            <th>Account</th>
            <th className="num">Size</th>
            <th>Signature</th>
            <th className="num">Events</th>
            <th>Result</th>
            {props.showReason && <th>Reason</th>}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              <td title={formatDateTime(row.receivedAt)}>
                {timeAgo(row.receivedAt, props.now)}
                <div className="diag-sub">#{row.id}</div>
              </td>
              <td>{props.nameOf(row.accountId)}</td>
              <td className="num">{bytes(row.bytes)}</td>
              <td>
                <Badge tone={row.signatureValid ? 'ok' : 'error'}>
                  {row.signatureValid ? 'Valid' : 'Invalid'}
                </Badge>
              </td>
              <td className="num">{row.events ?? '—'}</td>
              <td>
                <Badge tone={stateTone[row.state]} title={row.error ?? undefined}>
                  {stateLabel[row.state]}
                </Badge>
                {row.attempts > 1 && <div className="diag-sub">{row.attempts} attempts</div>}
                {!props.showReason && row.error && <div className="diag-detail diag-clamp">{row.error}</div>}
              </td>
              {props.showReason && <td className="diag-detail">{row.error ?? '—'}</td>}
              <td className="diag-actions">
                <button
                  type="button"
                  className="button button--small"
                  disabled={props.busy !== null || row.state === 'received' || row.state === 'processing'}
                  onClick={() => props.onReplay(row.id)}
                  title="Queue this delivery for ingest again (messages already stored are not stored twice)"
                >
                  <RotateCcw size={13} aria-hidden /> Replay
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const reasonText: Record<string, string> = {
  unknown_account: 'Unknown account',
  account_inactive: 'Account inactive',
  account_suspended: 'Account suspended',
  account_archived: 'Account archived',
  signature_missing: 'No signature',
  signature_sha1_only: 'Only a SHA-1 signature',
  signature_malformed: 'Malformed signature',
  signature_invalid: 'Wrong signature',
  secret_unavailable: 'App secret unreadable',
  content_type: 'Wrong content type',
  body_too_large: 'Body too large',
  body_incomplete: 'Body incomplete',
  handshake_invalid: 'Invalid handshake',
  verify_token_mismatch: 'Wrong verify token',
  overflow: 'Too many refusals (counted together)',
};

function SecurityTable(props: {
  rows: SecurityEntryView[];
  nameOf: (id: string | null) => string;
  now: number;
}) {
  if (props.rows.length === 0) return <p className="diag-note">No request has been refused.</p>;
  return (
    <div className="diag-table-wrap">
      <table className="diag-table">
        <thead>
          <tr>
            <th>Last</th>
            <th>Account</th>
            <th>Reason</th>
            <th>Answer</th>
            <th className="num">Times</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.id}>
              <td title={`${formatDateTime(row.firstAt)} – ${formatDateTime(row.lastAt)}`}>
                {timeAgo(row.lastAt, props.now)}
              </td>
              <td>
                {props.nameOf(row.accountId)}
                <div className="diag-sub mono">{row.instagramAccountId}</div>
              </td>
              <td>
                <Badge tone="error">{reasonText[row.reason] ?? row.reason}</Badge>
              </td>
              <td className="mono">
                {row.method} → {row.httpStatus}
              </td>
              <td className="num">{row.occurrences}</td>
              <td>
                <span className="mono">{row.remoteAddress ?? '—'}</span>
                {row.userAgent && <div className="diag-sub diag-clamp">{row.userAgent}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
