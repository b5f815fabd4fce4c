import { LoaderCircle, RotateCw, Workflow } from 'lucide-react';
import type { RuleView } from '../../../../shared/contract';
import type { RuleConflict } from '../../../../shared/rules/index';
import type { QueryState } from '../../app/client-context';
import { EmptyState } from '../../components/empty-state';
import { RuleList } from './rule-list';

/** The account's rules in evaluation order, or what stands in for them (loading, error, none yet). */
export function RulesListSection(props: {
  list: QueryState<{ rules: RuleView[]; accountErrors: string[]; intentErrors: string[] }>;
  conflicts: RuleConflict[];
  busy: boolean;
  onRetry: () => void;
  onMove: (from: number, to: number) => void;
  onToggle: (view: RuleView, active: boolean) => void;
  onEdit: (view: RuleView) => void;
  onDelete: (view: RuleView) => void;
}) {
  const { list } = props;
  if (list.status === 'loading')
    return (
      <div className="page-loading" role="status">
        <LoaderCircle className="spin" size={20} aria-hidden />
        Loading rules…
      </div>
    );
  if (list.status === 'error')
    return (
      <div className="callout callout--error" role="alert">
        <div>
          <strong>The rules could not be loaded</strong>
          <p>{list.error.message}</p>
        </div>
        <button type="button" className="button button--small" onClick={props.onRetry}>
          <RotateCw size={14} aria-hidden />
          Try again
        </button>
      </div>
    );
  if (list.value.rules.length === 0)
    return (
      <EmptyState
        icon={Workflow}
        title="No rules yet"
        steps={[
          'Write a rule: a keyword, a pattern or an intent, and the reply.',
          'Test it with a sample message — no network needed.',
          'Publish it: from then on it answers customers by itself.',
        ]}
      >
        <p>Rules answer common questions by themselves and step aside as soon as a person replies.</p>
      </EmptyState>
    );
  return (
    <>
      {[...list.value.accountErrors, ...list.value.intentErrors].map((message) => (
        <p key={message} className="callout callout--warn">
          {message}
        </p>
      ))}
      <RuleList
        rules={list.value.rules}
        conflicts={props.conflicts}
        busy={props.busy}
        onMove={props.onMove}
        onToggle={props.onToggle}
        onEdit={props.onEdit}
        onDelete={props.onDelete}
      />
      <p className="card__note">
        Checked from top to bottom: the first rule that matches answers. Drag a rule, or use its arrows, to
        change the order.
      </p>
    </>
  );
}
