import type { AppInfo, AppStatus } from '../../../shared/contract';
import { PageHeader } from '../components/page-header';
import { ConnectionSecretsSection } from './settings/connection-secrets-section';
import { DesktopSection } from './settings/desktop-section';
import { DatabaseSection } from './settings/database-section';
import { EncryptionKeySection } from './settings/encryption-key-section';

function Row(props: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="settings-row">
      <dt>{props.label}</dt>
      <dd className={props.mono ? 'mono' : undefined}>{props.value}</dd>
    </div>
  );
}

export function SettingsPage(props: { info: AppInfo; status: AppStatus }) {
  const { info, status } = props;
  // A key problem blocks every account, so it comes first; otherwise the key sits below the basics.
  const keyFirst = status.encryption.state !== 'ready';
  const encryption = <EncryptionKeySection encryption={status.encryption} wide={keyFirst} />;
  return (
    <>
      <PageHeader title="Settings" description="Where your data lives and how this workstation connects." />
      <div className="settings-grid">
        {keyFirst && encryption}
        <section className="card">
          <h2 className="card__title">This workstation</h2>
          <dl className="settings-list">
            <Row label="Version" value={info.version} />
            <Row
              label="Running as"
              value={info.shell === 'headless' ? 'Headless server (browser UI)' : 'Desktop app'}
            />
            <Row label="Data folder" value={info.dataDir} mono />
            {info.demo && (
              <Row label="Mode" value="Demo — separate demo data, nothing is sent to Instagram" />
            )}
          </dl>
        </section>
        <section className="card">
          <h2 className="card__title">Receiving webhooks</h2>
          <dl className="settings-list">
            <Row label="Local receiver" value={status.webhookBaseUrl ?? 'not running'} mono />
            <Row label="Tunnel" value={status.tunnel.url ?? status.tunnel.message ?? status.tunnel.state} />
          </dl>
          <p className="settings-link">
            <a href="#/diagnostics">Open receiving diagnostics</a> — subscription health, recent deliveries,
            replay, what was not understood and refused requests.
          </p>
        </section>
        <DesktopSection info={info} />
        <DatabaseSection status={status.database} />
        <ConnectionSecretsSection />
        {!keyFirst && encryption}
      </div>
    </>
  );
}
