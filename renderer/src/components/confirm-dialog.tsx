import { LoaderCircle } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog';

/**
 * Asks before doing something that is hard to undo. The action runs on confirm; while it runs the buttons
 * wait, and a failure is shown in the dialog instead of closing it.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    const failure = await props.onConfirm();
    setBusy(false);
    if (failure) setError(failure);
    else props.onClose();
  };
  return (
    <Dialog
      title={props.title}
      role="alertdialog"
      onClose={() => !busy && props.onClose()}
      closeOnBackdrop
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose} disabled={busy} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className={`button button--${props.tone ?? 'primary'}`}
            onClick={() => void confirm()}
            disabled={busy}
          >
            {busy && <LoaderCircle className="spin" size={15} aria-hidden />}
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <div className="confirm__body">{props.children}</div>
      {error && (
        <p className="callout callout--error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
