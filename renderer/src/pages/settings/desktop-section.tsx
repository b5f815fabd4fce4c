import { Bell, Check, CircleExclamationPoint, LoaderCircle } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { AccountView, AppInfo, DesktopSettings } from '../../../../shared/contract';
import { useClient, useContractQuery, useEvent } from '../../app/client-context';
import { useAccounts } from '../../app/use-accounts';
import { QuietHoursEditor } from './quiet-hours-editor';

type Toggle = 'notifications' | 'privateNotifications' | 'startAtLogin';

const SAMPLE_TEXT = 'Hi! Do you still have the gluten-free croissants today?';

/** One on/off preference, saved as soon as it is flipped (Space toggles it from the keyboard). */
function Switch(props: {
  label: string;
  hint: ReactNode;
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="switch-row">
      <span className="switch-row__text">
        <span className="switch-row__label">{props.label}</span>
        <span className="switch-row__hint">{props.hint}</span>
      </span>
      <input
        type="checkbox"
        role="switch"
        className="switch"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.checked)}
      />
    </label>
  );
}

/** How a new message will be announced with the current settings (the same words the core builds). */
function NotificationPreview(props: {
  settings: DesktopSettings;
  account: AccountView | undefined;
  headless: boolean;
}) {
  const { settings, account } = props;
  const to = account
    ? `${account.clientName ? `${account.clientName} · ` : ''}@${account.username}`
    : 'Sunrise Bakery · @sunrise_bakery';
  return (
    <figure className="notification-preview" aria-label="Notification preview">
      <figcaption className="notification-preview__caption">
        Preview — {props.headless ? 'shown as a toast in this browser' : 'shown by your operating system'}
      </figcaption>
      {settings.notifications ? (
        <div className="notification-preview__card">
          <span className="notification-preview__icon" aria-hidden>
            <Bell size={16} />
          </span>
          <div className="notification-preview__text">
            <p className="notification-preview__title">Maria Lopez (@maria.l) → {to}</p>
            <p className="notification-preview__body">
              {settings.privateNotifications ? 'New message' : SAMPLE_TEXT}
            </p>
          </div>
        </div>
      ) : (
        <p className="notification-preview__off">
          Notifications are off: new messages only show in the inbox.
        </p>
      )}
    </figure>
  );
}

/** Settings → Notifications & desktop: announcements, privacy, quiet hours per client, start at login. */
export function DesktopSection(props: { info: AppInfo }) {
  const client = useClient();
  const [query, , replace] = useContractQuery('desktop.getSettings', {});
  const { query: accountsQuery } = useAccounts();
  const [busy, setBusy] = useState<Toggle | null>(null);
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  useEvent('desktop.settingsChanged', replace);

  const settings = query.status === 'ok' ? query.value : null;
  const accounts = accountsQuery.status === 'ok' ? accountsQuery.value.accounts : [];
  const headless = props.info.shell === 'headless';

  const flip = async (name: Toggle, value: boolean) => {
    if (!settings || busy) return;
    setBusy(name);
    setStatus(null);
    replace({ ...settings, [name]: value });
    const patch: Partial<Pick<DesktopSettings, Toggle>> = { [name]: value };
    const result = await client.call('desktop.updateSettings', patch);
    setBusy(null);
    if (result.ok) {
      replace(result.value);
      setStatus({ tone: 'ok', text: 'Saved' });
    } else {
      replace(settings);
      setStatus({ tone: 'error', text: result.error.message });
    }
  };

  return (
    <section className="card settings-grid__wide desktop-settings" aria-labelledby="desktop-settings-title">
      <div className="desktop-settings__head">
        <h2 className="card__title" id="desktop-settings-title">
          Notifications &amp; desktop
        </h2>
        <p
          className={`desktop-settings__status desktop-settings__status--${status?.tone ?? 'ok'}`}
          aria-live="polite"
        >
          {busy ? (
            <>
              <LoaderCircle className="spin" size={13} aria-hidden /> Saving…
            </>
          ) : status?.tone === 'ok' ? (
            <>
              <Check size={13} aria-hidden /> {status.text}
            </>
          ) : null}
        </p>
      </div>
      {query.status === 'error' && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <p>{query.error.message}</p>
        </div>
      )}
      {status?.tone === 'error' && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <p>{status.text}</p>
        </div>
      )}
      {settings ? (
        <div className="desktop-settings__body">
          <div className="desktop-settings__switches">
            <Switch
              label="Notify me about new messages"
              hint={
                headless
                  ? 'In this browser, as a toast in the corner of the window. Click it to open the conversation.'
                  : 'An OS notification per conversation (a burst becomes one, with a count). Click it to open the conversation.'
              }
              checked={settings.notifications}
              disabled={busy !== null}
              onChange={(value) => void flip('notifications', value)}
            />
            <Switch
              label="Private notifications"
              hint="Show who wrote and to which account, never what they wrote — for shared screens and screen sharing."
              checked={settings.privateNotifications}
              disabled={busy !== null}
              onChange={(value) => void flip('privateNotifications', value)}
            />
            <Switch
              label="Start Switchboard when I log in"
              hint={
                headless
                  ? 'Applies to the desktop app on this computer; a headless server is started by your own service manager.'
                  : 'Keeps the webhook receiver running from the tray after login.'
              }
              checked={settings.startAtLogin}
              disabled={busy !== null}
              onChange={(value) => void flip('startAtLogin', value)}
            />
          </div>
          <NotificationPreview settings={settings} account={accounts[0]} headless={headless} />
          <QuietHoursEditor
            accounts={accounts}
            stored={settings.quietHours}
            onSaved={(quietHours) => {
              replace({ ...settings, quietHours });
              setStatus({ tone: 'ok', text: 'Quiet hours saved' });
            }}
          />
        </div>
      ) : (
        query.status === 'loading' && <p className="key-action__description">Loading…</p>
      )}
    </section>
  );
}
