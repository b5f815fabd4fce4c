import { CircleCheck, LoaderCircle, Workflow } from 'lucide-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { AccountView, RuleView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { useAccounts } from '../../app/use-accounts';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { groupByClient } from '../../lib/accounts';
import { OfflineBanner } from './offline-banner';
import { ReplayPanel } from './replay-panel';
import { RuleEditor } from './rule-editor';
import { nextPriority } from './rule-form-model';
import { useTestRunner } from './rule-set-model';
import { RulesActions } from './rules-actions';
import { RulesListSection } from './rules-list-section';
import { RulesToolbar } from './rules-toolbar';
import { TestPanel } from './test-panel';
import { CopyDialog, ImportDialog } from './transfer-dialogs';
import { useAccountRules } from './use-account-rules';
import { useOfflineEdits } from './use-offline-edits';

/**
 * The Rules screen (`/rules/:accountId/:ruleId`): pick a client account, see its rules in evaluation
 * order with counters, errors and conflict warnings, edit one (`:ruleId`, or `new`), test a message,
 * replay history, publish, import/export and copy to another account.
 */
export function RulesPage() {
  const { accountId: accountParam, ruleId } = useParams();
  const navigate = useNavigate();
  const { query: accountsQuery } = useAccounts();
  const accounts = useMemo(
    () => (accountsQuery.status === 'ok' ? accountsQuery.value.accounts : []),
    [accountsQuery],
  );
  const groups = useMemo(() => groupByClient(accounts), [accounts]);
  const ordered = groups.flatMap((g) => g.accounts);
  const account = ordered.find((a) => a.id === accountParam) ?? ordered[0] ?? null;

  const header = (actions?: ReactNode) => (
    <PageHeader
      title="Rules"
      description="Automatic answers to the questions each client gets all day."
      actions={actions}
    />
  );

  if (accountsQuery.status === 'loading')
    return (
      <>
        {header()}
        <div className="page-loading" role="status">
          <LoaderCircle className="spin" size={20} aria-hidden />
          Loading accounts…
        </div>
      </>
    );
  if (accountsQuery.status === 'error')
    return (
      <>
        {header()}
        <p className="callout callout--error" role="alert">
          {accountsQuery.error.message}
        </p>
      </>
    );
  if (!account)
    return (
      <>
        {header()}
        <EmptyState
          icon={Workflow}
          title="No rules yet"
          steps={[
            'Add a client account on the Accounts screen.',
            'Write a rule: a keyword, a pattern or an intent, and the reply.',
            'Test it with a sample message before you publish it — no network needed.',
          ]}
        >
          <p>Rules answer common questions by themselves and step aside as soon as a person replies.</p>
        </EmptyState>
      </>
    );

  return (
    <AccountRules
      key={account.id}
      account={account}
      accounts={ordered}
      groups={groups}
      ruleId={ruleId ?? null}
      header={header}
      onAccount={(id) => void navigate(`/rules/${id}`)}
      onRule={(id) => void navigate(id ? `/rules/${account.id}/${id}` : `/rules/${account.id}`)}
    />
  );
}

