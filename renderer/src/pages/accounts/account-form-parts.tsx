/**
 * The building blocks the account form's sections share: one field row (anchor, label, hint, error),
 * a text input wired to its row, a switch with its title and help, and a fieldset's error line.
 */
import type { InputHTMLAttributes, ReactNode } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { Field, type FieldIds } from '../../components/field';
import type { AccountFormValues, FormField } from './account-form-model';

/** What every section needs from the form: the values, how to change them, the error to show per field. */
export interface FormControls {
  values: AccountFormValues;
  /** The account being edited, or null when adding one. */
  editing: AccountView | null;
  set: <K extends keyof AccountFormValues>(field: K, value: AccountFormValues[K]) => void;
  touch: (field: FormField) => void;
  errorFor: (field: FormField) => string | undefined;
}

/**
 * One field of the form. The `field-…` anchor is where a refused save moves the focus to, so every field
 * row carries one.
 */
export function FieldRow(props: {
  form: FormControls;
  field: FormField;
  label: string;
  hint?: ReactNode;
  optional?: boolean;
  aside?: ReactNode;
  children: (ids: FieldIds) => ReactNode;
}) {
  return (
    <div id={`field-${props.field}`}>
      <Field
        label={props.label}
        optional={props.optional}
        error={props.form.errorFor(props.field)}
        aside={props.aside}
        hint={props.hint}
      >
        {props.children}
      </Field>
    </div>
  );
}

/** A text input tied to its field row's label, hint and error. */
export function TextInput({
  ids,
  value,
  onValue,
  className = 'input',
  ...rest
}: {
  ids: FieldIds;
  value: string;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>) {
  return (
    <input
      id={ids.input}
      className={className}
      value={value}
      aria-invalid={ids.invalid || undefined}
      aria-describedby={ids.describedBy}
      onChange={(event) => onValue(event.target.value)}
      {...rest}
    />
  );
}

/** An on/off switch with its title and a line of help under it. */
export function Toggle(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  title: ReactNode;
  help: ReactNode;
}) {
  return (
    <label className="toggle">
      <input
        type="checkbox"
        role="switch"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <span className="toggle__track" aria-hidden />
      <span>
        <span className="toggle__title">{props.title}</span>
        <span className="toggle__help">{props.help}</span>
      </span>
    </label>
  );
}

/** The error line of a fieldset (a group of controls has no single `Field` to carry it). */
export function FieldsetError(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p className="field__error" role="alert">
      {props.error}
    </p>
  );
}
