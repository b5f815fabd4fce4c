import { X } from 'lucide-react';
import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native `<dialog>` element: the rest of the page is inert while it is open, Escape
 * closes it, Tab stays inside it, and focus goes back to whatever opened it. Mount it to open it.
 *
 * `drawer` slides in from the right (forms); `modal` is a small centred box (confirmations).
 */
export function Dialog(props: {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  variant?: 'drawer' | 'modal';
  /** Clicking the backdrop closes the dialog (never for forms, where it would lose typing). */
  closeOnBackdrop?: boolean;
  role?: 'dialog' | 'alertdialog';
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onClose = useRef(props.onClose);
  useEffect(() => {
    onClose.current = props.onClose;
  });

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(`.dialog__body ${focusable}`) ??
      dialog.querySelector<HTMLElement>(focusable);
    first?.focus();
    return () => {
      dialog.close();
      // The opener may have re-rendered away; only give focus back to something still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const trapTab = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(focusable)].filter(
      (item) => item.offsetParent !== null,
    );
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const variant = props.variant ?? 'modal';
  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${variant}${props.className ? ` ${props.className}` : ''}`}
      role={props.role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={props.description ? descriptionId : undefined}
      onCancel={(event) => {
        // Escape: let React state decide, so the dialog unmounts instead of closing behind React's back.
        event.preventDefault();
        onClose.current();
      }}
      onKeyDown={trapTab}
      onClick={(event) => {
        if (props.closeOnBackdrop && event.target === ref.current) onClose.current();
      }}
    >
      <div className="dialog__panel">
        <header className="dialog__header">
          <div>
            <h2 id={titleId} className="dialog__title">
              {props.title}
            </h2>
            {props.description && (
              <div id={descriptionId} className="dialog__description">
                {props.description}
              </div>
            )}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            title="Close (Esc)"
            onClick={() => onClose.current()}
          >
            <X size={18} aria-hidden />
          </button>
        </header>
        <div className="dialog__body">{props.children}</div>
        {props.footer && <footer className="dialog__footer">{props.footer}</footer>}
      </div>
    </dialog>
  );
}
