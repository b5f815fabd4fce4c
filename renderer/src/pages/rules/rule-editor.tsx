import { LoaderCircle } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { ContractError, RuleView } from '../../../../shared/contract';
import { currentVersionOf } from '../../../../shared/contract/rules';
import type { IntentDefinition } from '../../../../shared/rules/index';
import { useClient } from '../../app/client-context';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { ConditionFields } from './condition-fields';
import { ResponseFields } from './response-fields';
import {
  emptyForm,
  formFromRule,
  toBody,
  validateForm,
  type RuleForm,
  type TriggerKind,
} from './rule-form-model';
import { IntentFields, KeywordFields, PatternFields } from './trigger-fields';

const TRIGGERS: Array<{ value: TriggerKind; label: string; help: string }> = [
  { value: 'keyword', label: 'Keyword', help: 'Words or phrases in the message' },
  { value: 'pattern', label: 'Pattern', help: 'A regular expression, with captures' },
  { value: 'intent', label: 'Intent', help: 'What the message means, from examples' },
];

interface Conflict {
  currentVersion: number | null;
  message: string;
}

/**
 * Creating or editing one rule, validated as you type with the engine's own schema (works offline). A
 * save against a stale version opens "someone else changed this rule": reload theirs or overwrite.
 */
export function RuleEditor(props: {
  accountId: string;
  account: { name: string; username: string };
  view: RuleView | null;
  newPriority: number;
  newPosition: number;
  intents: { list: IntentDefinition[]; version: number } | null;
  onIntentsSaved: () => void;
  onClose: () => void;
  onSaved: (view: RuleView, created: boolean) => void;
}) {
  const client = useClient();
  const [form, setForm] = useState<RuleForm>(() =>
    props.view ? formFromRule(props.view) : emptyForm(props.newPriority, props.newPosition),
  );
  const [version, setVersion] = useState(props.view?.version ?? 0);
  const [touched, setTouched] = useState(false);
  const [sample, setSample] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ContractError | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const intentNames = useMemo(() => props.intents?.list.map((i) => i.name) ?? null, [props.intents]);
  const validation = useMemo(() => validateForm(form, intentNames), [form, intentNames]);
  // Before the first change or save attempt, only show problems with what was typed, not empty fields.
  const errors = touched ? validation.errors : new Map<string, string>();
  const patch = (change: Partial<RuleForm>) => {
    setForm((current) => ({ ...current, ...change }));
    setTouched(true);
  };

  const save = async (againstVersion: number) => {
    setTouched(true);
    if (validation.all.length > 0) return;
    setSaving(true);
    setSaveError(null);
    const body = toBody(form);
    const result = form.id
      ? await client.call('rules.update', { id: form.id, expectedVersion: againstVersion, rule: body })
      : await client.call('rules.create', { accountId: props.accountId, rule: body });
    setSaving(false);
    if (result.ok) {
      props.onSaved(result.value, form.id === null);
      return;
    }
    if (result.error.code === 'CONFLICT' && form.id) {
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
                accountId={props.accountId}
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
              account={props.account}
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
      </Dialog>
      {conflict && (
        <Dialog
          title="Someone else changed this rule"
          className="rules-version-conflict"
          role="alertdialog"
          onClose={() => setConflict(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConflict(null)}>
                Keep editing
              </button>
              <button type="button" className="button" onClick={() => void reloadTheirs()} data-autofocus>
                Reload their version
              </button>
              <button
                type="button"
                className="button button--danger"
                disabled={conflict.currentVersion === null}
                onClick={() => {
                  const current = conflict.currentVersion;
                  setConflict(null);
                  if (current !== null) {
                    setVersion(current);
                    void save(current);
                  }
                }}
              >
                Overwrite with mine
              </button>
            </>
          }
        >
          <div className="confirm__body">
            <p>
              While you were editing, this rule was saved from another workstation
              {conflict.currentVersion !== null ? ` (now version ${conflict.currentVersion})` : ''}. Nothing
              was overwritten.
            </p>
            <p>
              <strong>Reload their version</strong> discards your changes here;{' '}
              <strong>Overwrite with mine</strong> replaces theirs with what you see in the form.
            </p>
          </div>
        </Dialog>
      )}
    </>
  );
}
