import { NavLink, Link } from 'react-router';
import { Building2 } from 'lucide-react';
import { sections } from '../app/sections';
import { useAccounts } from '../app/use-accounts';
import { useNow } from '../app/use-now';
import { accountDotTone, groupByClient } from '../lib/accounts';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

function Clients() {
  const { query } = useAccounts();
  const now = useNow();
  if (query.status === 'loading') return null;
  if (query.status === 'error') {
    return (
      <p className="sidebar__muted" title={query.error.message}>
        The client list cannot be shown right now.
      </p>
    );
  }
  const groups = groupByClient(query.value.accounts);
  if (groups.length === 0) {
    return (
      <div className="sidebar__empty">
        <Building2 size={18} aria-hidden />
        <p>
          No client accounts yet. <Link to="/accounts">Add the first Instagram account</Link> and its DMs will
          appear in the inbox.
        </p>
      </div>
    );
  }
  return (
    <ul className="client-tree">
      {groups.map((group) => (
        <li key={group.name ?? ''} className="client-tree__client">
          <span className="client-tree__name">
            <span
              className={`color-dot${group.color ? '' : ' color-dot--none'}`}
              style={group.color ? { backgroundColor: group.color } : undefined}
              aria-hidden
            />
            <span className="client-tree__label">{group.name ?? 'No client'}</span>
          </span>
          <ul className="client-tree__accounts">
            {group.accounts.map((account) => {
              const dot = accountDotTone(account, now);
              return (
                <li key={account.id}>
                  <NavLink
                    to={`/accounts/${account.id}`}
                    className={({ isActive }) =>
                      `client-tree__account${isActive ? ' client-tree__account--active' : ''}`
                    }
                    title={`@${account.username} — ${dot.label}`}
                  >
                    <span className={`status-dot status-dot--${dot.tone}`} aria-hidden />
                    <span className="client-tree__username">@{account.username}</span>
                    <span className="visually-hidden">, {dot.label}</span>
                  </NavLink>
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/** Sections, then the agency's clients and their accounts. */
export function Sidebar(props: { demo: boolean }) {
  return (
    <aside className="sidebar" aria-label="Main">
      <div className="sidebar__brand">
        <img src="./icon.svg" alt="" width={28} height={28} />
        <span>Switchboard</span>
        {props.demo && <span className="badge badge--demo">Demo</span>}
      </div>
      <nav className="sidebar__nav" aria-label="Sections">
        {sections.map((section) => {
          const Icon = section.icon;
          return (
            <NavLink
              key={section.path}
              to={section.path}
              className={({ isActive }) => `nav-item${isActive ? ' nav-item--active' : ''}`}
              title={`${section.label} (${isMac ? '⌘' : 'Ctrl+'}${section.shortcut})`}
            >
              <Icon size={18} strokeWidth={1.9} aria-hidden />
              <span className="nav-item__label">{section.label}</span>
              <kbd className="nav-item__kbd" aria-hidden>
                {isMac ? '⌘' : 'Ctrl '}
                {section.shortcut}
              </kbd>
            </NavLink>
          );
        })}
      </nav>
      <nav className="sidebar__clients" aria-label="Clients">
        <h2 className="sidebar__heading">Clients</h2>
        <Clients />
      </nav>
    </aside>
  );
}
