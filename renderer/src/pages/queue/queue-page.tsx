import { ArrowLeft, Inbox, LoaderCircle, SendHorizontal } from 'lucide-react';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { outboxQueueBucketSchema, type OutboxQueueBucket } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { useAccounts } from '../../app/use-accounts';
import { useNow } from '../../app/use-now';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { QueueList } from './queue-list';
import { QueueSummary } from './queue-summary';
import { useQueue } from './use-queue';
import './queue.css';

const emptyText: Record<OutboxQueueBucket, string> = {
  waiting: 'Nothing is waiting: every reply due has gone out.',
  paced: 'Nothing waits for the send budget.',
  held: 'Nothing is held: the account can send.',
  sending: 'Nothing is being sent right now.',
  failed: 'No failed messages.',
  unknown: 'No message with an unknown outcome.',
  expired: 'No message expired in the last 24 hours.',
};

function AccountQueue(props: { accountId: string; bucket: OutboxQueueBucket }) {
  const client = useClient();
  const [, setSearch] = useSearchParams();
  const now = useNow(1_000);
  const queue = useQueue(props.accountId, props.bucket);
  const [busy, setBusy] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const act = (method: 'outbox.retry' | 'outbox.cancel') => (id: number) => {
    setBusy(id);
    setActionError(null);
    void client.call(method, { id }).then((result) => {
      setBusy(null);
      if (!result.ok) setActionError(result.error.message);
      queue.reload();
    });
  };

  if (queue.loading && !queue.summary) {
    return (
      <p className="queue-loading" role="status">
        <LoaderCircle className="spin" size={16} aria-hidden /> Loading the queue…
      </p>
    );
  }
  if (queue.error && !queue.summary) {
    return (
      <div className="callout callout--error" role="alert">
        <div>
          <strong>The queue cannot be shown</strong>
          <p>{queue.error}</p>
        </div>
      </div>
    );
  }
  if (!queue.summary) return null;
  return (
    <>
      <QueueSummary
        summary={queue.summary}
        bucket={props.bucket}
        now={now}
        onSelect={(bucket) => setSearch({ state: bucket }, { replace: true })}
      />
      {actionError && (
        <div className="callout callout--error" role="alert">
          <div>
            <p>{actionError}</p>
          </div>
        </div>
      )}
      <section className="card queue-card" aria-label={`${props.bucket} messages`}>
        {queue.rows.length === 0 ? (
          <p className="queue-empty" role="status">
            {emptyText[props.bucket]}
          </p>
        ) : (
          <QueueList
            bucket={props.bucket}
            rows={queue.rows}
            hasMore={queue.hasMore}
            now={now}
            busy={busy}
            onLoadMore={queue.loadMore}
            onRetry={act('outbox.retry')}
            onCancel={act('outbox.cancel')}
          />
        )}
      </section>
    </>
  );
}

/** The outbox per account (#/queue/:accountId?state=failed): counts, the send budget, and each state's messages. */
export function QueuePage() {
  const { accountId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { query } = useAccounts();
  const parsedBucket = outboxQueueBucketSchema.safeParse(search.get('state'));
  const bucket: OutboxQueueBucket = parsedBucket.success ? parsedBucket.data : 'waiting';

  const accounts = query.status === 'ok' ? query.value.accounts : [];
  const first = accounts[0];
  if (query.status === 'ok' && !accountId && first) return <Navigate to={`/queue/${first.id}`} replace />;
  const account = accounts.find((candidate) => candidate.id === accountId);

  return (
    <div className="queue-page">
      {account && (
        <Link className="diag-back queue-back" to={`/accounts/${account.id}`}>
          <ArrowLeft size={13} aria-hidden /> @{account.username}
        </Link>
      )}
      <PageHeader
        title="Outbox queue"
        description="Replies on their way out, per account: what waits, what the send budget holds back, and what failed and why."
        actions={
          accounts.length > 0 && (
            <label className="diag-filter">
              Account
              <select
                value={accountId ?? ''}
                onChange={(event) =>
                  void navigate(`/queue/${event.target.value}?state=${bucket}`, { replace: true })
                }
              >
                {!account && <option value="">Choose an account</option>}
                {accounts.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    @{candidate.username}
                    {candidate.clientName ? ` — ${candidate.clientName}` : ''}
                  </option>
                ))}
              </select>
            </label>
          )
        }
      />
      {query.status === 'ok' && accounts.length === 0 && (
        <EmptyState icon={SendHorizontal} title="No accounts yet">
          <p>
            Replies queue here once an account is connected. <Link to="/accounts">Add an account</Link>.
          </p>
        </EmptyState>
      )}
      {query.status === 'ok' && accountId && !account && (
        <EmptyState icon={Inbox} title="This account is not here">
          <p>It may have been archived. Choose another account above.</p>
        </EmptyState>
      )}
      {account && <AccountQueue key={account.id} accountId={account.id} bucket={bucket} />}
    </div>
  );
}
