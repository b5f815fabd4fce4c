import { LoaderCircle } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { AccountView, ContractError, RuleView } from '../../../../shared/contract';
import { currentVersionOf } from '../../../../shared/contract/rules';
import type { IntentDefinition } from '../../../../shared/rules/index';
import { useClient } from '../../app/client-context';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { ConditionFields } from './condition-fields';
import { isUnreachable, type PendingEdit } from '../../../../shared/rules/offline-edits';
import { PreviewSourcePicker, usePreviewSource } from './preview-source';
import { ResponseFields } from './response-fields';
import {
  emptyForm,
  formFromBody,
  formFromRule,
  toBody,
  validateForm,
  type RuleForm,
  type TriggerKind,
} from './rule-form-model';
import { useTestRunner, type RuleSettingsView } from './rule-set-model';
import { TestPanel } from './test-panel';
import { IntentFields, KeywordFields, PatternFields } from './trigger-fields';
import type { OfflineEditsState } from './use-offline-edits';
import { VersionConflictDialog, type VersionConflict } from './version-conflict-dialog';

const TRIGGERS: Array<{ value: TriggerKind; label: string; help: string }> = [
  { value: 'keyword', label: 'Keyword', help: 'Words or phrases in the message' },
  { value: 'pattern', label: 'Pattern', help: 'A regular expression, with captures' },
  { value: 'intent', label: 'Intent', help: 'What the message means, from examples' },
];

/**
 * Creating or editing one rule, validated as you type with the engine's own schema, tested before
 * saving with the same engine (works offline). A save against a stale version opens "someone else
 * changed this rule"; a save while the database is unreachable is kept on this computer.
 */
