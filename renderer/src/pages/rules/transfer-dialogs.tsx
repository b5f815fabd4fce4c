import { useState } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { rulesDocumentSchema } from '../../../../shared/contract/rules';
import { useClient } from '../../app/client-context';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';

/** How an account is named in pickers: @username — display name. */
export function accountLabel(account: AccountView): string {
  return `@${account.username}${account.displayName ? ` — ${account.displayName}` : ''}`;
}

/** Copies the account's rules to another account as drafts. */
export function CopyDialog(props: {
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

/** Imports a rules file (checked with the contract's schema first), added or replacing. */
export function ImportDialog(props: {
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
