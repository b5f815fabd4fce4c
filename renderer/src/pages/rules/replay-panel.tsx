import { History, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';

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
