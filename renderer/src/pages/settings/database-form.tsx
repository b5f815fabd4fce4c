import { CircleCheck, CircleExclamationPoint, LoaderCircle, PlugZap, Save } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { DatabaseSettings, DatabaseTarget, DatabaseTest } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { Field, SecretInput } from '../../components/field';
import { errorsByField } from '../../lib/validation';

type Mode = 'sqlite' | 'mysql';
type Entry = 'fields' | 'url';
const FIELDS = ['host', 'port', 'database', 'user', 'password', 'url'] as const;
type FieldName = (typeof FIELDS)[number];

interface Values {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  url: string;
}

function initialValues(settings: DatabaseSettings): Values {
  const mysql = settings.saved?.dialect === 'mysql' ? settings.saved : settings.active?.mysql;
  return {
    host: mysql?.host ?? '',
    port: String(mysql?.port ?? 3306),
    database: mysql?.database ?? '',
    user: mysql?.user ?? '',
    password: '',
    url: '',
  };
}

function TestResult(props: { test: DatabaseTest; saved: boolean; restartNeeded: boolean }) {
  const { test } = props;
  return (
    <div className={`callout ${test.ok ? 'callout--ok' : 'callout--error'}`} role="status">
      {test.ok ? <CircleCheck size={18} aria-hidden /> : <CircleExclamationPoint size={18} aria-hidden />}
      <div>
        <strong>
          {!test.ok
            ? props.saved
              ? 'Not saved: the connection failed'
              : 'Connection failed'
            : props.saved
              ? props.restartNeeded
                ? 'Saved — restart Switchboard to switch'
                : 'Saved'
              : 'Connection works'}
        </strong>
        <p>{test.message}</p>
        {test.hint && <p>{test.hint}</p>}
      </div>
    </div>
  );
}