/** One account's rules: the list, the test and replay panels, the editor and the transfer dialogs. */
function AccountRules(props: {
  account: AccountView;
  accounts: AccountView[];
  groups: ReturnType<typeof groupByClient>;
  ruleId: string | null;
  header: (actions?: ReactNode) => ReactNode;
  onAccount: (id: string) => void;
  onRule: (id: string | null) => void;
}) {
  const { account } = props;
  const client = useClient();
  const state = useAccountRules(account.id);
  const { list, rules, conflicts, notice, setNotice, afterChange } = state;
  const [deleting, setDeleting] = useState<RuleView | null>(null);
  const [copying, setCopying] = useState(false);
  const [importing, setImporting] = useState<{ fileName: string; document: unknown } | null>(null);
  const loadedRules = list.status === 'ok' ? rules : null;
  const runner = useTestRunner(account, state.settings, loadedRules);
  const offline = useOfflineEdits(account.id, (outcomes) => {
    const saved = outcomes.filter((o) => o.kind === 'saved').map((o) => `“${o.edit.name}”`);
    setNotice({ tone: 'ok', text: `Saved to the database: ${saved.join(', ')}.` });
    afterChange();
  });
  const { flush } = offline;
  const waitingOffline = offline.pending.some((edit) => !edit.conflict);
  // The rules loaded again: the database answers, so try the edits kept on this computer.
  useEffect(() => {
    if (list.status === 'ok' && waitingOffline) void flush();
  }, [list.status, waitingOffline, flush]);
  const pendingEdit = props.ruleId
    ? (offline.pending.find((edit) => edit.ruleId === props.ruleId) ?? null)
    : null;

  const ruleNames = useMemo(() => new Map(rules.map((r) => [r.id, r.name])), [rules]);
  const drafts = rules.filter((r) => r.status === 'draft');
  const editing = props.ruleId && props.ruleId !== 'new' ? rules.find((r) => r.id === props.ruleId) : null;

  return (
    <>
      {props.header(
        <RulesActions
          account={account}
          ruleCount={rules.length}
          draftCount={drafts.length}
          canCopy={props.accounts.length > 1}
          busy={state.busy}
          onNotice={setNotice}
          onImport={setImporting}
          onCopy={() => setCopying(true)}
          onPublish={() => void state.publish()}
          onNew={() => props.onRule('new')}
        />,
      )}
      <RulesToolbar
        account={account}
        groups={props.groups}
        onAccount={props.onAccount}
        loaded={list.status === 'ok'}
        ruleCount={rules.length}
        draftCount={drafts.length}
        warningCount={conflicts.length}
      />
      {notice && (
        <div
          className={notice.tone === 'ok' ? 'toast' : 'callout callout--error'}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
        >
          {notice.tone === 'ok' && <CircleCheck size={18} aria-hidden />}
          <span>{notice.text}</span>
        </div>
      )}
      <OfflineBanner
        pending={offline.pending}
        flushing={offline.flushing}
        onRetry={() => void offline.flush()}
        onOpen={(edit) => props.onRule(edit.ruleId)}
      />
      <div className="rules-layout">
        <div className="rules-layout__list">
          <RulesListSection
            list={list}
            conflicts={conflicts}
            busy={state.busy}
            onRetry={afterChange}
            onMove={(from, to) => void state.move(from, to)}
            onToggle={(view, active) => void state.toggle(view, active)}
            onEdit={(view) => props.onRule(view.id)}
            onDelete={setDeleting}
          />
        </div>
        <aside className="rules-layout__side" aria-label="Try the rules">
          <TestPanel
            runner={runner}
            title="Test a message"
            lead="Runs the rules as saved, drafts included, on this computer. Nothing is sent."
          />
          <ReplayPanel accountId={account.id} ruleNames={ruleNames} />
        </aside>
      </div>

      {list.status === 'ok' && (props.ruleId === 'new' || editing || pendingEdit) && (
        <RuleEditor
          key={props.ruleId}
          account={account}
          rules={rules}
          settings={state.settings}
          view={editing ?? null}
          pending={pendingEdit}
          offline={offline}
          newPriority={nextPriority(rules)}
          newPosition={rules.length}
          intents={state.intents}
          onIntentsSaved={state.refreshIntents}
          onClose={() => props.onRule(null)}
          onSaved={(view, created) => {
            setNotice({
              tone: 'ok',
              text: created
                ? `Created “${view.name}” as a draft. Test it, then publish it.`
                : `Saved “${view.name}” as a draft.`,
            });
            afterChange();
            props.onRule(null);
          }}
          onSavedOffline={(edit) => {
            setNotice({
              tone: 'ok',
              text: `“${edit.name}” is saved on this computer: the database cannot be reached now. It will be saved there as soon as it is reachable.`,
            });
            props.onRule(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete rule"
          tone="danger"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const result = await client.call('rules.delete', {
              id: deleting.id,
              expectedVersion: deleting.version,
            });
            afterChange();
            if (result.ok) return null;
            return result.error.code === 'CONFLICT'
              ? 'Someone else changed this rule meanwhile: look at the reloaded list before deleting it.'
              : result.error.message;
          }}
        >
          <p>It stops answering at once, published or not. Its counters are lost.</p>
        </ConfirmDialog>
      )}
      {copying && (
        <CopyDialog
          from={account}
          accounts={props.accounts.filter((a) => a.id !== account.id)}
          onClose={() => setCopying(false)}
          onDone={(text) => setNotice({ tone: 'ok', text })}
        />
      )}
      {importing && (
        <ImportDialog
          account={account}
          fileName={importing.fileName}
          document={importing.document}
          onClose={() => setImporting(null)}
          onDone={(text) => {
            setNotice({ tone: 'ok', text });
            afterChange();
          }}
        />
      )}
    </>
  );
}