export function RuleEditor(props: {
  account: AccountView;
  rules: readonly RuleView[];
  settings: RuleSettingsView | null;
  view: RuleView | null;
  /** This rule's edit kept on this computer, if any (restored into the form). */
  pending: PendingEdit | null;
  offline: Pick<OfflineEditsState, 'keep' | 'discard'>;
  newPriority: number;
  newPosition: number;
  intents: { list: IntentDefinition[]; version: number } | null;
  onIntentsSaved: () => void;
  onClose: () => void;
  onSaved: (view: RuleView, created: boolean) => void;
  onSavedOffline: (edit: PendingEdit) => void;
}) {
  const client = useClient();
  const { pending } = props;
  const accountId = props.account.id;
  const creating = props.view === null;
  const [form, setForm] = useState<RuleForm>(() => {
    const stored = props.view ? formFromRule(props.view) : emptyForm(props.newPriority, props.newPosition);
    return pending ? formFromBody(pending.ruleId, pending.rule, stored) : stored;
  });
  const [version, setVersion] = useState(pending?.baseVersion ?? props.view?.version ?? 0);
  const [touched, setTouched] = useState(false);
  const [sample, setSample] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ContractError | null>(null);
  const [conflict, setConflict] = useState<VersionConflict | null>(pending?.conflict ?? null);

  const intentNames = useMemo(() => props.intents?.list.map((i) => i.name) ?? null, [props.intents]);
  const validation = useMemo(() => validateForm(form, intentNames), [form, intentNames]);
  // Before the first change or save attempt, only show problems with what was typed, not empty fields.
  const errors = touched ? validation.errors : new Map<string, string>();
  const patch = (change: Partial<RuleForm>) => {
    setForm((current) => ({ ...current, ...change }));
    setTouched(true);
  };
  const body = useMemo(() => toBody(form), [form]);
  const draftRule = useMemo(() => ({ ...body, ...(form.id ? { id: form.id } : {}) }), [body, form.id]);
  const runner = useTestRunner(props.account, props.settings, props.rules, draftRule);
  const preview = usePreviewSource(props.account, props.settings?.variables ?? {});

  const save = async (againstVersion: number) => {
    setTouched(true);
    if (validation.all.length > 0) return;
    setSaving(true);
    setSaveError(null);
    // A rule created offline keeps the id chosen here, so a retry never creates it twice.
    const newId = creating ? (pending?.ruleId ?? null) : null;
    const result = creating
      ? await client.call('rules.create', { accountId, rule: newId ? { ...body, id: newId } : body })
      : await client.call('rules.update', { id: form.id ?? '', expectedVersion: againstVersion, rule: body });
    setSaving(false);
    if (result.ok) {
      if (pending) props.offline.discard(pending.ruleId);
      props.onSaved(result.value, creating);
      return;
    }
    if (isUnreachable(result.error)) {
      const kept = props.offline.keep({
        accountId,
        ruleId: creating ? (newId ?? crypto.randomUUID()) : (form.id ?? ''),
        isNew: creating,
        baseVersion: creating ? 0 : againstVersion,
        rule: body,
        name: form.name,
      });
      props.onSavedOffline(kept);
      return;
    }
    if (result.error.code === 'CONFLICT' && !creating) {
      setConflict({ currentVersion: currentVersionOf(result.error), message: result.error.message });
      return;
    }
    setSaveError(result.error);
  };

  const reloadTheirs = async () => {
    if (!form.id) return;
    const result = await client.call('rules.get', { id: form.id });
    if (!result.ok) {
      setConflict(null);
      setSaveError(result.error);
      return;
    }
    if (pending) props.offline.discard(pending.ruleId);
    setForm(formFromRule(result.value));
    setVersion(result.value.version);
    setConflict(null);
  };

  const title = props.view ? `Edit “${props.view.name}”` : 'New rule';
  return (
    <>
      <Dialog
        title={title}
        description="Checked as you type with the same rules the app runs — no network needed."
        variant="drawer"
        className="rules-editor"
        onClose={props.onClose}
        footer={
          <>
            <p
              className={`dialog__note${validation.all.length > 0 && touched ? ' dialog__note--error' : ''}`}
            >
              {touched && validation.all.length > 0
                ? `${validation.all.length} thing${validation.all.length > 1 ? 's' : ''} to fix before saving`
                : 'Saved as a draft: publish it to answer customers.'}
            </p>
            <button type="button" className="button" onClick={props.onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--primary"
              disabled={saving || (touched && validation.all.length > 0)}
              onClick={() => void save(version)}
            >
              {saving && <LoaderCircle className="spin" size={15} aria-hidden />}
              Save draft
            </button>
          </>
        }
      >
        <form
          className="form rules-form"
          aria-label={title}
          onSubmit={(event) => {
            event.preventDefault();
            void save(version);
          }}
        >
          {pending && !conflict && (
            <div className="callout callout--warn" role="status">
              <div>
                <strong>Restored your changes saved on this computer</strong>
                <p>
                  They are not in the database yet
                  {pending.isNew ? '' : ` (edited from version ${pending.baseVersion})`}. Save to try again.
                </p>
              </div>
            </div>
          )}
          {saveError && (
            <div className="callout callout--error" role="alert">
              <div>
                <strong>The rule was not saved</strong>
                <p>{saveError.message}</p>
                {saveError.issues && saveError.issues.length > 0 && (
                  <ul>
                    {saveError.issues.map((issue) => (
                      <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          )}
          <Field label="Name" error={errors.get('name')} hint="Staff see it in the list and in traces.">
            {(ids) => (
              <input
                id={ids.input}
                className="input"
                value={form.name}
                placeholder="e.g. Opening hours"
                data-autofocus
                aria-invalid={ids.invalid || undefined}
                aria-describedby={ids.describedBy}
                onChange={(event) => patch({ name: event.target.value })}
              />
            )}
          </Field>

          <section className="form__section" aria-labelledby="rules-trigger-heading">
            <h3 id="rules-trigger-heading" className="form__heading">
              When a message…
            </h3>
            <div className="rules-trigger-tabs" role="radiogroup" aria-label="Trigger type">
              {TRIGGERS.map((trigger) => (
                <label
                  key={trigger.value}
                  className={`rules-trigger-tab${form.trigger === trigger.value ? ' rules-trigger-tab--selected' : ''}`}
                >
                  <input
                    type="radio"
                    name="trigger"
                    value={trigger.value}
                    checked={form.trigger === trigger.value}
                    onChange={() => patch({ trigger: trigger.value })}
                  />
                  <span className="rules-trigger-tab__title">{trigger.label}</span>
                  <span className="rules-trigger-tab__help">{trigger.help}</span>
                </label>
              ))}
            </div>
            {errors.get('trigger') && (
              <p className="field__error" role="alert">
                {errors.get('trigger')}
              </p>
            )}
            {form.trigger === 'keyword' && <KeywordFields form={form} errors={errors} patch={patch} />}
            {form.trigger === 'pattern' && (
              <PatternFields form={form} errors={errors} patch={patch} sample={sample} onSample={setSample} />
            )}
            {form.trigger === 'intent' && (
              <IntentFields
                accountId={accountId}
                form={form}
                errors={errors}
                patch={patch}
                intents={props.intents}
                onIntentsSaved={props.onIntentsSaved}
                sample={sample}
                onSample={setSample}
              />
            )}
            <label className="checkbox-inline">
              <input
                type="checkbox"
                checked={form.isFallback}
                onChange={(event) => patch({ isFallback: event.target.checked })}
              />
              Fallback: answer only when no other rule matched
            </label>
          </section>

          <section className="form__section" aria-labelledby="rules-conditions-heading">
            <h3 id="rules-conditions-heading" className="form__heading">
              …and these conditions hold
            </h3>
            <ConditionFields form={form} errors={errors} patch={patch} />
          </section>

          <section className="form__section" aria-labelledby="rules-response-heading">
            <h3 id="rules-response-heading" className="form__heading">
              Reply with
            </h3>
            <ResponseFields
              form={form}
              errors={errors}
              patch={patch}
              sample={sample}
              preview={preview.data}
              previewPicker={
                <PreviewSourcePicker
                  rows={preview.rows}
                  selectedId={preview.selectedId}
                  onChoose={preview.choose}
                  data={preview.data}
                />
              }
            />
          </section>
          {touched && validation.all.length > 0 && (
            <div className="callout callout--error rules-form__summary">
              <div>
                <strong>Before saving</strong>
                <ul>
                  {validation.all.map((message) => (
                    <li key={message}>{message}</li>
                  ))}
                </ul>
              </div>
            </div>
          )}
        </form>
        <TestPanel
          runner={runner}
          title="Test this rule before saving"
          lead="Runs the account's rules with this rule exactly as the form shows it, on this computer. Nothing is saved or sent."
          className="rules-editor__test"
        />
      </Dialog>
      {conflict && (
        <VersionConflictDialog
          conflict={conflict}
          offline={props.pending !== null}
          onKeepEditing={() => setConflict(null)}
          onReloadTheirs={() => void reloadTheirs()}
          onOverwrite={(current) => {
            setConflict(null);
            setVersion(current);
            void save(current);
          }}
        />
      )}
    </>
  );
}
