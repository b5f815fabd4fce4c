import { FlaskConical, History, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { ContractError, MethodOutput } from '../../../../shared/contract';
import type { RuleEventType, RuleOutcome, TraceEntry } from '../../../../shared/rules/index';
import { useClient } from '../../app/client-context';
import { Field } from '../../components/field';
import { EVENT_TYPE_LABELS } from './rule-form-model';

const OUTCOME_LABELS: Record<RuleOutcome, string> = {
  matched: 'Answers',
  trigger_not_matched: 'No match',
  condition_failed: 'Condition failed',
  shadowed_by_higher: 'Higher rule answered',
  not_evaluated: 'Not checked',
  inactive: 'Switched off',
  compile_error: 'Cannot run',
  fallback_not_needed: 'Fallback not needed',
};

const NO_REPLY_LABELS: Record<string, string> = {
  ignored_event: 'This kind of event never triggers rules.',
  conversation_blocked: 'The conversation is blocked.',
  opt_out_set: 'The message is an opt-out word: automation stops for this person.',
  opted_out: 'This person opted out of automatic replies.',
  automation_paused: 'Automation is paused for this conversation.',
  human_takeover: 'A human is handling this conversation.',
  no_rule_matched: 'No rule matched this message.',
  render_failed: 'A rule matched but its reply could not be built.',
  engine_error: 'The rules could not run.',
};

function detailOf(entry: TraceEntry): string {
  const parts: string[] = [];
  if (entry.intentScore !== undefined) parts.push(`score ${entry.intentScore.toFixed(2)}`);
  if (entry.failedCondition) parts.push(`condition: ${entry.failedCondition}`);
  if (entry.captures)
    parts.push(
      Object.entries(entry.captures)
        .map(([k, v]) => `${k} = ${v ?? '—'}`)
        .join(', '),
    );
  return parts.join(' · ');
}

function localInputNow(): string {
  const now = new Date();
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 16);
}

type TestResult = MethodOutput<'rules.test'>;

