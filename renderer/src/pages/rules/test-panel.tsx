import { FlaskConical } from 'lucide-react';
import { useId, useState } from 'react';
import type { RuleEventType, TestOutcome } from '../../../../shared/rules/index';
import { Field } from '../../components/field';
import { EVENT_TYPE_LABELS } from './rule-form-model';
import type { TestRunner } from './rule-set-model';
import { TestResult } from './test-result';

function localInputNow(): string {
  const now = new Date();
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 16);
}

/**
 * "Type a message, see which rule fires": runs the account's working copies (and, in the editor, the
 * unsaved rule) with the shared engine right here in the window — no database, no network, nothing sent.
 */
export function TestPanel(props: {
  runner: TestRunner | null;
  title: string;
  lead: string;
  runTitle?: string;
  className?: string;
}) {
  const headingId = useId();
  const [text, setText] = useState('');
  const [eventType, setEventType] = useState<RuleEventType>('dm');
  const [at, setAt] = useState(localInputNow);
  const [firstMessage, setFirstMessage] = useState(false);
  const [senderName, setSenderName] = useState('');
  const [result, setResult] = useState<TestOutcome | null>(null);

  const run = () => {
    if (!props.runner) return;
    const when = at ? new Date(at).getTime() : Number.NaN;
    const name = senderName.trim();
    setResult(
      props.runner({
        text,
        eventType,
        firstMessage,
        at: Number.isNaN(when) ? Date.now() : when,
        ...(name ? { conversation: { name, username: name.toLowerCase().replace(/\s+/g, '.') } } : {}),
      }),
    );
  };

  return (
    <section
      className={`card rules-panel${props.className ? ` ${props.className}` : ''}`}
      aria-labelledby={headingId}
    >
      <h2 id={headingId} className="card__title card__title--icon">
        <FlaskConical size={16} aria-hidden />
        {props.title}
      </h2>
      <p className="card__lead">{props.lead}</p>
      <form
        className="rules-test__form"
        onSubmit={(event) => {
          event.preventDefault();
          run();
        }}
      >
        <Field label="Message">
          {(ids) => (
            <textarea
              id={ids.input}
              className="input rules-form__textarea"
              rows={2}
              value={text}
              placeholder="e.g. What are your opening hours?"
              onChange={(event) => setText(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault();
                  run();
                }
              }}
            />
          )}
        </Field>
        <div className="form__row">
          <Field label="Event">
            {(ids) => (
              <select
                id={ids.input}
                className="input"
                value={eventType}
                onChange={(event) => setEventType(event.target.value as RuleEventType)}
              >
                {Object.entries(EVENT_TYPE_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Arrives at">
            {(ids) => (
              <input
                id={ids.input}
                type="datetime-local"
                className="input"
                value={at}
                onChange={(event) => setAt(event.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Sender's name" optional hint="Fills {{name}}, {{first_name}} and {{username}}.">
          {(ids) => (
            <input
              id={ids.input}
              className="input"
              value={senderName}
              placeholder="e.g. María López"
              aria-describedby={ids.describedBy}
              onChange={(event) => setSenderName(event.target.value)}
            />
          )}
        </Field>
        <div className="button-row">
          <label className="checkbox-inline">
            <input
              type="checkbox"
              checked={firstMessage}
              onChange={(event) => setFirstMessage(event.target.checked)}
            />
            First message of the conversation
          </label>
          <button type="submit" className="button button--primary" disabled={!props.runner}>
            {props.runTitle ?? 'Test'}
          </button>
        </div>
      </form>
      {!props.runner && (
        <p className="card__note" role="status">
          The rules are still loading…
        </p>
      )}
      {result && <TestResult result={result} />}
    </section>
  );
}
