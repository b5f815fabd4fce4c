import { LoaderCircle, Save } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { IntentDefinition, KeywordMode } from '../../../../shared/rules/index';
import { compilePattern, IntentClassifier, IntentDefinitionSchema } from '../../../../shared/rules/index';
import { useClient } from '../../app/client-context';
import { Field } from '../../components/field';
import { ChipsInput } from './chips-input';
import { errorAt, KEYWORD_MODE_LABELS, type FormErrors, type RuleForm } from './rule-form-model';

type Patch = (patch: Partial<RuleForm>) => void;

/** Every occurrence of a compiled pattern in a sample, with its named groups (at most 20 shown). */
function patternMatches(pattern: string, ignoreCase: boolean, sample: string) {
  const compiled = compilePattern(pattern, ignoreCase ? 'i' : '');
  if (!compiled.ok) return { ok: false as const, message: compiled.message };
  const matches: Array<{ text: string; groups: Record<string, string | null> }> = [];
  if (sample !== '') {
    const matcher = compiled.value.regex.matcher(sample);
    while (matches.length < 20 && matcher.find()) {
      const groups: Record<string, string | null> = {};
      for (const name of compiled.value.captureNames) groups[name] = matcher.group(name);
      matches.push({ text: matcher.group() ?? '', groups });
      if ((matcher.group() ?? '') === '') break;
    }
  }
  return { ok: true as const, captureNames: compiled.value.captureNames, matches };
}

