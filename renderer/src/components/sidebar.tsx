import { NavLink, Link } from 'react-router';
import { Building2 } from 'lucide-react';
import { sections } from '../app/sections';

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

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
      <div className="sidebar__clients">
        <h2 className="sidebar__heading">Clients</h2>
        <div className="sidebar__empty">
          <Building2 size={18} aria-hidden />
          <p>
            No client accounts yet. <Link to="/accounts">Add the first Instagram account</Link> and its DMs
            will appear in the inbox.
          </p>
        </div>
      </div>
    </aside>
  );
}
