import { CircleExclamationPoint, LoaderCircle, Save, Trash2 } from 'lucide-react';
import { useEffect, useState, type FormEvent } from 'react';
import {
  secretValueSchema,
  type ConnectionSecretName,
  type SecretsStatus,
} from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { Badge } from '../../components/badge';
import { Field, SecretInput } from '../../components/field';
import { schemaMessage } from '../../lib/validation';

const SECRETS: {
  name: ConnectionSecretName;
  key: 'ngrokAuthtoken' | 'mysqlPassword';
  label: string;
  hint: string;
}[] = [
  {
    name: 'ngrok-authtoken',
    key: 'ngrokAuthtoken',
    label: 'ngrok authtoken',
    hint: 'From the ngrok dashboard (Your Authtoken). Saving it restarts the tunnel.',
  },
  {
    name: 'mysql-password',
    key: 'mysqlPassword',
    label: 'MySQL password',
    hint: 'Used when the database setting names a MySQL server without a password. Takes effect at the next start.',
  },
];

function SecretRow(props: {
  spec: (typeof SECRETS)[number];
  state: 'set' | 'missing';
  disabled: boolean;
  onStatus: (status: SecretsStatus) => void;
}) {
  const client = useClient();
  const { spec } = props;
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState<'save' | 'clear' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputError = value === '' ? undefined : schemaMessage(secretValueSchema, value);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || value === '' || inputError) return;
    setBusy('save');
    setError(null);
    const result = await client.call('settings.setSecret', { name: spec.name, value });
    setBusy(null);
    if (!result.ok) return setError(result.error.message);
    setValue('');
    props.onStatus(result.value);
  };

  const clear = async () => {
    if (busy) return;
    setBusy('clear');
    setError(null);
    const result = await client.call('settings.clearSecret', { name: spec.name });
    setBusy(null);
    if (!result.ok) return setError(result.error.message);
    props.onStatus(result.value);
  };

  return (
    <form className="form secret-row" noValidate onSubmit={(event) => void save(event)}>
      <Field
        label={spec.label}
        hint={spec.hint}
        error={inputError ?? error ?? undefined}
        aside={
          <Badge tone={props.state === 'set' ? 'ok' : 'idle'}>
            {props.state === 'set' ? 'Set' : 'Not set'}
          </Badge>
        }
      >
        {(ids) => (
          <SecretInput
            ids={ids}
            value={value}
            onChange={setValue}
            revealLabel={spec.label}
            placeholder={props.state === 'set' ? 'Enter a new value to replace it' : 'Paste the value'}
            disabled={props.disabled}
          />
        )}
      </Field>
      <div className="secret-row__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={props.disabled || busy !== null || value === '' || inputError !== undefined}
        >
          {busy === 'save' ? (
            <LoaderCircle className="spin" size={15} aria-hidden />
          ) : (
            <Save size={15} aria-hidden />
          )}
          Save
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void clear()}
          disabled={props.disabled || busy !== null || props.state !== 'set'}
        >
          {busy === 'clear' ? (
            <LoaderCircle className="spin" size={15} aria-hidden />
          ) : (
            <Trash2 size={15} aria-hidden />
          )}
          Clear
        </button>
      </div>
    </form>
  );
}

/** The ngrok authtoken and the MySQL password, kept in the OS keychain: set or not, replace, clear. */
export function ConnectionSecretsSection() {
  const client = useClient();
  const [status, setStatus] = useState<SecretsStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void client.call('settings.getSecrets', {}).then((result) => {
      if (!live) return;
      if (result.ok) setStatus(result.value);
      else setLoadError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [client]);

  const unavailable = status?.keychain === 'unavailable' ? status.message : loadError;
  return (
    <section className="card" aria-labelledby="connection-secrets-title">
      <h2 className="card__title" id="connection-secrets-title">
        Connection secrets
      </h2>
      <p className="key-action__description">
        Kept in this workstation’s OS keychain, never in the database. Values are never shown again after
        saving.
      </p>
      {unavailable && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <p>{unavailable}</p>
        </div>
      )}
      {status
        ? SECRETS.map((spec) => (
            <SecretRow
              key={spec.name}
              spec={spec}
              state={status[spec.key]}
              disabled={status.keychain === 'unavailable'}
              onStatus={setStatus}
            />
          ))
        : !loadError && <p className="key-action__description">Checking the keychain…</p>}
    </section>
  );
}
