import {
  CircleCheck,
  CircleExclamationPoint,
  Download,
  KeyRound,
  LoaderCircle,
  RotateCw,
  Upload,
} from 'lucide-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { methods, type KeyStatus } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { Badge } from '../../components/badge';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Dialog } from '../../components/dialog';
import { Field, SecretInput } from '../../components/field';
import type { Tone } from '../../lib/accounts';
import { plural } from '../../lib/format';
import { schemaMessage } from '../../lib/validation';

const passphraseSchema = methods['keys.export'].input.shape.passphrase;

const stateMeta: Record<KeyStatus['state'], { label: string; tone: Tone }> = {
  ready: { label: 'Ready', tone: 'ok' },
  unavailable: { label: 'Unavailable', tone: 'error' },
  wrong_key: { label: 'Wrong key', tone: 'error' },
};

const sourceLabel: Record<NonNullable<KeyStatus['source']>, string> = {
  keychain: 'OS keychain',
  environment: 'APP_SECRET_KEY variable',
  'key-file': 'Key file (--key-file)',
};

type Outcome = { tone: 'ok' | 'error'; text: string } | null;

function OutcomeCallout(props: { outcome: Outcome }) {
  if (!props.outcome) return null;
  const ok = props.outcome.tone === 'ok';
  return (
    <div className={`callout callout--${props.outcome.tone}`} role={ok ? 'status' : 'alert'}>
      {ok ? <CircleCheck size={18} aria-hidden /> : <CircleExclamationPoint size={18} aria-hidden />}
      <p>{props.outcome.text}</p>
    </div>
  );
}

function KeyAction(props: { title: string; description: string; button: ReactNode; outcome: Outcome }) {
  return (
    <div className="key-action">
      <div className="key-action__text">
        <h3 className="key-action__title">{props.title}</h3>
        <p className="key-action__description">{props.description}</p>
      </div>
      {props.button}
      {props.outcome && (
        <div className="key-action__outcome">
          <OutcomeCallout outcome={props.outcome} />
        </div>
      )}
    </div>
  );
}

/** Saves text as a file through a temporary Blob link (works in the browser UI and in the desktop app). */
function download(fileName: string, contents: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A dialog around one form: Cancel, a submit button with a busy spinner, and the server's error on top. */
function KeyFormDialog(props: {
  title: string;
  description: string;
  formId: string;
  submitLabel: string;
  submitIcon: ReactNode;
  valid: boolean;
  busy: boolean;
  error: string | null;
  onClose: () => void;
  onSubmit: (event: FormEvent) => Promise<void>;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={props.title}
      description={props.description}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={props.formId}
            className="button button--primary"
            disabled={!props.valid || props.busy}
          >
            {props.busy ? <LoaderCircle className="spin" size={15} aria-hidden /> : props.submitIcon}
            {props.submitLabel}
          </button>
        </>
      }
    >
      <form id={props.formId} className="form" noValidate onSubmit={(event) => void props.onSubmit(event)}>
        {props.error && (
          <p className="callout callout--error" role="alert">
            {props.error}
          </p>
        )}
        {props.children}
      </form>
    </Dialog>
  );
}

function ExportDialog(props: { onClose: () => void; onDone: (fileName: string) => void }) {
  const client = useClient();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passphraseError = touched ? schemaMessage(passphraseSchema, passphrase) : undefined;
  const mismatch = again !== '' && again !== passphrase ? 'The two passphrases are not the same' : undefined;
  const valid = !schemaMessage(passphraseSchema, passphrase) && again === passphrase;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    const result = await client.call('keys.export', { passphrase });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setPassphrase('');
    setAgain('');
    download(result.value.fileName, result.value.contents);
    props.onDone(result.value.fileName);
  };

  return (
    <KeyFormDialog
      title="Export the encryption key"
      description="The file is locked with a passphrase. Give the file and the passphrase to the other workstation separately."
      formId="export-key-form"
      submitLabel="Export key"
      submitIcon={<Download size={15} aria-hidden />}
      valid={valid}
      busy={busy}
      error={error}
      onClose={props.onClose}
      onSubmit={submit}
    >
      <Field
        label="Passphrase"
        error={passphraseError}
        hint="A long sentence is easier to remember and harder to guess."
      >
        {(ids) => (
          <SecretInput
            ids={ids}
            value={passphrase}
            onChange={(value) => {
              setPassphrase(value);
              setTouched(true);
            }}
            revealLabel="passphrase"
          />
        )}
      </Field>
      <Field label="Passphrase again" error={mismatch}>
        {(ids) => (
          <SecretInput ids={ids} value={again} onChange={setAgain} revealLabel="repeated passphrase" />
        )}
      </Field>
    </KeyFormDialog>
  );
}