/** Choose the embedded database or a MySQL server, test it, and save it for the next start. */
export function DatabaseForm(props: {
  settings: DatabaseSettings;
  onSaved: (settings: DatabaseSettings) => void;
}) {
  const client = useClient();
  const { settings } = props;
  const [mode, setMode] = useState<Mode>(settings.saved?.dialect ?? settings.active?.dialect ?? 'sqlite');
  const [entry, setEntry] = useState<Entry>('fields');
  const [values, setValues] = useState<Values>(() => initialValues(settings));
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [outcome, setOutcome] = useState<{
    test: DatabaseTest;
    saved: boolean;
    restartNeeded: boolean;
  } | null>(null);
  const [errors, setErrors] = useState<{
    fields: Partial<Record<FieldName, string>>;
    general: string | null;
  }>({
    fields: {},
    general: null,
  });

  const set = (field: keyof Values, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, fields: { ...current.fields, [field]: undefined } }));
    setOutcome(null);
  };

  const target = (): DatabaseTarget | { error: string } => {
    if (mode === 'sqlite') return { dialect: 'sqlite' };
    if (entry === 'url') return { dialect: 'mysql', url: values.url.trim() || undefined };
    const port = values.port.trim() === '' ? 3306 : Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      return { error: 'The port is a number from 1 to 65535' };
    return {
      dialect: 'mysql',
      host: values.host.trim(),
      port,
      database: values.database.trim(),
      user: values.user.trim(),
      ...(values.password ? { password: values.password } : {}),
    };
  };

  const run = async (action: 'test' | 'save') => {
    if (busy) return;
    const chosen = target();
    if ('error' in chosen) return setErrors({ fields: { port: chosen.error }, general: null });
    if (entry === 'url' && mode === 'mysql' && !values.url.trim())
      return setErrors({ fields: { url: 'Enter a mysql:// URL' }, general: null });
    setBusy(action);
    setErrors({ fields: {}, general: null });
    setOutcome(null);
    if (action === 'test') {
      const result = await client.call('settings.testDatabase', { target: chosen });
      setBusy(null);
      if (!result.ok) return setErrors(errorsByField(result.error, FIELDS));
      return setOutcome({ test: result.value, saved: false, restartNeeded: false });
    }
    const result = await client.call('settings.saveDatabase', { target: chosen });
    setBusy(null);
    if (!result.ok) return setErrors(errorsByField(result.error, FIELDS));
    setOutcome({ test: result.value.test, saved: true, restartNeeded: result.value.settings.restartNeeded });
    if (result.value.saved) {
      // The password now lives in the keychain; the field empties, the outcome stays on screen.
      setValues((current) => ({ ...current, password: '' }));
      props.onSaved(result.value.settings);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('save');
  };

  const input = (field: 'host' | 'port' | 'database' | 'user', label: string, placeholder: string) => (
    <Field label={label} error={errors.fields[field]}>
      {(ids) => (
        <input
          id={ids.input}
          className="input"
          aria-describedby={ids.describedBy}
          aria-invalid={ids.invalid}
          value={values[field]}
          placeholder={placeholder}
          inputMode={field === 'port' ? 'numeric' : undefined}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => set(field, event.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form className="form database-form" noValidate onSubmit={submit} aria-label="Choose the database">
      <fieldset className="choice-cards">
        <legend className="field__label">Use</legend>
        {(
          [
            [
              'sqlite',
              'Embedded database',
              `A file in the data folder; nothing to install. ${settings.defaultSqliteFile}`,
            ],
            [
              'mysql',
              'MySQL or MariaDB server',
              'Shared by every workstation of the agency; the database must use utf8mb4.',
            ],
          ] as const
        ).map(([value, title, help]) => (
          <label key={value} className={`choice-card${mode === value ? ' choice-card--selected' : ''}`}>
            <input
              type="radio"
              name="database-kind"
              value={value}
              checked={mode === value}
              onChange={() => {
                setMode(value);
                setOutcome(null);
              }}
            />
            <span>
              <span className="choice-card__title">{title}</span>
              <span className="choice-card__help">{help}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {mode === 'mysql' && (
        <div className="database-form__mysql">
          <div className="database-form__entry" role="radiogroup" aria-label="Enter the server as">
            {(
              [
                ['fields', 'Host and user'],
                ['url', 'URL'],
              ] as const
            ).map(([value, label]) => (
              <label key={value} className="database-form__entry-option">
                <input
                  type="radio"
                  name="database-entry"
                  checked={entry === value}
                  onChange={() => {
                    setEntry(value);
                    setOutcome(null);
                  }}
                />
                {label}
              </label>
            ))}
          </div>
          {entry === 'url' ? (
            <Field
              label="Database URL"
              hint="mysql://user:password@host:3306/database — the password, if you include one, goes to the OS keychain."
              error={errors.fields.url}
            >
              {(ids) => (
                <input
                  id={ids.input}
                  className="input input--mono"
                  aria-describedby={ids.describedBy}
                  aria-invalid={ids.invalid}
                  value={values.url}
                  placeholder="mysql://switchboard@db.example.internal:3306/switchboard"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => set('url', event.target.value)}
                />
              )}
            </Field>
          ) : (
            <>
              <div className="database-form__row">
                {input('host', 'Host', 'db.example.internal')}
                {input('port', 'Port', '3306')}
              </div>
              <div className="form__row">
                {input('database', 'Database', 'switchboard')}
                {input('user', 'User', 'switchboard')}
              </div>
              <Field
                label="Password"
                hint={
                  settings.mysqlPassword === 'set'
                    ? 'Leave empty to use the password stored in the OS keychain.'
                    : 'Stored in the OS keychain when you save, never in a file.'
                }
                error={errors.fields.password}
              >
                {(ids) => (
                  <SecretInput
                    ids={ids}
                    value={values.password}
                    onChange={(value) => set('password', value)}
                    revealLabel="MySQL password"
                    placeholder={settings.mysqlPassword === 'set' ? 'Stored in the keychain' : ''}
                  />
                )}
              </Field>
            </>
          )}
        </div>
      )}

      {errors.general && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <div>
            <p>{errors.general}</p>
          </div>
        </div>
      )}
      {outcome && <TestResult {...outcome} />}

      <div className="database-form__actions">
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('test')}>
          {busy === 'test' ? (
            <LoaderCircle className="spin" size={15} aria-hidden />
          ) : (
            <PlugZap size={15} aria-hidden />
          )}
          Test connection
        </button>
        <button type="submit" className="button button--primary" disabled={busy !== null}>
          {busy === 'save' ? (
            <LoaderCircle className="spin" size={15} aria-hidden />
          ) : (
            <Save size={15} aria-hidden />
          )}
          Save and switch
        </button>
        <span className="database-form__note">
          Saving tests first; the switch happens when Switchboard starts again.
        </span>
      </div>
    </form>
  );
}
