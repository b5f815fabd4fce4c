import type { RuleEventType } from '../../../../shared/rules/index';
import { Field } from '../../components/field';
import { ChipsInput } from './chips-input';
import { errorAt, EVENT_TYPE_LABELS, type FormErrors, type RuleForm } from './rule-form-model';

type Patch = (patch: Partial<RuleForm>) => void;

/** Conditions as a form: every field of the schema's conditions, never raw JSON. */
export function ConditionFields(props: { form: RuleForm; errors: FormErrors; patch: Patch }) {
  const { form, errors, patch } = props;
  const eventError = errorAt(errors, 'conditions.eventTypes');
  return (
    <>
      <fieldset
        className="rules-form__fieldset"
        aria-describedby={eventError ? 'rules-events-error' : undefined}
      >
        <legend className="field__label">Answers these events</legend>
        <div className="rules-form__checks">
          {(Object.keys(EVENT_TYPE_LABELS) as RuleEventType[]).map((type) => (
            <label key={type} className="checkbox-inline">
              <input
                type="checkbox"
                checked={form.eventTypes.includes(type)}
                onChange={(event) =>
                  patch({
                    eventTypes: event.target.checked
                      ? [...form.eventTypes, type]
                      : form.eventTypes.filter((t) => t !== type),
                  })
                }
              />
              {EVENT_TYPE_LABELS[type]}
            </label>
          ))}
        </div>
        {eventError && (
          <p id="rules-events-error" className="field__error" role="alert">
            {eventError}
          </p>
        )}
      </fieldset>
      <div className="form__row">
        <label className="checkbox-inline">
          <input
            type="checkbox"
            checked={form.firstMessageOnly}
            onChange={(event) => patch({ firstMessageOnly: event.target.checked })}
          />
          Only the first message of a conversation
        </label>
      </div>
      <div className="form__row">
        <Field
          label="Business hours"
          hint="The account's opening hours, in its time zone."
          error={errorAt(errors, 'conditions.businessHours')}
        >
          {(ids) => (
            <select
              id={ids.input}
              className="input"
              value={form.businessHours}
              aria-describedby={ids.describedBy}
              onChange={(event) => patch({ businessHours: event.target.value as RuleForm['businessHours'] })}
            >
              <option value="any">Any time</option>
              <option value="open">Only while open</option>
              <option value="closed">Only while closed</option>
            </select>
          )}
        </Field>
        <Field
          label="Pause after a human reply"
          optional
          hint="Minutes; empty = the account's setting."
          error={errorAt(errors, 'conditions.humanPauseMinutes')}
        >
          {(ids) => (
            <input
              id={ids.input}
              className="input"
              inputMode="numeric"
              value={form.humanPauseMinutes}
              placeholder="Account default"
              aria-invalid={ids.invalid || undefined}
              aria-describedby={ids.describedBy}
              onChange={(event) => patch({ humanPauseMinutes: event.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="form__row">
        <Field
          label="Cooldown per person"
          optional
          hint="Minutes before this rule answers the same person again."
          error={errorAt(errors, 'conditions.cooldown.perPersonSeconds')}
        >
          {(ids) => (
            <input
              id={ids.input}
              className="input"
              inputMode="decimal"
              value={form.cooldownPerPersonMinutes}
              placeholder="None"
              aria-invalid={ids.invalid || undefined}
              aria-describedby={ids.describedBy}
              onChange={(event) => patch({ cooldownPerPersonMinutes: event.target.value })}
            />
          )}
        </Field>
        <Field
          label="Cooldown per account"
          optional
          hint="Minutes before this rule answers anyone again."
          error={errorAt(errors, 'conditions.cooldown.perAccountSeconds')}
        >
          {(ids) => (
            <input
              id={ids.input}
              className="input"
              inputMode="decimal"
              value={form.cooldownPerAccountMinutes}
              placeholder="None"
              aria-invalid={ids.invalid || undefined}
              aria-describedby={ids.describedBy}
              onChange={(event) => patch({ cooldownPerAccountMinutes: event.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="form__row">
        <Field
          label="Only conversations labelled"
          optional
          hint="Any of these labels."
          error={errorAt(errors, 'conditions.labels.any')}
          className="rules-form__grow"
        >
          {(ids) => (
            <ChipsInput
              ids={ids}
              itemLabel="label"
              values={form.labelsAny}
              onChange={(labelsAny) => patch({ labelsAny })}
            />
          )}
        </Field>
        <Field
          label="Never conversations labelled"
          optional
          error={errorAt(errors, 'conditions.labels.none')}
          className="rules-form__grow"
        >
          {(ids) => (
            <ChipsInput
              ids={ids}
              itemLabel="label"
              values={form.labelsNone}
              onChange={(labelsNone) => patch({ labelsNone })}
            />
          )}
        </Field>
      </div>
    </>
  );
}
