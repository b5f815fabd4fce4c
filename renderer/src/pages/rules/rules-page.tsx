import {
  CircleCheck,
  Download,
  LoaderCircle,
  Plus,
  RotateCw,
  Send,
  Upload,
  UsersRound,
  Workflow,
} from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { AccountView, RuleView } from '../../../../shared/contract';
import { rulesDocumentSchema } from '../../../../shared/contract/rules';
import { useClient, useContractQuery, useEvent } from '../../app/client-context';
import { useAccounts } from '../../app/use-accounts';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { EmptyState } from '../../components/empty-state';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';
import { groupByClient } from '../../lib/accounts';
import { RuleEditor } from './rule-editor';
import { nextPriority } from './rule-form-model';
import { RuleList } from './rule-list';
import { ReplayPanel, TestPanel } from './test-panel';

function accountLabel(account: AccountView): string {
  return `@${account.username}${account.displayName ? ` — ${account.displayName}` : ''}`;
}

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
  const [list, refreshList, replaceList] = useContractQuery('rules.list', { accountId: account.id });
  const [conflictsQuery, refreshConflicts] = useContractQuery('rules.conflicts', {
    accountId: account.id,
    mode: 'draft',
  });
  const [intentsQuery, refreshIntents] = useContractQuery('rules.getIntents', { accountId: account.id });
  useEvent('rules.changed', (payload) => {
    if (payload.accountId !== account.id) return;
    refreshList();
    refreshConflicts();
    refreshIntents();
  });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [deleting, setDeleting] = useState<RuleView | null>(null);
  const [copying, setCopying] = useState(false);
  const [importing, setImporting] = useState<{ fileName: string; document: unknown } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 8000);
    return () => clearTimeout(timer);
  }, [notice]);

  const rules = useMemo(() => (list.status === 'ok' ? list.value.rules : []), [list]);
  const conflicts = conflictsQuery.status === 'ok' ? conflictsQuery.value.conflicts : [];
  const intents =
    intentsQuery.status === 'ok'
      ? { list: intentsQuery.value.intents, version: intentsQuery.value.version }
      : null;
  const ruleNames = useMemo(() => new Map(rules.map((r) => [r.id, r.name])), [rules]);
  const drafts = rules.filter((r) => r.status === 'draft');
  const editing = props.ruleId && props.ruleId !== 'new' ? rules.find((r) => r.id === props.ruleId) : null;

  const afterChange = () => {
    refreshList();
    refreshConflicts();
  };

  const move = async (from: number, to: number) => {
    if (list.status !== 'ok' || to < 0 || to >= rules.length) return;
    const next = [...rules];
    const [moved] = next.splice(from, 1);
    if (!moved) return;
    next.splice(to, 0, moved);
    replaceList({ ...list.value, rules: next });
    setBusy(true);
    const result = await client.call('rules.reorder', {
      accountId: account.id,
      order: next.map((r) => ({ id: r.id, expectedVersion: r.version })),
    });
    setBusy(false);
    if (result.ok) {
      replaceList(result.value);
      refreshConflicts();
    } else {
      setNotice({
        tone: 'error',
        text:
          result.error.code === 'CONFLICT'
            ? 'Someone else changed these rules meanwhile: the list was reloaded, move the rule again.'
            : result.error.message,
      });
      afterChange();
    }
  };

  const toggle = async (view: RuleView, isActive: boolean) => {
    setBusy(true);
    const result = await client.call('rules.setActive', {
      id: view.id,
      expectedVersion: view.version,
      isActive,
    });
    setBusy(false);
    if (!result.ok)
      setNotice({
        tone: 'error',
        text:
          result.error.code === 'CONFLICT'
            ? `Someone else changed “${view.name}” meanwhile: the list was reloaded, switch it again.`
            : result.error.message,
      });
    afterChange();
  };

  const publish = async () => {
    setBusy(true);
    const result = await client.call('rules.publish', { accountId: account.id });
    setBusy(false);
    setNotice(
      result.ok
        ? {
            tone: 'ok',
            text: `Published ${result.value.published.length} rule${result.value.published.length === 1 ? '' : 's'}: they now answer customers.`,
          }
        : { tone: 'error', text: result.error.message },
    );
    afterChange();
  };

  const exportRules = async () => {
    const result = await client.call('rules.export', { accountId: account.id });
    if (!result.ok) {
      setNotice({ tone: 'error', text: result.error.message });
      return;
    }
    const blob = new Blob([JSON.stringify(result.value.document, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `rules-${account.username}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const readImport = async (file: File) => {
    try {
      const document: unknown = JSON.parse(await file.text());
      setImporting({ fileName: file.name, document });
    } catch {
      setNotice({
        tone: 'error',
        text: `${file.name} is not a JSON file: export rules from Switchboard first.`,
      });
    }
  };

  const actions = (
    <>
      <button type="button" className="button" onClick={() => void exportRules()}>
        <Download size={16} aria-hidden />
        Export
      </button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()}>
        <Upload size={16} aria-hidden />
        Import
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        aria-label="Rules file to import"
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void readImport(file);
        }}
      />
      <button
        type="button"
        className="button"
        disabled={rules.length === 0 || props.accounts.length < 2}
        onClick={() => setCopying(true)}
      >
        <UsersRound size={16} aria-hidden />
        Copy to…
      </button>
      <button
        type="button"
        className="button"
        disabled={busy || drafts.length === 0}
        title={drafts.length === 0 ? 'Nothing to publish: every rule is published' : undefined}
        onClick={() => void publish()}
      >
        <Send size={16} aria-hidden />
        Publish{drafts.length > 0 ? ` (${drafts.length})` : ''}
      </button>
      <button type="button" className="button button--primary" onClick={() => props.onRule('new')}>
        <Plus size={16} aria-hidden />
        New rule
      </button>
    </>
  );

  let body;
  if (list.status === 'loading') {
    body = (
      <div className="page-loading" role="status">
        <LoaderCircle className="spin" size={20} aria-hidden />
        Loading rules…
      </div>
    );
  } else if (list.status === 'error') {
    body = (
      <div className="callout callout--error" role="alert">
        <div>
          <strong>The rules could not be loaded</strong>
          <p>{list.error.message}</p>
        </div>
        <button type="button" className="button button--small" onClick={afterChange}>
          <RotateCw size={14} aria-hidden />
          Try again
        </button>
      </div>
    );
  } else if (rules.length === 0) {
    body = (
      <EmptyState
        icon={Workflow}
        title="No rules yet"
        steps={[
          'Write a rule: a keyword, a pattern or an intent, and the reply.',
          'Test it with a sample message — no network needed.',
          'Publish it: from then on it answers customers by itself.',
        ]}
      >
        <p>Rules answer common questions by themselves and step aside as soon as a person replies.</p>
      </EmptyState>
    );
  } else {
    body = (
      <>
        {[...list.value.accountErrors, ...list.value.intentErrors].map((message) => (
          <p key={message} className="callout callout--warn">
            {message}
          </p>
        ))}
        <RuleList
          rules={rules}
          conflicts={conflicts}
          busy={busy}
          onMove={(from, to) => void move(from, to)}
          onToggle={(view, active) => void toggle(view, active)}
          onEdit={(view) => props.onRule(view.id)}
          onDelete={setDeleting}
        />
        <p className="card__note">
          Checked from top to bottom: the first rule that matches answers. Drag a rule, or use its arrows, to
          change the order.
        </p>
      </>
    );
  }

  return (
    <>
      {props.header(actions)}
      <div className="rules-toolbar">
        <Field label="Client account" className="rules-toolbar__account">
          {(ids) => (
            <select
              id={ids.input}
              className="input"
              value={account.id}
              onChange={(event) => props.onAccount(event.target.value)}
            >
              {props.groups.map((group) => (
                <optgroup key={group.name ?? ''} label={group.name ?? 'No client'}>
                  {group.accounts.map((a) => (
                    <option key={a.id} value={a.id}>
                      {accountLabel(a)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        {list.status === 'ok' && (
          <p className="rules-toolbar__summary">
            {rules.length} rule{rules.length === 1 ? '' : 's'} · {drafts.length} with unpublished changes
            {conflicts.length > 0 && (
              <>
                {' '}
                ·{' '}
                <span className="rules-toolbar__warn">
                  {conflicts.length} warning{conflicts.length === 1 ? '' : 's'}
                </span>
              </>
            )}
          </p>
        )}
      </div>
      {notice && (
        <div
          className={notice.tone === 'ok' ? 'toast' : 'callout callout--error'}
          role={notice.tone === 'ok' ? 'status' : 'alert'}
        >
          {notice.tone === 'ok' && <CircleCheck size={18} aria-hidden />}
          <span>{notice.text}</span>
        </div>
      )}
      <div className="rules-layout">
        <div className="rules-layout__list">{body}</div>
        <aside className="rules-layout__side" aria-label="Try the rules">
          <TestPanel accountId={account.id} />
          <ReplayPanel accountId={account.id} ruleNames={ruleNames} />
        </aside>
      </div>

      {list.status === 'ok' && (props.ruleId === 'new' || editing) && (
        <RuleEditor
          key={props.ruleId}
          accountId={account.id}
          account={{ name: account.displayName ?? account.username, username: account.username }}
          view={editing ?? null}
          newPriority={nextPriority(rules)}
          newPosition={rules.length}
          intents={intents}
          onIntentsSaved={refreshIntents}
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

function CopyDialog(props: {
  from: AccountView;
  accounts: AccountView[];
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const client = useClient();
  const [to, setTo] = useState(props.accounts[0]?.id ?? '');
  const target = props.accounts.find((a) => a.id === to);
  return (
    <ConfirmDialog
      title={`Copy @${props.from.username}'s rules`}
      confirmLabel="Copy rules"
      onClose={props.onClose}
      onConfirm={async () => {
        const result = await client.call('rules.copy', { fromAccountId: props.from.id, toAccountId: to });
        if (!result.ok) return result.error.message;
        const { created, variablesAdded, intentsAdded } = result.value;
        props.onDone(
          `Copied ${created.length} rule${created.length === 1 ? '' : 's'} to @${target?.username ?? to} as drafts` +
            (variablesAdded.length > 0 ? `, with variables ${variablesAdded.join(', ')}` : '') +
            (intentsAdded.length > 0 ? `, with intents ${intentsAdded.join(', ')}` : '') +
            '.',
        );
        return null;
      }}
    >
      <Field
        label="To account"
        hint="They arrive as drafts, after that account's rules, with the intents and variables they use."
      >
        {(ids) => (
          <select
            id={ids.input}
            className="input"
            value={to}
            aria-describedby={ids.describedBy}
            onChange={(event) => setTo(event.target.value)}
          >
            {props.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
                {a.clientName ? ` (${a.clientName})` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
    </ConfirmDialog>
  );
}

function ImportDialog(props: {
  account: AccountView;
  fileName: string;
  document: unknown;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const client = useClient();
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const parsed = rulesDocumentSchema.safeParse(props.document);
  if (!parsed.success) {
    return (
      <Dialog title={`${props.fileName} cannot be imported`} onClose={props.onClose} closeOnBackdrop>
        <ul className="callout callout--error rules-import__problems">
          {parsed.error.issues.slice(0, 10).map((issue, i) => (
            <li key={i}>
              {issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      </Dialog>
    );
  }
  const count = parsed.data.rules.length;
  return (
    <ConfirmDialog
      title={`Import ${count} rule${count === 1 ? '' : 's'} into @${props.account.username}`}
      confirmLabel="Import"
      tone={mode === 'replace' ? 'danger' : 'primary'}
      onClose={props.onClose}
      onConfirm={async () => {
        const result = await client.call('rules.import', {
          accountId: props.account.id,
          document: parsed.data,
          mode,
        });
        if (!result.ok) return result.error.message;
        props.onDone(`Imported ${result.value.created.length} rules from ${props.fileName} as drafts.`);
        return null;
      }}
    >
      <p>
        From {props.fileName} (exported from @{parsed.data.source.username ?? parsed.data.source.accountId}).
      </p>
      <fieldset className="rules-form__fieldset">
        <legend className="field__label">How</legend>
        <label className="checkbox-inline">
          <input
            type="radio"
            name="import-mode"
            checked={mode === 'append'}
            onChange={() => setMode('append')}
          />
          Add after the current rules
        </label>
        <label className="checkbox-inline">
          <input
            type="radio"
            name="import-mode"
            checked={mode === 'replace'}
            onChange={() => setMode('replace')}
          />
          Replace all current rules
        </label>
      </fieldset>
    </ConfirmDialog>
  );
}
