import { Dialog } from '../../components/dialog';

/** A save refused because the rule changed elsewhere: the version now stored, and the message. */
export interface VersionConflict {
  currentVersion: number | null;
  message: string;
}

/** "Someone else changed this rule": keep editing, reload theirs, or overwrite with mine. */
export function VersionConflictDialog(props: {
  conflict: VersionConflict;
  /** The change being saved was kept on this computer while the database was unreachable. */
  offline: boolean;
  onKeepEditing: () => void;
  onReloadTheirs: () => void;
  onOverwrite: (currentVersion: number) => void;
}) {
  const { conflict } = props;
  return (
    <Dialog
      title="Someone else changed this rule"
      className="rules-version-conflict"
      role="alertdialog"
      onClose={props.onKeepEditing}
      footer={
        <>
          <button type="button" className="button" onClick={props.onKeepEditing}>
            Keep editing
          </button>
          <button type="button" className="button" onClick={props.onReloadTheirs} data-autofocus>
            Reload their version
          </button>
          <button
            type="button"
            className="button button--danger"
            disabled={conflict.currentVersion === null}
            onClick={() => {
              if (conflict.currentVersion !== null) props.onOverwrite(conflict.currentVersion);
            }}
          >
            Overwrite with mine
          </button>
        </>
      }
    >
      <div className="confirm__body">
        <p>
          {props.offline
            ? 'While the database could not be reached, this rule was saved from another workstation'
            : 'While you were editing, this rule was saved from another workstation'}
          {conflict.currentVersion !== null ? ` (now version ${conflict.currentVersion})` : ''}. Nothing was
          overwritten.
        </p>
        <p>
          {conflict.currentVersion === null && <>{conflict.message} </>}
          <strong>Reload their version</strong> discards your changes here;{' '}
          <strong>Overwrite with mine</strong> replaces theirs with what you see in the form.
        </p>
      </div>
    </Dialog>
  );
}
