import { CircleCheck, LoaderCircle, Plus, RotateCw, UsersRound } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { AccountView, AppStatus } from '../../../../shared/contract';
import { useAccounts } from '../../app/use-accounts';
import { useNow } from '../../app/use-now';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { groupByClient } from '../../lib/accounts';
import { AccountDetail } from './account-detail';
import { AccountForm } from './account-form';
import type { FormMode } from './account-form-model';
import { AccountList } from './account-list';

/**
 * The Accounts screen: every client account grouped by client, the selected one in detail beside the list
 * (`/accounts/:accountId`), and the add/edit panel. Refreshes itself whenever an account changes.
 */
export function AccountsPage(props: { status: AppStatus }) {
  const { accountId } = useParams();
  const navigate = useNavigate();
  const [showArchived, setShowArchived] = useState(false);
  const { query, refresh } = useAccounts(showArchived);
  const [form, setForm] = useState<FormMode | null>(null);
  const [lastSaved, setLastSaved] = useState<AccountView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow();

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(timer);
  }, [notice]);

  // The list is reloaded after a save, but a load already under way can still return the account as it
  // was: the saved copy wins until the list holds one at least as new (an edit reopened at once shows it).
  const accounts = useMemo(() => {
    const listed = query.status === 'ok' ? query.value.accounts : [];
    if (!lastSaved) return listed;
    return listed.map((account) =>
      account.id === lastSaved.id && account.updatedAt < lastSaved.updatedAt ? lastSaved : account,
    );
  }, [query, lastSaved]);
  const groups = useMemo(() => groupByClient(accounts), [accounts]);
  const ordered = groups.flatMap((group) => group.accounts);
  const selected =
    ordered.find((account) => account.id === accountId) ??
    (lastSaved && lastSaved.id === accountId ? lastSaved : undefined) ??
    ordered[0] ??
    null;

  const addButton = (
    <button type="button" className="button button--primary" onClick={() => setForm({ kind: 'create' })}>
      <Plus size={16} aria-hidden />
      Add account
    </button>
  );

  const onSaved = (account: AccountView, created: boolean) => {
    setForm(null);
    setLastSaved(account);
    setNotice(
      created
        ? `Added @${account.username}. Test the connection, then copy the webhook values into Meta’s dashboard.`
        : `Saved the changes to @${account.username}.`,
    );
    refresh();
    void navigate(`/accounts/${account.id}`);
  };

  let body;
  if (query.status === 'loading') {
    body = (
      <div className="page-loading" role="status">
        <LoaderCircle className="spin" size={20} aria-hidden />
        Loading accounts…
      </div>
    );
  } else if (query.status === 'error') {
    body = (
      <div className="callout callout--error" role="alert">
        <div>
          <strong>The accounts could not be loaded</strong>
          <p>{query.error.message}</p>
        </div>
        <button type="button" className="button button--small" onClick={refresh}>
          <RotateCw size={14} aria-hidden />
          Try again
        </button>
      </div>
    );
  } else if (ordered.length === 0) {
    body = (
      <EmptyState
        icon={UsersRound}
        title={showArchived ? 'No accounts, not even archived ones' : 'No client accounts yet'}
        steps={[
          'Have the client’s Instagram account id, access token and app secret ready.',
          'Add the account here; the token and secret are encrypted with a key kept in your system keychain.',
          'Test the connection, then copy the callback URL into Meta’s dashboard.',
        ]}
      >
        <p>Each account keeps its own rules, reply window and sending budget.</p>
        <div className="empty-state__action">{addButton}</div>
      </EmptyState>
    );
  } else {
    body = (
      <div className="accounts-layout">
        <AccountList groups={groups} selectedId={selected?.id ?? null} now={now} />
        {selected && (
          <AccountDetail
            key={selected.id}
            account={selected}
            tunnel={props.status.tunnel}
            now={now}
            onEdit={() => setForm({ kind: 'edit', account: selected })}
          />
        )}
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title="Accounts"
        description="Your clients' Instagram professional accounts and their connection health."
        actions={
          <>
            <label className="checkbox-inline">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(event) => setShowArchived(event.target.checked)}
              />
              Show archived
            </label>
            {ordered.length > 0 && addButton}
          </>
        }
      />
      {notice && (
        <div className="toast" role="status">
          <CircleCheck size={18} aria-hidden />
          <span>{notice}</span>
        </div>
      )}
      {body}
      {form && <AccountForm mode={form} clients={groups} onClose={() => setForm(null)} onSaved={onSaved} />}
    </>
  );
}