/** "Type a message, see which rule fires": runs the account's draft rules in the core, no sending. */
export function TestPanel(props: { accountId: string }) {
  const client = useClient();
  const [text, setText] = useState('');
  const [eventType, setEventType] = useState<RuleEventType>('dm');
  const [at, setAt] = useState(localInputNow);
  const [firstMessage, setFirstMessage] = useState(false);
  const [senderName, setSenderName] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const [error, setError] = useState<ContractError | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    const when = at ? new Date(at) : null;
    const response = await client.call('rules.test', {
      accountId: props.accountId,
      text,
      eventType,
      firstMessage,
      ...(senderName.trim()
        ? {
            conversation: {
              name: senderName.trim(),
              username: senderName.trim().toLowerCase().replace(/\s+/g, '.'),
            },
          }
        : {}),
      ...(when && !Number.isNaN(when.getTime()) ? { at: when.toISOString() } : {}),
    });
    setBusy(false);
    if (response.ok) setResult(response.value);
    else {
      setResult(null);
      setError(response.error);
    }
  };

  const decision = result?.decision;
  return (
    <section className="card rules-panel" aria-labelledby="rules-test-heading">
      <h2 id="rules-test-heading" className="card__title card__title--icon">
        <FlaskConical size={16} aria-hidden />
        Test a message
      </h2>
      <p className="card__lead">Runs the drafts as they are saved. Nothing is sent.</p>
      <form
        className="rules-test__form"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
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
                  void run();
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
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy && <LoaderCircle className="spin" size={15} aria-hidden />}
            Test
          </button>
        </div>
      </form>
      {error && (
        <p className="callout callout--error" role="alert">
          {error.message}
        </p>
      )}
      {decision && result && (
        <div className="rules-test__result" aria-label="Test result" aria-live="polite">
          {decision.outcome === 'reply' ? (
            <div className="callout callout--ok">
              <div>
                <strong>“{decision.rule.name}” answers</strong>
                <p className="rules-test__reply">{result.reply}</p>
              </div>
            </div>
          ) : (
            <div className="callout callout--warn">
              <div>
                <strong>No automatic reply</strong>
                <p>
                  {NO_REPLY_LABELS[decision.reason] ?? decision.reason}
                  {decision.renderError ? ` ${decision.renderError.message}` : ''}
                </p>
              </div>
            </div>
          )}
          {decision.trace.notes.length > 0 && (
            <ul className="rules-test__notes">
              {decision.trace.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
          {result.compileErrors.length > 0 && (
            <ul className="rules-test__notes rules-test__notes--error">
              {result.compileErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
          <table className="rules-table" aria-label="Trace">
            <caption className="visually-hidden">Every rule considered and why</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Priority</th>
                <th scope="col">Outcome</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {decision.trace.entries.map((entry) => (
                <tr key={entry.ruleId} className={`rules-table__row--${entry.outcome}`}>
                  <th scope="row">
                    {entry.ruleName}
                    {entry.isFallback && <span className="rules-table__tag">fallback</span>}
                  </th>
                  <td>{entry.priority ?? '—'}</td>
                  <td>
                    <span className={`rules-outcome rules-outcome--${entry.outcome}`}>
                      {OUTCOME_LABELS[entry.outcome]}
                    </span>
                  </td>
                  <td>
                    {entry.reason}
                    {detailOf(entry) && <span className="rules-table__detail">{detailOf(entry)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {decision.trace.keywordRulesNotMatched > 0 && (
            <p className="card__note">
              {decision.trace.keywordRulesNotMatched} keyword rules had none of their keywords in the message.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

type ReplayResult = MethodOutput<'rules.replay'>;

/** Replays the draft over the account's stored messages: would fire vs did fire. */
export function ReplayPanel(props: { accountId: string; ruleNames: ReadonlyMap<string, string> }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    const response = await client.call('rules.replay', { accountId: props.accountId, limit: 200 });
    setBusy(false);
    if (response.ok) setResult(response.value);
    else setError(response.error.message);
  };

  const items = result ? result.items.filter((item) => !onlyChanged || item.changed) : [];
  return (
    <section className="card rules-panel" aria-labelledby="rules-replay-heading">
      <div className="card__head">
        <h2 id="rules-replay-heading" className="card__title card__title--icon">
          <History size={16} aria-hidden />
          Replay history
        </h2>
        <button type="button" className="button button--small" disabled={busy} onClick={() => void run()}>
          {busy && <LoaderCircle className="spin" size={14} aria-hidden />}
          {result ? 'Run again' : 'Replay last 200 messages'}
        </button>
      </div>
      <p className="card__lead">What the drafts would have answered, next to what was answered.</p>
      {error && (
        <p className="callout callout--error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className="rules-replay__summary" role="status">
            {result.summary.examined} messages · would reply to {result.summary.wouldReply} · replied to{' '}
            {result.summary.didReply} · <strong>{result.summary.changed} different</strong>
          </p>
          {result.items.length > 0 && (
            <label className="checkbox-inline">
              <input
                type="checkbox"
                checked={onlyChanged}
                onChange={(event) => setOnlyChanged(event.target.checked)}
              />
              Only differences
            </label>
          )}
          {items.length === 0 ? (
            <p className="card__note">
              {result.items.length === 0 ? 'No stored messages on this account yet.' : 'No differences.'}
            </p>
          ) : (
            <table className="rules-table" aria-label="Replay">
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Would fire</th>
                  <th scope="col">Did fire</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.messageId} className={item.changed ? 'rules-table__row--changed' : undefined}>
                    <th scope="row">
                      {item.text ?? <em>(no text)</em>}
                      <span className="rules-table__detail">{new Date(item.at).toLocaleString()}</span>
                    </th>
                    <td>
                      {item.draft.ruleName ?? <span className="rules-table__muted">nothing</span>}
                      {item.draft.reply && <span className="rules-table__detail">{item.draft.reply}</span>}
                    </td>
                    <td>
                      {item.actual ? (
                        ((item.actual.ruleId &&
                          (props.ruleNames.get(item.actual.ruleId) ?? item.actual.ruleId)) ?? (
                          <span className="rules-table__muted">{item.actual.outcome}</span>
                        ))
                      ) : (
                        <span className="rules-table__muted">not evaluated</span>
                      )}
                      {item.actual?.reply && <span className="rules-table__detail">{item.actual.reply}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
