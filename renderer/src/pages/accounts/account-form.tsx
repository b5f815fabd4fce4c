import { Check, LoaderCircle } from 'lucide-react';
import { useMemo, useState, type FormEvent } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { Dialog } from '../../components/dialog';
import type { ClientGroup } from '../../lib/accounts';
import { errorsByField } from '../../lib/validation';
import {
  formFields,
  initialValues,
  toCreateInput,
  toPatchInput,
  validate,
  type AccountFormValues,
  type FormErrors,
  type FormField,
  type FormMode,
} from './account-form-model';

import type { FormControls } from './account-form-parts';
import { AccountClientSection } from './account-client-section';
import { AccountConnectionSection } from './account-connection-section';
import { AccountIdentitySection } from './account-identity-section';
import { AccountSettingsSection } from './account-settings-section';

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

  const showHourErrors = showAll || touched.has('businessHours');

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
  const form: FormControls = { values, editing, set, touch, errorFor };
  const chooseColor = (color: string) => {
    setColorChosen(true);
    set('brandColor', color);
  };

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

        <AccountIdentitySection form={form} />
        <AccountClientSection
          form={form}
          clients={props.clients}
          onClientName={setClientName}
          onColor={chooseColor}
        />
        <AccountConnectionSection form={form} />
        <AccountSettingsSection form={form} showHourErrors={showHourErrors} />
      </form>
    </Dialog>
  );
}
