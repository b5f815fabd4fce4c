import { Link } from 'react-router';
import type { AppInfo, AppStatus } from '../../../shared/contract';
import { OutboxStatus } from './outbox-status';
import { ReceivingIndicator } from './receiving-indicator';

type Tone = 'ok' | 'warn' | 'error' | 'idle';

function Indicator(props: { tone: Tone; label: string; detail?: string | undefined }) {
  return (
    <span className="status-item" title={props.detail ?? props.label}>
      <span className={`status-dot status-dot--${props.tone}`} aria-hidden />
      {props.label}
    </span>
  );
}

const databaseTone: Record<AppStatus['database']['state'], Tone> = {
  starting: 'warn',
  ok: 'ok',
  needs_attention: 'error',
  unreachable: 'error',
};
const databaseLabel: Record<AppStatus['database']['state'], string> = {
  starting: 'Database starting',
  ok: 'Database connected',
  needs_attention: 'Database needs attention',
  unreachable: 'Database unreachable',
};
const tunnelTone: Record<AppStatus['tunnel']['state'], Tone> = {
  off: 'idle',
  connecting: 'warn',
  online: 'ok',
  error: 'error',
};
const tunnelLabel: Record<AppStatus['tunnel']['state'], string> = {
  off: 'Tunnel off',
  connecting: 'Tunnel connecting',
  online: 'Tunnel online',
  error: 'Tunnel error',
};
const syncLabel: Record<AppStatus['sync']['state'], string> = {
  idle: 'Up to date',
  receiving: 'Receiving',
  sending: 'Sending',
  offline: 'Offline',
};

/**
 * Always-visible health: database, tunnel, sync, whether Meta sends every account's webhooks — and the
 * encryption key, only when it is not ready.
 */
export function StatusBar(props: { status: AppStatus; info: AppInfo }) {
  const { database, tunnel, sync, encryption } = props.status;
  const dialect = database.dialect === 'sqlite' ? 'SQLite' : 'MySQL';
  return (
    <footer className="status-bar" aria-label="Status">
      <Indicator
        tone={databaseTone[database.state]}
        label={`${databaseLabel[database.state]} · ${dialect}`}
        detail={database.message ?? database.location}
      />
      <Indicator
        tone={tunnelTone[tunnel.state]}
        label={tunnel.url ?? tunnelLabel[tunnel.state]}
        detail={tunnel.message}
      />
      <Indicator
        tone={sync.state === 'offline' ? 'error' : 'ok'}
        label={syncLabel[sync.state]}
        detail={sync.message}
      />
      {database.state === 'ok' && <OutboxStatus />}
      {database.state === 'ok' && <ReceivingIndicator />}
      {encryption.state !== 'ready' && (
        <Link
          to="/settings"
          className="status-item status-item--link"
          title={encryption.message ?? undefined}
        >
          <span className="status-dot status-dot--error" aria-hidden />
          {encryption.state === 'wrong_key' ? 'Encryption key: wrong key' : 'Encryption key unavailable'}
        </Link>
      )}
      <span className="status-bar__spacer" />
      {props.info.demo && <span className="badge badge--demo">Demo data</span>}
      <span className="status-item status-item--muted">
        {props.info.shell === 'headless' ? 'Headless' : 'Desktop'} · v{props.info.version}
      </span>
    </footer>
  );
}
