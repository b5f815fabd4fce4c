import { Check, LoaderCircle, Lock } from 'lucide-react';
import { useMemo, useState, type FormEvent, type InputHTMLAttributes } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { Dialog } from '../../components/dialog';
import { Field, keepPastedLineBreaks, SecretInput, type FieldIds } from '../../components/field';
import type { ClientGroup, LoginType } from '../../lib/accounts';
import { errorsByField } from '../../lib/validation';
import {
  brandSwatches,
  dayHoursError,
  formFields,
  hasHiddenRanges,
  initialValues,
  toCreateInput,
  toPatchInput,
  validate,
  weekdays,
  type AccountFormValues,
  type DayHours,
  type FormErrors,
  type FormField,
  type FormMode,
} from './account-form-model';

const fieldLabels: Record<FormField, string> = {
  instagramAccountId: 'Instagram account id',
  username: 'Username',
  displayName: 'Display name',
  clientName: 'Client',
  brandColor: 'Brand colour',
  loginType: 'Meta setup',
  accessToken: 'Access token',
  appSecret: 'App secret',
  instagramAppSecret: 'Instagram app secret',
  timezone: 'Time zone',
  automationEnabled: 'Automation',
  hourlySendBudget: 'Hourly send budget',
  humanAgentAllowed: 'Human agent tag',
  businessHours: 'Opening hours',
};

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

let cachedZones: string[] | undefined;
function timeZones(): string[] {
  if (!cachedZones) {
    let zones: string[] = [];
    try {
      zones = Intl.supportedValuesOf('timeZone');
    } catch {
      // Older engines: the field still validates what is typed.
    }
    cachedZones = zones.includes('UTC') ? zones : ['UTC', ...zones];
  }
  return cachedZones;
}

type CredentialState = AccountView['credentials']['accessToken'];

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

/**
 * Adds or edits a client account, in a side panel. Every field is checked while staff type, with the same
 * schemas and words as the contract; what the core still refuses is shown next to the field it concerns.
 * Secrets live only in this component's state: they are gone when the panel closes.
 */
