import type { RuleOutcome, TestOutcome, TraceEntry } from '../../../../shared/rules/index';

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

/** The outcome of a test: the rule that answers and its reply (or why nothing does), and the trace. */
export function TestResult({ result }: { result: TestOutcome }) {
  const { decision } = result;
  return (
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
  );
}
