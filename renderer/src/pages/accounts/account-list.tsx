import { Link } from 'react-router';
import type { AccountView } from '../../../../shared/contract';
import { loginTypeLabel, type ClientGroup } from '../../lib/accounts';
import { plural, timeAgo } from '../../lib/format';
import { ColorDot, HealthBadge, StatusBadge } from './account-badges';

function AccountRow(props: { account: AccountView; selected: boolean; now: number }) {
  const { account, now } = props;
  return (
    <li>
      <Link
        to={`/accounts/${account.id}`}
        className={`account-row${props.selected ? ' account-row--selected' : ''}${account.status === 'archived' ? ' account-row--archived' : ''}`}
        aria-current={props.selected ? 'true' : undefined}
        data-account-id={account.id}
      >
        <span className="account-row__who">
          <span className="account-row__username">@{account.username}</span>
          {account.displayName && <span className="account-row__name">{account.displayName}</span>}
        </span>
        <span className="account-row__badges">
          <StatusBadge status={account.status} />
          <HealthBadge account={account} now={now} />
        </span>
        <span className="account-row__meta">
          {loginTypeLabel[account.loginType]}
          <span aria-hidden> · </span>
          Last webhook {account.lastWebhookAt ? timeAgo(account.lastWebhookAt, now) : 'never'}
        </span>
      </Link>
    </li>
  );
}

/** Accounts under their client's name and colour. */
export function AccountList(props: {
  groups: readonly ClientGroup[];
  selectedId: string | null;
  now: number;
}) {
  return (
    <div className="account-list">
      {props.groups.map((group, index) => {
        const headingId = `client-group-${index}`;
        return (
          <section key={group.name ?? ''} className="client-group" aria-labelledby={headingId}>
            <h2 className="client-group__header">
              <ColorDot color={group.color} />
              <span id={headingId} className="client-group__name">
                {group.name ?? 'No client'}
              </span>
              <span className="client-group__count">{plural(group.accounts.length, 'account')}</span>
            </h2>
            <ul className="client-group__accounts">
              {group.accounts.map((account) => (
                <AccountRow
                  key={account.id}
                  account={account}
                  selected={account.id === props.selectedId}
                  now={props.now}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