export function AccountForm(props: {
  mode: FormMode;
  clients: readonly ClientGroup[];
  onClose: () => void;
  onSaved: (account: AccountView, created: boolean) => void;
}) {
  const { mode } = props;
  const client = useClient();
  const editing = mode.kind === 'edit' ? mode.account : null;
  const [values, setValues] = useState<AccountFormValues>(() => initialValues(mode));
  const [touched, setTouched] = useState<ReadonlySet<FormField>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [colorChosen, setColorChosen] = useState(mode.kind === 'edit');
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [generalError, setGeneralError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const errors = useMemo(() => validate(values, mode), [values, mode]);
  const patch = editing ? toPatchInput(values, editing) : null;
  const invalidFields = formFields.filter((field) => errors[field]);
  const unchanged = editing !== null && patch === null;
  const canSave = invalidFields.length === 0 && !saving && !unchanged;

  const errorFor = (field: FormField): string | undefined =>
    ((showAll || touched.has(field)) && errors[field]) || serverErrors[field];

  const touch = (field: FormField) =>
    setTouched((current) => (current.has(field) ? current : new Set(current).add(field)));

  const set = <K extends keyof AccountFormValues>(field: K, value: AccountFormValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    // The opening-hours controls all answer for the one contract field.
    const formField: FormField | null =
      field === 'removeInstagramAppSecret'
        ? null
        : field === 'hoursSet' || field === 'week'
          ? 'businessHours'
          : field;
    if (!formField) return;
    touch(formField);
    setServerErrors((current) => {
      if (!(formField in current)) return current;
      const next = { ...current };
      delete next[formField];
      return next;
    });
  };

  const setDay = (day: number, change: Partial<DayHours>) =>
    set(
      'week',
      values.week.map((row, index) => (index === day ? { ...row, ...change } : row)),
    );
  const showHourErrors = showAll || touched.has('businessHours');
  const dayErrors = weekdays.map(({ day }) => {
    const row = values.week[day];
    return showHourErrors && values.hoursSet && row ? dayHoursError(row) : undefined;
  });
  const hiddenRanges = editing !== null && hasHiddenRanges(editing.settings.businessHours);

  const setClientName = (name: string) => {
    set('clientName', name);
    // Accounts of one client share its colour unless staff picked one on purpose.
    if (!colorChosen) {
      const known = props.clients.find((group) => group.name?.toLowerCase() === name.trim().toLowerCase());
      if (known?.color) setValues((current) => ({ ...current, clientName: name, brandColor: known.color }));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalidFields.length > 0) {
      setShowAll(true);
      document.getElementById(`field-${invalidFields[0]}`)?.querySelector<HTMLElement>('input')?.focus();
      return;
    }
    if (!canSave) return;
    setSaving(true);
    setGeneralError(null);
    const result = editing
      ? patch
        ? await client.call('accounts.update', patch)
        : null
      : await client.call('accounts.create', toCreateInput(values));
    setSaving(false);
    if (!result) return;
    if (result.ok) {
      // Forget the secrets at once; the panel closes next.
      setValues((current) => ({ ...current, accessToken: '', appSecret: '', instagramAppSecret: '' }));
      props.onSaved(result.value, !editing);
      return;
    }
    const mapped = errorsByField(result.error, formFields);
    setServerErrors(mapped.fields);
    setGeneralError(mapped.general);
  };

  const shownErrors = formFields.some((field) => errorFor(field));
  const footerNote = saving
    ? 'Saving…'
    : invalidFields.length > 0
      ? touched.size === 0 && !showAll
        ? 'Fill in the account’s details to save it.'
        : `Before saving, check: ${invalidFields.map((field) => fieldLabels[field]).join(', ')}.`
      : unchanged
        ? 'Nothing changed yet.'
        : 'Tokens and secrets are encrypted before they are stored.';

  const formId = 'account-form';
  const customColor =
    values.brandColor !== null &&
    !brandSwatches.some((swatch) => swatch.color.toLowerCase() === values.brandColor?.toLowerCase());
  const text = (
    field: 'username' | 'displayName' | 'clientName',
    ids: FieldIds,
    extra?: InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <input
      id={ids.input}
      className="input"
      value={values[field]}
      aria-invalid={ids.invalid || undefined}
      aria-describedby={ids.describedBy}
      onChange={(event) =>
        field === 'clientName' ? setClientName(event.target.value) : set(field, event.target.value)
      }
      onBlur={() => touch(field)}
      {...extra}
    />
  );

  return (
    <Dialog
      variant="drawer"
      title={editing ? `Edit @${editing.username}` : 'Add an Instagram account'}
      description={
        editing
          ? 'Change what you need. Leave a secret empty to keep the stored one.'
          : 'Everything is in Meta’s dashboard, under your app’s Instagram settings.'
      }
      onClose={props.onClose}
      footer={
        <>
          <p className={`dialog__note${shownErrors ? ' dialog__note--error' : ''}`}>{footerNote}</p>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={!canSave}>
            {saving ? (
              <LoaderCircle className="spin" size={15} aria-hidden />
            ) : (
              <Check size={15} aria-hidden />
            )}
            {editing ? 'Save changes' : 'Add account'}
          </button>
        </>
      }
    >
      <form id={formId} className="form" noValidate onSubmit={(event) => void submit(event)}>
        {generalError && (
          <p className="callout callout--error" role="alert">
            {generalError}
          </p>
        )}

        <section className="form__section" aria-labelledby="form-account">
          <h3 id="form-account" className="form__heading">
            Instagram account
          </h3>
          <div id="field-instagramAccountId">
            <Field
              label="Instagram account id"
              error={errorFor('instagramAccountId')}
              hint={
                editing
                  ? 'The id cannot change. To connect another Instagram account, add it as a new account.'
                  : 'The professional account’s user_id, a number (Meta’s dashboard → Instagram → API setup).'
              }
            >
              {(ids) => (
                <input
                  id={ids.input}
                  className="input input--mono"
                  inputMode="numeric"
                  autoComplete="off"
                  value={values.instagramAccountId}
                  readOnly={Boolean(editing)}
                  aria-invalid={ids.invalid || undefined}
                  aria-describedby={ids.describedBy}
                  onChange={(event) => set('instagramAccountId', event.target.value)}
                  onBlur={() => !editing && touch('instagramAccountId')}
                />
              )}
            </Field>
          </div>
          <div className="form__row">
            <div id="field-username">
              <Field label="Username" error={errorFor('username')}>
                {(ids) => (
                  <div className="input-prefix">
                    <span aria-hidden>@</span>
                    {text('username', ids, { autoComplete: 'off', spellCheck: false, placeholder: 'bakery' })}
                  </div>
                )}
              </Field>
            </div>
            <div id="field-displayName">
              <Field label="Display name" optional error={errorFor('displayName')}>
                {(ids) => text('displayName', ids, { placeholder: 'Rosie’s Bakery' })}
              </Field>
            </div>
          </div>
        </section>

        <section className="form__section" aria-labelledby="form-client">
          <h3 id="form-client" className="form__heading">
            Client
          </h3>
          <div id="field-clientName">
            <Field
              label="Client name"
              error={errorFor('clientName')}
              hint="Accounts of the same client are grouped together in the inbox and here."
            >
              {(ids) => (
                <>
                  {text('clientName', ids, { list: 'known-clients', autoComplete: 'off' })}
                  <datalist id="known-clients">
                    {props.clients.flatMap((group) =>
                      group.name ? [<option key={group.name} value={group.name} />] : [],
                    )}
                  </datalist>
                </>
              )}
            </Field>
          </div>
          <fieldset className="swatches" id="field-brandColor">
            <legend className="field__label">
              Brand colour <span className="field__optional">optional</span>
            </legend>
            <div className="swatches__list">
              {brandSwatches.map((swatch) => {
                const selected = values.brandColor?.toLowerCase() === swatch.color.toLowerCase();
                return (
                  <label key={swatch.color} className="swatch" title={swatch.name}>
                    <input
                      type="radio"
                      name="brand-colour"
                      className="visually-hidden"
                      checked={selected}
                      onChange={() => {
                        setColorChosen(true);
                        set('brandColor', swatch.color);
                      }}
                    />
                    <span className="swatch__chip" style={{ backgroundColor: swatch.color }}>
                      {selected && <Check size={14} strokeWidth={3} aria-hidden />}
                    </span>
                    <span className="visually-hidden">{swatch.name}</span>
                  </label>
                );
              })}
              <label
                className={`swatch swatch--custom${customColor ? ' swatch--custom-active' : ''}`}
                title="Custom colour"
              >
                <input
                  type="color"
                  className="swatch__picker"
                  value={values.brandColor ?? '#5b3df5'}
                  aria-label="Custom colour"
                  onChange={(event) => {
                    setColorChosen(true);
                    set('brandColor', event.target.value.toUpperCase());
                  }}
                />
                <span className="swatch__custom-label">Custom</span>
              </label>
              {values.brandColor && (
                <span className="swatches__value mono">{values.brandColor.toUpperCase()}</span>
              )}
            </div>
            {errorFor('brandColor') && (
              <p className="field__error" role="alert">
                {errorFor('brandColor')}
              </p>
            )}
          </fieldset>
        </section>

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
          <div id="field-accessToken">
            <Field
              label="Access token"
              error={errorFor('accessToken')}
              aside={editing && <StoredState state={editing.credentials.accessToken} />}
              hint={editing ? 'Leave empty to keep the stored token.' : 'A long-lived token; paste it whole.'}
            >
              {(ids) => (
                <SecretInput
                  ids={ids}
                  value={values.accessToken}
                  onChange={(value) => set('accessToken', value)}
                  revealLabel="access token"
                  placeholder={editing ? 'Stored — type to replace' : undefined}
                />
              )}
            </Field>
          </div>
          <div id="field-appSecret">
            <Field
              label="App secret"
              error={errorFor('appSecret')}
              aside={editing && <StoredState state={editing.credentials.appSecret} />}
              hint={
                editing
                  ? 'Leave empty to keep the stored secret.'
                  : '32 characters, from App settings → Basic. It checks that webhooks really come from Meta.'
              }
            >
              {(ids) => (
                <SecretInput
                  ids={ids}
                  value={values.appSecret}
                  onChange={(value) => set('appSecret', value)}
                  revealLabel="app secret"
                  placeholder={editing ? 'Stored — type to replace' : undefined}
                />
              )}
            </Field>
          </div>
          <div id="field-instagramAppSecret">
            <Field
              label="Instagram app secret"
              optional
              error={errorFor('instagramAppSecret')}
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
            >
              {(ids) => (
                <SecretInput
                  ids={ids}
                  value={values.instagramAppSecret}
                  onChange={(value) => set('instagramAppSecret', value)}
                  revealLabel="Instagram app secret"
                  disabled={values.removeInstagramAppSecret}
                  placeholder={
                    editing?.credentials.instagramAppSecret === 'present'
                      ? 'Stored — type to replace'
                      : undefined
                  }
                />
              )}
            </Field>
          </div>
        </section>

        <section className="form__section" aria-labelledby="form-settings">
          <h3 id="form-settings" className="form__heading">
            Settings
          </h3>
          <div className="form__row">
            <div id="field-timezone">
              <Field label="Time zone" error={errorFor('timezone')} hint="For business hours and reports.">
                {(ids) => (
                  <>
                    <input
                      id={ids.input}
                      className="input"
                      list="time-zones"
                      autoComplete="off"
                      spellCheck={false}
                      value={values.timezone}
                      aria-invalid={ids.invalid || undefined}
                      aria-describedby={ids.describedBy}
                      onChange={(event) => set('timezone', event.target.value)}
                      onPaste={(event) =>
                        keepPastedLineBreaks(event, values.timezone, (v) => set('timezone', v))
                      }
                      onBlur={() => touch('timezone')}
                    />
                    <datalist id="time-zones">
                      {timeZones().map((zone) => (
                        <option key={zone} value={zone} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
            </div>
            <div id="field-hourlySendBudget">
              <Field
                label="Hourly send budget"
                error={errorFor('hourlySendBudget')}
                hint="Most messages sent per hour; the rest wait."
              >
                {(ids) => (
                  <input
                    id={ids.input}
                    className="input"
                    inputMode="numeric"
                    value={values.hourlySendBudget}
                    aria-invalid={ids.invalid || undefined}
                    aria-describedby={ids.describedBy}
                    onChange={(event) => set('hourlySendBudget', event.target.value)}
                    onBlur={() => touch('hourlySendBudget')}
                  />
                )}
              </Field>
            </div>
          </div>
          <fieldset className="hours" id="field-businessHours">
            <legend className="field__label">Opening hours</legend>
            <label className="toggle">
              <input
                type="checkbox"
                role="switch"
                checked={values.hoursSet}
                onChange={(event) => set('hoursSet', event.target.checked)}
              />
              <span className="toggle__track" aria-hidden />
              <span>
                <span className="toggle__title">{values.hoursSet ? 'Set opening hours' : 'Always open'}</span>
                <span className="toggle__help">
                  {values.hoursSet
                    ? 'Rules can answer differently outside these hours, in this account’s time zone.'
                    : 'Turn on to set the days and hours this account is open.'}
                </span>
              </span>
            </label>
            {values.hoursSet && (
              <div className="hours__week">
                {weekdays.map(({ day, name }, index) => {
                  const row = values.week[day];
                  if (!row) return null;
                  const error = dayErrors[index];
                  const errorId = `hours-error-${day}`;
                  return (
                    <div key={day} className={`hours__day${row.open ? '' : ' hours__day--closed'}`}>
                      <label className="checkbox-inline hours__name">
                        <input
                          type="checkbox"
                          checked={row.open}
                          onChange={(event) => setDay(day, { open: event.target.checked })}
                        />
                        {name}
                      </label>
                      {row.open ? (
                        <span className="hours__times">
                          <input
                            type="time"
                            className="input hours__time"
                            value={row.start}
                            aria-label={`${name} opens at`}
                            aria-invalid={Boolean(error) || undefined}
                            aria-describedby={error ? errorId : undefined}
                            onChange={(event) => setDay(day, { start: event.target.value })}
                          />
                          <span className="hours__dash" aria-hidden>
                            –
                          </span>
                          <input
                            type="time"
                            className="input hours__time"
                            value={row.end}
                            aria-label={`${name} closes at`}
                            aria-invalid={Boolean(error) || undefined}
                            aria-describedby={error ? errorId : undefined}
                            onChange={(event) => setDay(day, { end: event.target.value })}
                          />
                        </span>
                      ) : (
                        <span className="hours__closed">Closed</span>
                      )}
                      {error && (
                        <p id={errorId} className="field__error hours__error" role="alert">
                          {error}
                        </p>
                      )}
                    </div>
                  );
                })}
              </div>
            )}
            {errorFor('businessHours') && !dayErrors.some(Boolean) && (
              <p className="field__error" role="alert">
                {errorFor('businessHours')}
              </p>
            )}
            {values.hoursSet && (
              <p className="field__hint">
                Closing at midnight (00:00, or 12:00 AM) keeps the day open to its end.
                {hiddenRanges && ' Some days had more than one range; changing the hours keeps one per day.'}
              </p>
            )}
          </fieldset>
          <label className="toggle">
            <input
              type="checkbox"
              role="switch"
              checked={values.automationEnabled}
              onChange={(event) => set('automationEnabled', event.target.checked)}
            />
            <span className="toggle__track" aria-hidden />
            <span>
              <span className="toggle__title">Answer automatically</span>
              <span className="toggle__help">
                This account’s rules reply to new messages. When off, every message waits for your team.
              </span>
            </span>
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              role="switch"
              checked={values.humanAgentAllowed}
              onChange={(event) => set('humanAgentAllowed', event.target.checked)}
            />
            <span className="toggle__track" aria-hidden />
            <span>
              <span className="toggle__title">Allow the human agent tag</span>
              <span className="toggle__help">
                Staff may reply up to 7 days after the customer’s last message instead of 24 hours. Only if
                Meta approved Human Agent for this app; automation never uses it.
              </span>
            </span>
          </label>
        </section>
      </form>
    </Dialog>
  );
}
