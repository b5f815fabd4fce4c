import { CircleExclamationPoint, Info, RotateCw } from 'lucide-react';
import type { ReactNode } from 'react';
import type { AppStatus, DatabaseSettings } from '../../../../shared/contract';
import { useContractQuery } from '../../app/client-context';
import { Badge } from '../../components/badge';
import { DatabaseForm } from './database-form';
import './database.css';

function Row(props: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="settings-row">
      <dt>{props.label}</dt>
      <dd className={props.mono ? 'mono' : undefined}>{props.children}</dd>
    </div>
  );
}

const stateLabel: Record<AppStatus['database']['state'], string> = {
  starting: 'Starting',
  ok: 'Connected',
  needs_attention: 'Needs attention',
  unreachable: 'Unreachable',
};

function describe(settings: DatabaseSettings['saved'] | null, file: string): string {
  if (!settings) return '';
  if (settings.dialect === 'sqlite') return `the embedded database (${file})`;
  return `MySQL at ${settings.host}:${settings.port}/${settings.database} as ${settings.user || '(no user)'}`;
}

function Current(props: { settings: DatabaseSettings; status: AppStatus['database'] }) {
  const { settings, status } = props;
  const { active, source } = settings;
  const overriding = source.kind === 'flag' || source.kind === 'environment';
  return (
    <>
      <dl className="settings-list">
        <Row label="In use">
          {!active ? 'Not configured' : active.mysql ? 'MySQL / MariaDB server' : 'Embedded (SQLite file)'}
        </Row>
        {active?.file && (
          <Row label="File" mono>
            {active.file}
          </Row>
        )}
        {active?.mysql && (
          <>
            <Row label="Server" mono>
              {active.mysql.host}:{active.mysql.port}
            </Row>
            <Row label="Database" mono>
              {active.mysql.database}
            </Row>
            <Row label="User" mono>
              {active.mysql.user || '(none)'}
            </Row>
          </>
        )}
        <Row label="Chosen by">
          <span data-testid="database-source">{source.explanation}</span>
        </Row>
        <Row label="State">
          <Badge tone={status.state === 'ok' ? 'ok' : status.state === 'starting' ? 'warn' : 'error'}>
            {status.message ?? stateLabel[status.state]}
          </Badge>
        </Row>
      </dl>
      {overriding && (
        <div className="callout callout--warn" role="note">
          <Info size={18} aria-hidden />
          <div>
            <strong>{source.setting} decides</strong>
            <p>
              The database is {source.explanation}; that wins over what you save here. Remove {source.setting}{' '}
              to use the choice saved in Settings.
            </p>
          </div>
        </div>
      )}
      {settings.restartNeeded && settings.saved && (
        <div className="callout callout--warn" role="status">
          <RotateCw size={18} aria-hidden />
          <div>
            <strong>Restart Switchboard to switch</strong>
            <p>
              Saved: {describe(settings.saved, settings.defaultSqliteFile)}. Until the next start this
              workstation keeps using the database above.
            </p>
          </div>
        </div>
      )}
      {settings.savedProblem && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <div>
            <p>{settings.savedProblem}</p>
          </div>
        </div>
      )}
    </>
  );
}

/**
 * Settings → Database: what is in use and which setting chose it, then a form to choose the embedded
 * database or a MySQL server, test it, and save it. A saved choice is used from the next start: switching
 * a running app's database live would restart every service that holds it, so a restart is clearer.
 */
export function DatabaseSection(props: { status: AppStatus['database'] }) {
  const [query, , replace] = useContractQuery('settings.getDatabase', {});
  return (
    <section className="card settings-grid__wide database-section" aria-labelledby="database-title">
      <h2 id="database-title" className="card__title">
        Database
      </h2>
      {query.status === 'loading' && <p className="field__hint">Loading…</p>}
      {query.status === 'error' && (
        <p className="field__error" role="alert">
          {query.error.message}
        </p>
      )}
      {query.status === 'ok' && (
        <div className="database-section__body">
          <div>
            <Current settings={query.value} status={props.status} />
          </div>
          <DatabaseForm settings={query.value} onSaved={replace} />
        </div>
      )}
    </section>
  );
}
