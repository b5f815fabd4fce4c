import { NavLink } from 'react-router';
import { FlaskConical } from 'lucide-react';

/** A thin stripe across the window in demo mode, so nobody mistakes demo data for a client's real DMs. */
export function DemoBanner() {
  return (
    <div className="demo-banner" role="note">
      <FlaskConical size={14} aria-hidden />
      <span>
        <strong>Demo mode</strong> — sample clients on a local Instagram sandbox; nothing reaches Instagram.
      </span>
      <NavLink to="/demo" className="demo-banner__link">
        Simulate a customer →
      </NavLink>
    </div>
  );
}