function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function KeywordFields(props: { form: RuleForm; errors: FormErrors; patch: Patch }) {
  const { form, errors, patch } = props;
  return (
    <div className="form__row rules-form__keyword-row">
      <Field
        label="Keywords"
        hint="Press Enter or type a comma to add. Case, accents and emoji width are ignored."
        error={errorAt(errors, 'trigger.keywords')}
        className="rules-form__grow"
      >
        {(ids) => (
          <ChipsInput
            ids={ids}
            itemLabel="keyword"
            values={form.keywords}
            placeholder="e.g. price, opening hours"
            onChange={(keywords) => patch({ keywords })}
          />
        )}
      </Field>
      <Field label="Match as">
        {(ids) => (
          <select
            id={ids.input}
            className="input"
            value={form.keywordMode}
            onChange={(event) => patch({ keywordMode: event.target.value as KeywordMode })}
          >
            {Object.entries(KEYWORD_MODE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

export function PatternFields(props: {
  form: RuleForm;
  errors: FormErrors;
  patch: Patch;
  sample: string;
  onSample: (sample: string) => void;
}) {
  const { form, errors, patch } = props;
  const result = useMemo(
    () => (form.pattern === '' ? null : patternMatches(form.pattern, form.ignoreCase, props.sample)),
    [form.pattern, form.ignoreCase, props.sample],
  );
  return (
    <>
      <Field
        label="Pattern"
        hint={
          <>
            A regular expression (RE2: always fast, no look-arounds). Name a group{' '}
            <code>(?&lt;time&gt;…)</code> to use it in the reply as <code>{'{{capture.time}}'}</code>.
          </>
        }
        error={errorAt(errors, 'trigger.pattern') ?? errorAt(errors, 'trigger.flags')}
      >
        {(ids) => (
          <input
            id={ids.input}
            className="input input--mono"
            value={form.pattern}
            spellCheck={false}
            autoComplete="off"
            placeholder="e.g. order\s+#?(?<number>\d+)"
            aria-invalid={ids.invalid || undefined}
            aria-describedby={ids.describedBy}
            onChange={(event) => patch({ pattern: event.target.value })}
          />
        )}
      </Field>
      <label className="checkbox-inline">
        <input
          type="checkbox"
          checked={form.ignoreCase}
          onChange={(event) => patch({ ignoreCase: event.target.checked })}
        />
        Ignore upper/lower case
      </label>
      <Field label="Try it" hint="Type a message: the matches and their named groups appear below.">
        {(ids) => (
          <input
            id={ids.input}
            className="input"
            value={props.sample}
            placeholder="A message a customer might send"
            aria-describedby={ids.describedBy}
            onChange={(event) => props.onSample(event.target.value)}
          />
        )}
      </Field>
      {result && result.ok && props.sample !== '' && (
        <div className="rules-sample" role="status" aria-label="Pattern test result">
          {result.matches.length === 0 ? (
            <p className="rules-sample__none">No match: this message would not trigger the rule.</p>
          ) : (
            <ul className="rules-sample__list">
              {result.matches.map((match, index) => (
                <li key={index}>
                  <span className="rules-sample__label">Match {index + 1}</span>
                  <mark className="rules-sample__match">{match.text || '(empty)'}</mark>
                  {Object.entries(match.groups).map(([name, value]) => (
                    <span key={name} className="rules-sample__group">
                      {name} = <strong>{value ?? '—'}</strong>
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  );
}

export function IntentFields(props: {
  accountId: string;
  form: RuleForm;
  errors: FormErrors;
  patch: Patch;
  intents: { list: IntentDefinition[]; version: number } | null;
  onIntentsSaved: () => void;
  sample: string;
  onSample: (sample: string) => void;
}) {
  const { form, errors, patch, intents } = props;
  const client = useClient();
  const current = intents?.list.find((i) => i.name === form.intent) ?? null;
  const [examples, setExamples] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const examplesText = examples ?? current?.examples.join('\n') ?? '';
  const editedExamples = splitLines(examplesText);

  const score = useMemo(() => {
    const phrases = splitLines(examplesText);
    if (!form.intent || props.sample.trim() === '' || phrases.length === 0) return null;
    // The whole account's intents, as the engine sees them, with this one's edited phrases.
    const others = (intents?.list ?? []).filter((i) => i.name !== form.intent);
    const classifier = new IntentClassifier([...others, { name: form.intent, examples: phrases }]);
    return classifier.classify(props.sample).get(form.intent) ?? null;
  }, [form.intent, props.sample, examplesText, intents]);

  const check = IntentDefinitionSchema.safeParse({ name: form.intent, examples: editedExamples });
  const examplesError = form.intent && !check.success ? check.error.issues[0]?.message : undefined;

  const saveExamples = async () => {
    if (!intents || !check.success) return;
    setSaving(true);
    setSaveError(null);
    const others = intents.list.filter((i) => i.name !== form.intent);
    const result = await client.call('rules.setIntents', {
      accountId: props.accountId,
      expectedVersion: intents.version,
      intents: [...others, check.data],
    });
    setSaving(false);
    if (!result.ok) {
      setSaveError(
        result.error.code === 'CONFLICT'
          ? 'Someone else changed the intents meanwhile: close the editor and open it again to see theirs.'
          : result.error.message,
      );
      return;
    }
    setExamples(null);
    props.onIntentsSaved();
  };

  return (
    <>
      <div className="form__row">
        <Field
          label="Intent"
          hint="Pick one of the account's intents, or type a new name and give it example phrases."
          error={errorAt(errors, 'trigger.intent')}
          className="rules-form__grow"
        >
          {(ids) => (
            <>
              <input
                id={ids.input}
                className="input"
                list={`${ids.input}-intents`}
                value={form.intent}
                placeholder="e.g. opening hours"
                aria-invalid={ids.invalid || undefined}
                aria-describedby={ids.describedBy}
                onChange={(event) => {
                  setExamples(null);
                  patch({ intent: event.target.value });
                }}
              />
              <datalist id={`${ids.input}-intents`}>
                {intents?.list.map((i) => (
                  <option key={i.name} value={i.name} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          label={`Threshold: ${form.threshold.toFixed(2)}`}
          hint="Higher = only close paraphrases."
          error={errorAt(errors, 'trigger.threshold')}
        >
          {(ids) => (
            <input
              id={ids.input}
              type="range"
              className="rules-form__slider"
              min={0}
              max={1}
              step={0.05}
              value={form.threshold}
              aria-describedby={ids.describedBy}
              onChange={(event) => patch({ threshold: Number(event.target.value) })}
            />
          )}
        </Field>
      </div>
      {form.intent && (
        <Field
          label={`Example phrases for “${form.intent}”`}
          hint="One per line; five or more varied phrases work best. Saved for the whole account."
          error={examplesError ?? saveError ?? undefined}
          aside={
            <button
              type="button"
              className="button button--small"
              disabled={examples === null || !check.success || saving || !intents}
              onClick={() => void saveExamples()}
            >
              {saving ? (
                <LoaderCircle className="spin" size={14} aria-hidden />
              ) : (
                <Save size={14} aria-hidden />
              )}
              Save phrases
            </button>
          }
        >
          {(ids) => (
            <textarea
              id={ids.input}
              className="input rules-form__textarea"
              rows={4}
              value={examplesText}
              aria-invalid={ids.invalid || undefined}
              aria-describedby={ids.describedBy}
              onChange={(event) => setExamples(event.target.value)}
            />
          )}
        </Field>
      )}
      <Field label="Try it" hint="Type a message to see its score against the threshold.">
        {(ids) => (
          <input
            id={ids.input}
            className="input"
            value={props.sample}
            placeholder="e.g. are you open on sunday?"
            aria-describedby={ids.describedBy}
            onChange={(event) => props.onSample(event.target.value)}
          />
        )}
      </Field>
      {score && (
        <p
          className={`rules-score ${score.score >= form.threshold ? 'rules-score--pass' : 'rules-score--fail'}`}
          role="status"
        >
          Score <strong>{score.score.toFixed(2)}</strong> {score.score >= form.threshold ? '≥' : '<'}{' '}
          threshold {form.threshold.toFixed(2)}:{' '}
          {score.score >= form.threshold ? 'the rule would fire' : 'the rule would not fire'}
          {score.closestExample && <> (closest example: “{score.closestExample}”)</>}
        </p>
      )}
    </>
  );
}
