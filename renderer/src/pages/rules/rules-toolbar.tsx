import type { AccountView } from '../../../../shared/contract';
import { Field } from '../../components/field';
import type { groupByClient } from '../../lib/accounts';
import { accountLabel } from './transfer-dialogs';

/** The account picker and the one-line summary of its rules. */
export function RulesToolbar(props: {
  account: AccountView;
  groups: ReturnType<typeof groupByClient>;
  onAccount: (id: string) => void;
  loaded: boolean;
  ruleCount: number;
  draftCount: number;
  warningCount: number;
}) {
  const { account } = props;
  return (
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
      {props.loaded && (
        <p className="rules-toolbar__summary">
          {props.ruleCount} rule{props.ruleCount === 1 ? '' : 's'} · {props.draftCount} with unpublished
          changes
          {props.warningCount > 0 && (
            <>
              {' '}
              ·{' '}
              <span className="rules-toolbar__warn">
                {props.warningCount} warning{props.warningCount === 1 ? '' : 's'}
              </span>
            </>
          )}
        </p>
      )}
    </div>
  );
}
