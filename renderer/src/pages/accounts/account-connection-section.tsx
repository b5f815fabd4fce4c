/**
 * The form's "Connection" section: which Meta setup the account uses, and its token and secrets. Secrets
 * are never shown back: when editing, each says whether one is stored, and an empty box keeps it.
 */
import { Lock } from 'lucide-react';
import type { ReactNode } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { SecretInput } from '../../components/field';
import type { LoginType } from '../../lib/accounts';
import { FieldRow, type FormControls } from './account-form-parts';

const setups: readonly { value: LoginType; title: string; help: string }[] = [
  {
    value: 'instagram',
    title: 'Instagram Login',
    help: 'A token from graph.instagram.com (starts with IGAA). The usual choice for new setups.',
  },
  {
    value: 'facebook',
    title: 'Facebook Login',
    help: 'A Page access token from graph.facebook.com (starts with EAA), for accounts linked to a Facebook Page.',
  },
];

type CredentialState = AccountView['credentials']['accessToken'];
type SecretField = 'accessToken' | 'appSecret' | 'instagramAppSecret';

const STORED_PLACEHOLDER = 'Stored — type to replace';

function StoredState(props: { state: CredentialState; removing?: boolean }) {
  if (props.removing) return <span className="stored stored--idle">Will be removed</span>;
  switch (props.state) {
    case 'present':
      return (
        <span className="stored stored--ok">
          <Lock size={12} aria-hidden /> Stored, encrypted
        </span>
      );
    case 'unreadable':
      return <span className="stored stored--error">Unreadable — paste it again</span>;
    case 'missing':
      return <span className="stored stored--idle">Not set</span>;
  }
}

/** A secret's field row: a password box that never shows the stored value. */
function SecretRow(props: {
  form: FormControls;
  field: SecretField;
  label: string;
  /** Names the secret in the show/hide button's label ("Show access token"). */
  revealLabel: string;
  hint: ReactNode;
  aside: ReactNode;
  optional?: boolean;
  placeholder: string | undefined;
  disabled?: boolean;
}) {
  const { form, field } = props;
  return (
    <FieldRow
      form={form}
      field={field}
      label={props.label}
      optional={props.optional}
      aside={props.aside}
      hint={props.hint}
    >
      {(ids) => (
        <SecretInput
          ids={ids}
          value={form.values[field]}
          onChange={(value) => form.set(field, value)}
          revealLabel={props.revealLabel}
          disabled={props.disabled}
          placeholder={props.placeholder}
        />
      )}
    </FieldRow>
  );
}

export function AccountConnectionSection({ form }: { form: FormControls }) {
  const { values, editing, set } = form;
  return (
    <section className="form__section" aria-labelledby="form-setup">
      <h3 id="form-setup" className="form__heading">
        Connection
      </h3>
      <fieldset className="choice-cards">
        <legend className="field__label">Meta setup</legend>
        {setups.map((setup) => (
          <label
            key={setup.value}
            className={`choice-card${values.loginType === setup.value ? ' choice-card--selected' : ''}`}
          >
            <input
              type="radio"
              name="login-type"
              value={setup.value}
              checked={values.loginType === setup.value}
              onChange={() => set('loginType', setup.value)}
            />
            <span>
              <span className="choice-card__title">{setup.title}</span>
              <span className="choice-card__help">{setup.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <SecretRow
        form={form}
        field="accessToken"
        label="Access token"
        revealLabel="access token"
        aside={editing && <StoredState state={editing.credentials.accessToken} />}
        hint={editing ? 'Leave empty to keep the stored token.' : 'A long-lived token; paste it whole.'}
        placeholder={editing ? STORED_PLACEHOLDER : undefined}
      />
      <SecretRow
        form={form}
        field="appSecret"
        label="App secret"
        revealLabel="app secret"
        aside={editing && <StoredState state={editing.credentials.appSecret} />}
        hint={
          editing
            ? 'Leave empty to keep the stored secret.'
            : '32 characters, from App settings → Basic. It checks that webhooks really come from Meta.'
        }
        placeholder={editing ? STORED_PLACEHOLDER : undefined}
      />
      <SecretRow
        form={form}
        field="instagramAppSecret"
        label="Instagram app secret"
        revealLabel="Instagram app secret"
        optional
        disabled={values.removeInstagramAppSecret}
        aside={
          editing && (
            <span className="field__aside">
              <StoredState
                state={editing.credentials.instagramAppSecret}
                removing={values.removeInstagramAppSecret}
              />
              {editing.credentials.instagramAppSecret !== 'missing' && (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => set('removeInstagramAppSecret', !values.removeInstagramAppSecret)}
                >
                  {values.removeInstagramAppSecret ? 'Keep it' : 'Remove'}
                </button>
              )}
            </span>
          )
        }
        hint="Instagram Login apps have a second secret (Instagram → API setup). Some setups sign webhooks with it; add it if webhooks are refused."
        placeholder={editing?.credentials.instagramAppSecret === 'present' ? STORED_PLACEHOLDER : undefined}
      />
    </section>
  );
}
