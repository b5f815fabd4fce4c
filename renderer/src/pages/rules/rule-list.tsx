import { AlertTriangle, ArrowDown, ArrowUp, GripVertical, Pencil, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { RuleView } from '../../../../shared/contract';
import type { RuleConflict } from '../../../../shared/rules/index';
import { Badge } from '../../components/badge';
import { KEYWORD_MODE_LABELS } from './rule-form-model';

function triggerSummary(view: RuleView): string {
  const rule = view.rule;
  if (!rule) return 'Stored before the editor existed: open it and save it again';
  const trigger = rule.trigger;
  const prefix = rule.isFallback ? 'Fallback · ' : '';
  if (!trigger) return `${prefix}any message nothing else answered`;
  if (trigger.type === 'keyword')
    return `${prefix}${KEYWORD_MODE_LABELS[trigger.mode]}: ${trigger.keywords.map((k) => `“${k}”`).join(', ')}`;
  if (trigger.type === 'pattern') return `${prefix}Pattern /${trigger.pattern}/${trigger.flags}`;
  return `${prefix}Intent “${trigger.intent}” ≥ ${trigger.threshold.toFixed(2)}`;
}

function suppressedTotal(view: RuleView): number {
  return Object.values(view.counters.suppressed).reduce((sum, n) => sum + n, 0);
}

/** Warnings that concern a rule, in words: the engine's message, or what it does to the rule it hides. */
export function conflictsFor(
  conflicts: readonly RuleConflict[],
  id: string,
  names: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  for (const c of conflicts) {
    if (c.ruleId === id || (c.kind === 'same_keyword' && c.otherRuleId === id)) out.push(c.message);
    else if (c.kind === 'never_fires' && c.byRuleId === id)
      out.push(
        `Always answers before “${names.get(c.ruleId) ?? c.ruleId}” (keyword "${c.keyword}"), so that rule never fires`,
      );
  }
  return [...new Set(out)];
}

/**
 * The account's rules in evaluation order (first = highest priority). Reorder by dragging a row, or
 * with its move up / move down buttons from the keyboard.
 */
export function RuleList(props: {
  rules: readonly RuleView[];
  conflicts: readonly RuleConflict[];
  busy: boolean;
  onMove: (from: number, to: number) => void;
  onToggle: (view: RuleView, active: boolean) => void;
  onEdit: (view: RuleView) => void;
  onDelete: (view: RuleView) => void;
}) {
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const names = new Map(props.rules.map((r) => [r.id, r.name]));
  return (
    <ol className="rule-list" aria-label="Rules in priority order">
      {props.rules.map((view, index) => {
        const ruleConflicts = conflictsFor(props.conflicts, view.id, names);
        const suppressed = suppressedTotal(view);
        const suppressedDetail = Object.entries(view.counters.suppressed)
          .map(([reason, n]) => `${reason}: ${n}`)
          .join(', ');
        return (
          <li
            key={view.id}
            className={`rule-row${dragged === index ? ' rule-row--dragging' : ''}${
              over === index && dragged !== null && dragged !== index
                ? dragged < index
                  ? ' rule-row--drop-after'
                  : ' rule-row--drop-before'
                : ''
            }${view.isActive ? '' : ' rule-row--inactive'}`}
            draggable={!props.busy}
            aria-label={view.name}
            data-rule-id={view.id}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData('text/plain', view.id);
              setDragged(index);
            }}
            onDragOver={(event) => {
              if (dragged === null) return;
              event.preventDefault();
              event.dataTransfer.dropEffect = 'move';
              if (over !== index) setOver(index);
            }}
            onDrop={(event) => {
              event.preventDefault();
              if (dragged !== null && dragged !== index) props.onMove(dragged, index);
              setDragged(null);
              setOver(null);
            }}
            onDragEnd={() => {
              setDragged(null);
              setOver(null);
            }}
          >
            <span className="rule-row__grip" aria-hidden title="Drag to reorder">
              <GripVertical size={16} />
            </span>
            <span className="rule-row__rank" title="Evaluation order (1 = checked first)">
              {index + 1}
            </span>
            <div className="rule-row__main">
              <div className="rule-row__head">
                <button
                  type="button"
                  className="rule-row__name link-button"
                  onClick={() => props.onEdit(view)}
                >
                  {view.name}
                </button>
                {view.status === 'draft' ? (
                  <Badge
                    tone="warn"
                    title={
                      view.publishedVersion === null
                        ? 'Never published: it does not answer customers yet'
                        : 'Changed since it was published: customers get the published version'
                    }
                  >
                    {view.publishedVersion === null ? 'Draft' : 'Draft changes'}
                  </Badge>
                ) : (
                  <Badge tone="ok">Published</Badge>
                )}
                {!view.isActive && (
                  <Badge tone="idle" title="Switched off: it answers nothing">
                    Off
                  </Badge>
                )}
              </div>
              <p className="rule-row__trigger">{triggerSummary(view)}</p>
              <dl className="rule-row__counters" aria-label="Counters">
                <div>
                  <dt>Matched</dt>
                  <dd>{view.counters.matched}</dd>
                </div>
                <div>
                  <dt>Answered</dt>
                  <dd>{view.counters.answered}</dd>
                </div>
                <div title={suppressedDetail || undefined}>
                  <dt>Suppressed</dt>
                  <dd>{suppressed}</dd>
                </div>
                <div>
                  <dt>Failed</dt>
                  <dd className={view.counters.failed > 0 ? 'rule-row__bad' : undefined}>
                    {view.counters.failed}
                  </dd>
                </div>
              </dl>
              {[...view.compileErrors, ...view.liveErrors.map((e) => `Live copy: ${e}`)].map((error) => (
                <p key={error} className="rule-row__error" role="note">
                  <AlertTriangle size={14} aria-hidden /> {error}
                </p>
              ))}
              {ruleConflicts.map((message) => (
                <p key={message} className="rule-row__conflict" role="note">
                  <AlertTriangle size={14} aria-hidden /> {message}
                </p>
              ))}
            </div>
            <div className="rule-row__actions">
              <label className="toggle rule-row__toggle" title={view.isActive ? 'Switch off' : 'Switch on'}>
                <input
                  type="checkbox"
                  checked={view.isActive}
                  disabled={props.busy}
                  aria-label={`Active: ${view.name}`}
                  onChange={(event) => props.onToggle(view, event.target.checked)}
                />
                <span className="toggle__track" aria-hidden />
              </label>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${view.name} up`}
                title="Move up (checked earlier)"
                disabled={props.busy || index === 0}
                onClick={() => props.onMove(index, index - 1)}
              >
                <ArrowUp size={16} aria-hidden />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${view.name} down`}
                title="Move down (checked later)"
                disabled={props.busy || index === props.rules.length - 1}
                onClick={() => props.onMove(index, index + 1)}
              >
                <ArrowDown size={16} aria-hidden />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Edit ${view.name}`}
                title="Edit"
                onClick={() => props.onEdit(view)}
              >
                <Pencil size={16} aria-hidden />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete ${view.name}`}
                title="Delete"
                disabled={props.busy}
                onClick={() => props.onDelete(view)}
              >
                <Trash2 size={16} aria-hidden />
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