function ImportDialog(props: { onClose: () => void; onDone: (status: KeyStatus) => void }) {
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tooBig = file !== null && file.size > 64 * 1024;
  const valid = file !== null && !tooBig && passphrase !== '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || !valid || busy) return;
    setBusy(true);
    setError(null);
    const contents = await file.text();
    const result = await client.call('keys.import', { contents, passphrase });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setPassphrase('');
    props.onDone(result.value);
  };

  return (
    <KeyFormDialog
      title="Import an encryption key"
      description="Use the key file exported from the workstation that set up this database."
      formId="import-key-form"
      submitLabel="Import key"
      submitIcon={<Upload size={15} aria-hidden />}
      valid={valid}
      busy={busy}
      error={error}
      onClose={props.onClose}
      onSubmit={submit}
    >
      <Field
        label="Key file"
        error={tooBig ? 'This file is too large to be a Switchboard key file' : undefined}
        hint="A .sbkey file made with “Export key”."
      >
        {(ids) => (
          <input
            id={ids.input}
            className="input input--file"
            type="file"
            accept=".sbkey,application/octet-stream,text/plain"
            aria-describedby={ids.describedBy}
            aria-invalid={ids.invalid || undefined}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <Field label="Passphrase" hint="The passphrase chosen when the key was exported.">
        {(ids) => (
          <SecretInput ids={ids} value={passphrase} onChange={setPassphrase} revealLabel="passphrase" />
        )}
      </Field>
    </KeyFormDialog>
  );
}

/** Settings → Encryption key: its state, where it comes from, its fingerprint; rotate, export, import. */
export function EncryptionKeySection(props: { encryption: KeyStatus; wide?: boolean }) {
  const { encryption } = props;
  const client = useClient();
  const [dialog, setDialog] = useState<'rotate' | 'export' | 'import' | null>(null);
  const [outcomes, setOutcomes] = useState<{ rotate: Outcome; export: Outcome; import: Outcome }>({
    rotate: null,
    export: null,
    import: null,
  });
  const meta = stateMeta[encryption.state];
  const ready = encryption.state === 'ready';
  const setOutcome = (action: keyof typeof outcomes, outcome: Outcome) =>
    setOutcomes((current) => ({ ...current, [action]: outcome }));

  const rotate = async (): Promise<null> => {
    const result = await client.call('keys.rotate', {});
    setOutcome(
      'rotate',
      result.ok
        ? {
            tone: 'ok',
            text: `Done: ${plural(result.value.reencrypted, 'stored value')} re-encrypted with the new key ${result.value.keyId}. Export it again for any other workstation that shares this database.`,
          }
        : { tone: 'error', text: result.error.message },
    );
    return null;
  };

  return (
    <section className={`card${props.wide ? ' settings-grid__wide' : ''}`} aria-labelledby="encryption-title">
      <div className="card__head">
        <h2 id="encryption-title" className="card__title card__title--icon">
          <KeyRound size={16} aria-hidden />
          Encryption key
        </h2>
        <Badge tone={meta.tone}>{meta.label}</Badge>
      </div>
      <p className="card__lead">
        Client access tokens and app secrets are encrypted with this key before they are stored. The key
        itself is never stored in the database.
      </p>
      {!ready && (
        <div className="callout callout--error" role="alert">
          <CircleExclamationPoint size={18} aria-hidden />
          <div>
            <strong>
              {encryption.state === 'wrong_key'
                ? 'This database was encrypted with another key'
                : 'The encryption key is not available'}
            </strong>
            <p>{encryption.message ?? 'Accounts cannot be added or used until the key is available.'}</p>
          </div>
        </div>
      )}
      <dl className="settings-list">
        <div className="settings-row">
          <dt>Source</dt>
          <dd>{encryption.source ? sourceLabel[encryption.source] : 'None found'}</dd>
        </div>
        <div className="settings-row">
          <dt>Fingerprint</dt>
          <dd className="mono">{encryption.keyId ?? '—'}</dd>
        </div>
      </dl>
      <div className="key-actions">
        <KeyAction
          title="Rotate key"
          description="Make a new key and re-encrypt every stored token and secret with it, all in one step."
          outcome={outcomes.rotate}
          button={
            <button type="button" className="button" disabled={!ready} onClick={() => setDialog('rotate')}>
              <RotateCw size={15} aria-hidden />
              Rotate key…
            </button>
          }
        />
        <KeyAction
          title="Export key"
          description="Save the key in a passphrase-protected file, to give a second workstation the same key."
          outcome={outcomes.export}
          button={
            <button type="button" className="button" disabled={!ready} onClick={() => setDialog('export')}>
              <Download size={15} aria-hidden />
              Export key…
            </button>
          }
        />
        <KeyAction
          title="Import key"
          description="Use the key exported from the workstation that set up this database."
          outcome={outcomes.import}
          button={
            <button type="button" className="button" onClick={() => setDialog('import')}>
              <Upload size={15} aria-hidden />
              Import key…
            </button>
          }
        />
      </div>

      {dialog === 'rotate' && (
        <ConfirmDialog
          title="Rotate the encryption key?"
          confirmLabel="Rotate key"
          onConfirm={rotate}
          onClose={() => setDialog(null)}
        >
          <p>
            Switchboard makes a new key and re-encrypts every stored token and secret with it. If it stops
            half way, nothing changes.
          </p>
          <p>Other workstations that share this database will need the new key: export it afterwards.</p>
        </ConfirmDialog>
      )}
      {dialog === 'export' && (
        <ExportDialog
          onClose={() => setDialog(null)}
          onDone={(fileName) => {
            setDialog(null);
            setOutcome('export', {
              tone: 'ok',
              text: `Saved ${fileName}. Keep the passphrase somewhere else than the file.`,
            });
          }}
        />
      )}
      {dialog === 'import' && (
        <ImportDialog
          onClose={() => setDialog(null)}
          onDone={(status) => {
            setDialog(null);
            setOutcome(
              'import',
              status.state === 'ready'
                ? {
                    tone: 'ok',
                    text: `Imported key ${status.keyId ?? ''}. It opens this database’s credentials.`,
                  }
                : { tone: 'error', text: status.message ?? 'The key was imported but is not ready.' },
            );
          }}
        />
      )}
    </section>
  );
}
