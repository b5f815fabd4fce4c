import { DatabaseZap } from 'lucide-react';
import { Link } from 'react-router';
import type { AppStatus } from '../../../shared/contract';

/**
 * Shown instead of a screen that needs the database when the database cannot be used: what is wrong, in
 * plain words, and what to do. Nothing already stored is touched; Settings stays reachable to fix it.
 */
export function DatabaseAttention(props: { database: AppStatus['database'] }) {
  const { database } = props;
  const title =
    database.state === 'unreachable' ? 'The database cannot be reached' : 'The database needs attention';
  return (
    <section className="attention" role="alert" aria-label={title}>
      <div className="attention__icon" aria-hidden>
        <DatabaseZap size={26} strokeWidth={1.75} />
      </div>
      <h2 className="attention__title">{title}</h2>
      {database.message && <p className="attention__message">{database.message}</p>}
      <dl className="attention__facts">
        <div>
          <dt>Database</dt>
          <dd>{database.dialect === 'sqlite' ? 'Embedded (SQLite)' : 'MySQL / MariaDB'}</dd>
        </div>
        <div>
          <dt>Location</dt>
          <dd className="mono">{database.location}</dd>
        </div>
      </dl>
      <p className="attention__hint">
        Messages that Instagram delivers while the database is unavailable are not acknowledged, so Meta
        retries them later: nothing is lost. Check the database settings in{' '}
        <Link to="/settings">Settings</Link>, or the log file in the data folder for the full error.
      </p>
    </section>
  );
}
