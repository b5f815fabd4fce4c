import { CloudOff, LoaderCircle, RotateCw } from 'lucide-react';
import type { PendingEdit } from '../../../../shared/rules/offline-edits';

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * Rule edits saved on this computer because the database could not be reached: what is waiting, a
 * "Try now", and the ones changed elsewhere meanwhile, to resolve in the editor.
 */
export function OfflineBanner(props: {
  pending: PendingEdit[];
  flushing: boolean;
  onRetry: () => void;
  onOpen: (edit: PendingEdit) => void;
}) {
  const waiting = props.pending.filter((edit) => !edit.conflict);
  const blocked = props.pending.filter((edit) => edit.conflict);
  if (props.pending.length === 0) return null;
  return (
    <section className="callout callout--warn rules-offline" aria-label="Changes saved on this computer">
      <CloudOff size={18} aria-hidden />
      <div className="rules-offline__body">
        {waiting.length > 0 && (
          <>
            <strong role="status">
              {waiting.length === 1 ? '1 change' : `${waiting.length} changes`} saved on this computer, will
              be saved to the database when it is reachable
            </strong>
            <ul className="rules-offline__list">
              {waiting.map((edit) => (
                <li key={edit.ruleId}>
                  <button type="button" className="link-button" onClick={() => props.onOpen(edit)}>
                    {edit.name || 'Unnamed rule'}
                  </button>{' '}
                  {edit.isNew ? '(new rule)' : `(edited from version ${edit.baseVersion})`} · kept at{' '}
                  {timeOf(edit.savedAt)}
                </li>
              ))}
            </ul>
          </>
        )}
        {blocked.length > 0 && (
          <>
            <strong>Changed elsewhere while you were offline — open to choose which version to keep</strong>
            <ul className="rules-offline__list">
              {blocked.map((edit) => (
                <li key={edit.ruleId}>
                  <button type="button" className="link-button" onClick={() => props.onOpen(edit)}>
                    {edit.name || 'Unnamed rule'}
                  </button>{' '}
                  ·{' '}
                  {edit.conflict?.currentVersion != null
                    ? `saved from another workstation meanwhile (now version ${edit.conflict.currentVersion})`
                    : edit.conflict?.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {waiting.length > 0 && (
        <button
          type="button"
          className="button button--small"
          disabled={props.flushing}
          onClick={props.onRetry}
        >
          {props.flushing ? (
            <LoaderCircle className="spin" size={14} aria-hidden />
          ) : (
            <RotateCw size={14} aria-hidden />
          )}
          Try now
        </button>
      )}
    </section>
  );
}
