import {
  Archive,
  CircleCheck,
  CircleExclamationPoint,
  CirclePause,
  CirclePlay,
  LoaderCircle,
  Pencil,
  PlugZap,
  RefreshCw,
  SendHorizontal,
} from 'lucide-react';
import { Link } from 'react-router';
import { useState, type ReactNode } from 'react';
import type { AccountView, AppStatus, MethodOutput } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { accountHealth, loginTypeLabel, statusMeta, type AccountStatus } from '../../lib/accounts';
import { daysUntil, formatDate, plural, timeAgo } from '../../lib/format';
import { SavedRepliesSection } from '../saved-replies/saved-replies-section';
import { ColorDot, HealthBadge, StatusBadge } from './account-badges';
import { ReceivingCard } from './receiving-card';

type ConnectionTest = MethodOutput<'accounts.testConnection'>;

const credentialLabel: Record<AccountView['credentials']['accessToken'], string> = {
  present: 'Stored, encrypted',
  missing: 'Not set',
  unreadable: 'Unreadable — re-enter it',
};

function Fact(props: { label: string; children: ReactNode; tone?: 'error' | 'warn' | 'muted' | undefined }) {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd className={props.tone ? `fact__value--${props.tone}` : undefined}>{props.children}</dd>
    </div>
  );
}

function tokenLife(account: AccountView, now: number): { text: string; tone?: 'error' | 'warn' | 'muted' } {
  if (!account.tokenExpiresAt) return { text: 'Expiry not known yet', tone: 'muted' };
  const days = daysUntil(account.tokenExpiresAt, now);
  const date = formatDate(account.tokenExpiresAt);
  if (days < 0) return { text: `Expired on ${date}`, tone: 'error' };
  if (days === 0) return { text: `Expires today (${date})`, tone: 'warn' };
  return {
    text: `Expires in ${plural(days, 'day')} (${date})`,
    ...(days <= 14 ? { tone: 'warn' as const } : {}),
  };
}

type Pending =
  | { kind: 'regenerate' }
  | { kind: 'status'; status: AccountStatus; title: string; body: ReactNode; confirmLabel: string };

/**
 * Everything about one account: its connection (with a live test), what to paste into Meta's dashboard,
 * its settings and its status. Mounted per account (keyed by id), so a test result never leaks to another.
 */
