import { Eye, EyeOff } from 'lucide-react';
import { useId, useState, type ClipboardEvent, type InputHTMLAttributes, type ReactNode } from 'react';

export interface FieldIds {
  input: string;
  describedBy: string | undefined;
  invalid: boolean;
}

/**
 * A labelled form control with its help line and its error underneath. The error replaces nothing: help
 * stays visible, the error is announced (role="alert") and tied to the control with aria-describedby.
 */
export function Field(props: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  aside?: ReactNode;
  className?: string;
  children: (ids: FieldIds) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div
      className={`field${props.error ? ' field--invalid' : ''}${props.className ? ` ${props.className}` : ''}`}
    >
      <div className="field__label-row">
        <label className="field__label" htmlFor={id}>
          {props.label}
          {props.optional && (
            <>
              {' '}
              <span className="field__optional">optional</span>
            </>
          )}
        </label>
        {props.aside}
      </div>
      {props.children({ input: id, describedBy: describedBy || undefined, invalid: Boolean(props.error) })}
      {props.error && (
        <p id={errorId} className="field__error" role="alert">
          {props.error}
        </p>
      )}
      {props.hint && (
        <p id={hintId} className="field__hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/**
 * Inserts pasted text as it is. A text input silently drops line breaks from pasted text, which would hide
 * a token copied with a line break in it; keeping them lets validation say what is wrong.
 */
export function keepPastedLineBreaks(
  event: ClipboardEvent<HTMLInputElement>,
  current: string,
  onChange: (value: string) => void,
): void {
  const pasted = event.clipboardData.getData('text');
  if (!/[\r\n]/.test(pasted)) return;
  event.preventDefault();
  const input = event.currentTarget;
  const start = input.selectionStart ?? current.length;
  const end = input.selectionEnd ?? current.length;
  onChange(current.slice(0, start) + pasted + current.slice(end));
}

/** A password field with a show/hide toggle; never autocompleted, never spell-checked. */
export function SecretInput(
  props: {
    ids: FieldIds;
    value: string;
    onChange: (value: string) => void;
    revealLabel: string;
  } & Pick<InputHTMLAttributes<HTMLInputElement>, 'placeholder' | 'disabled'>,
) {
  const [visible, setVisible] = useState(false);
  const { ids } = props;
  return (
    <div className="input-group">
      <input
        id={ids.input}
        className="input input--mono"
        type={visible ? 'text' : 'password'}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoComplete="new-password"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        aria-invalid={ids.invalid || undefined}
        aria-describedby={ids.describedBy}
        onChange={(event) => props.onChange(event.target.value)}
        onPaste={(event) => keepPastedLineBreaks(event, props.value, props.onChange)}
      />
      <button
        type="button"
        className="input-group__button"
        aria-label={visible ? `Hide ${props.revealLabel}` : `Show ${props.revealLabel}`}
        aria-pressed={visible}
        title={visible ? 'Hide' : 'Show'}
        onClick={() => setVisible((value) => !value)}
      >
        {visible ? <EyeOff size={16} aria-hidden /> : <Eye size={16} aria-hidden />}
      </button>
    </div>
  );
}