export function AccountDetail(props: {
  account: AccountView;
  tunnel: AppStatus['tunnel'];
  now: number;
  onEdit: () => void;
}) {
  const { account, now } = props;
  const client = useClient();
  const [test, setTest] = useState<
    | { state: 'idle' }
    | { state: 'running' }
    | { state: 'done'; result: ConnectionTest }
    | { state: 'failed'; message: string }
  >({ state: 'idle' });
  const [pending, setPending] = useState<Pending | null>(null);
  const [statusBusy, setStatusBusy] = useState<AccountStatus | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const health = accountHealth(account, now);
  const life = tokenLife(account, now);

  const runTest = async () => {
    setTest({ state: 'running' });
    const result = await client.call('accounts.testConnection', { id: account.id });
    setTest(
      result.ok
        ? { state: 'done', result: result.value }
        : { state: 'failed', message: result.error.message },
    );
  };

  const changeStatus = async (status: AccountStatus): Promise<string | null> => {
    setStatusBusy(status);
    setActionError(null);
    const result = await client.call('accounts.setStatus', { id: account.id, status });
    setStatusBusy(null);
    if (!result.ok) {
      setActionError(result.error.message);
      return result.error.message;
    }
    return null;
  };

  const regenerate = async (): Promise<string | null> => {
    const result = await client.call('accounts.regenerateVerifyToken', { id: account.id });
    return result.ok ? null : result.error.message;
  };

  const statusButton = (
    status: AccountStatus,
    label: string,
    icon: ReactNode,
    confirm?: Omit<Extract<Pending, { kind: 'status' }>, 'kind' | 'status'>,
  ) => (
    <button
      type="button"
      className="button"
      disabled={statusBusy !== null}
      onClick={() =>
        confirm ? setPending({ kind: 'status', status, ...confirm }) : void changeStatus(status)
      }
    >
      {statusBusy === status ? <LoaderCircle className="spin" size={15} aria-hidden /> : icon}
      {label}
    </button>
  );

  const testResult =
    test.state === 'done' ? (
      <div className={`callout ${test.result.ok ? 'callout--ok' : 'callout--error'}`} role="status">
        {test.result.ok ? (
          <CircleCheck size={18} aria-hidden />
        ) : (
          <CircleExclamationPoint size={18} aria-hidden />
        )}
        <div>
          <strong>{test.result.ok ? 'Connection works' : 'Connection failed'}</strong>
          <p>{test.result.explanation}</p>
        </div>
      </div>
    ) : test.state === 'failed' ? (
      <div className="callout callout--error" role="status">
        <CircleExclamationPoint size={18} aria-hidden />
        <div>
          <strong>The test could not run</strong>
          <p>{test.message}</p>
        </div>
      </div>
    ) : null;

  const tunnelOnline = props.tunnel.state === 'online';

  return (
    <article className="account-detail" aria-labelledby="account-detail-title">
      <header className="account-detail__header card">
        <div className="account-detail__identity">
          <p className="account-detail__client">
            <ColorDot color={account.brandColor} />
            {account.clientName ?? 'No client'}
          </p>
          <h2 id="account-detail-title" className="account-detail__title">
            @{account.username}
          </h2>
          {account.displayName && <p className="account-detail__name">{account.displayName}</p>}
          <div className="account-detail__badges">
            <StatusBadge status={account.status} />
            <HealthBadge account={account} now={now} />
          </div>
        </div>
        <div className="account-detail__header-actions">
          <Link className="button" to={`/queue/${account.id}`}>
            <SendHorizontal size={15} aria-hidden />
            Outbox queue
          </Link>
          <button type="button" className="button" onClick={props.onEdit}>
            <Pencil size={15} aria-hidden />
            Edit
          </button>
        </div>
      </header>

      <section className="card" aria-labelledby="connection-title">
        <div className="card__head">
          <h3 id="connection-title" className="card__title">
            Connection
          </h3>
          <button
            type="button"
            className="button button--primary"
            onClick={() => void runTest()}
            disabled={test.state === 'running'}
          >
            {test.state === 'running' ? (
              <LoaderCircle className="spin" size={15} aria-hidden />
            ) : (
              <PlugZap size={15} aria-hidden />
            )}
            {test.state === 'running' ? 'Testing…' : 'Test connection'}
          </button>
        </div>
        {testResult}
        {test.state !== 'done' && health.detail && health.tone !== 'ok' && health.tone !== 'idle' && (
          <div className={`callout callout--${health.tone === 'error' ? 'error' : 'warn'}`}>
            <CircleExclamationPoint size={18} aria-hidden />
            <div>
              <strong>{health.label}</strong>
              <p>{health.detail}</p>
            </div>
          </div>
        )}
        <dl className="facts">
          <Fact label="Setup">{loginTypeLabel[account.loginType]}</Fact>
          <Fact label="Access token" tone={life.tone}>
            {account.credentials.accessToken === 'present'
              ? life.text
              : credentialLabel[account.credentials.accessToken]}
          </Fact>
          <Fact label="Last checked" tone={account.health.checkedAt ? undefined : 'muted'}>
            {account.health.checkedAt ? timeAgo(account.health.checkedAt, now) : 'never'}
          </Fact>
          <Fact
            label="App secret"
            tone={account.credentials.appSecret === 'unreadable' ? 'error' : undefined}
          >
            {credentialLabel[account.credentials.appSecret]}
          </Fact>
          <Fact
            label="Instagram app secret"
            tone={
              account.credentials.instagramAppSecret === 'unreadable'
                ? 'error'
                : account.credentials.instagramAppSecret === 'missing'
                  ? 'muted'
                  : undefined
            }
          >
            {credentialLabel[account.credentials.instagramAppSecret]}
          </Fact>
        </dl>
      </section>

      <section className="card" aria-labelledby="webhook-title">
        <h3 id="webhook-title" className="card__title">
          Webhook for Meta’s dashboard
        </h3>
        <p className="card__lead">
          In your Meta app, open Webhooks for Instagram and paste these two values, then subscribe to{' '}
          <code>messages</code> (and <code>comments</code> for comment-to-DM rules).
        </p>
        <div className="copy-field">
          <div className="copy-field__head">
            <span className="copy-field__label" id="callback-label">
              Callback URL
            </span>
          </div>
          <div className="copy-field__row">
            <code className="copy-field__value" aria-labelledby="callback-label" data-testid="callback-url">
              {account.callbackUrl}
            </code>
            <CopyButton value={account.callbackUrl} label="callback URL" />
          </div>
        </div>
        <div className="copy-field">
          <div className="copy-field__head">
            <span className="copy-field__label" id="verify-label">
              Verify token
            </span>
            <button type="button" className="link-button" onClick={() => setPending({ kind: 'regenerate' })}>
              <RefreshCw size={12} aria-hidden />
              Regenerate
            </button>
          </div>
          <div className="copy-field__row">
            <code className="copy-field__value" aria-labelledby="verify-label" data-testid="verify-token">
              {account.webhookVerifyToken ?? 'none yet — regenerate one'}
            </code>
            {account.webhookVerifyToken && (
              <CopyButton value={account.webhookVerifyToken} label="verify token" />
            )}
          </div>
        </div>
        {!tunnelOnline && (
          <p className="card__note">
            This is the address on this computer, which Meta cannot reach. Once the tunnel is online (
            {props.tunnel.state === 'connecting' ? 'it is connecting' : 'see Settings → Receiving webhooks'})
            this URL changes to the public one: copy it then.
          </p>
        )}
      </section>

      <ReceivingCard account={account} now={now} />

      <section className="card" aria-labelledby="settings-title">
        <h3 id="settings-title" className="card__title">
          Settings
        </h3>
        <dl className="facts">
          <Fact label="Time zone">{account.settings.timezone}</Fact>
          <Fact label="Automation">
            {account.settings.automationEnabled ? 'On — rules answer' : 'Off — staff answer'}
          </Fact>
          <Fact label="Hourly send budget">
            {account.settings.hourlySendBudget.toLocaleString('en')} messages
          </Fact>
          <Fact label="Human agent tag">
            {account.settings.humanAgentAllowed ? 'Allowed (7-day window)' : 'Not used'}
          </Fact>
          <Fact label="Instagram account id">
            <span className="mono">{account.instagramAccountId}</span>
          </Fact>
          <Fact label="Added">{formatDate(account.createdAt)}</Fact>
        </dl>
      </section>

      <SavedRepliesSection account={account} />

      <section className="card" aria-labelledby="status-title">
        <h3 id="status-title" className="card__title">
          Status
        </h3>
        <p className="card__lead">
          <strong>{statusMeta[account.status].label}.</strong> {statusMeta[account.status].description}
        </p>
        <div className="button-row">
          {account.status === 'active' ? (
            <>
              {statusButton('inactive', 'Deactivate', <CirclePause size={15} aria-hidden />)}
              {statusButton('suspended', 'Suspend', <CirclePause size={15} aria-hidden />)}
            </>
          ) : (
            statusButton(
              'active',
              account.status === 'archived' ? 'Restore' : 'Activate',
              <CirclePlay size={15} aria-hidden />,
            )
          )}
          {account.status !== 'archived' &&
            statusButton('archived', 'Archive', <Archive size={15} aria-hidden />, {
              title: `Archive @${account.username}?`,
              body: (
                <>
                  <p>
                    The account is disconnected and hidden from the inbox and this list.{' '}
                    <strong>Its messages are kept</strong>, and you can restore it at any time (show archived
                    accounts).
                  </p>
                </>
              ),
              confirmLabel: 'Archive account',
            })}
        </div>
        {actionError && !pending && (
          <p className="callout callout--error" role="alert">
            {actionError}
          </p>
        )}
      </section>

      {pending?.kind === 'regenerate' && (
        <ConfirmDialog
          title="Make a new verify token?"
          confirmLabel="Regenerate"
          onConfirm={regenerate}
          onClose={() => setPending(null)}
        >
          <p>
            Meta asks for the verify token only when you save the callback URL in its dashboard. After this,
            the old token no longer works there: paste the new one the next time you set up the webhook.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'status' && (
        <ConfirmDialog
          title={pending.title}
          confirmLabel={pending.confirmLabel}
          tone="danger"
          onConfirm={() => changeStatus(pending.status)}
          onClose={() => setPending(null)}
        >
          {pending.body}
        </ConfirmDialog>
      )}
    </article>
  );
}
