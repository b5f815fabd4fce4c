import { X } from 'lucide-react';
import { useState } from 'react';
import type { FieldIds } from '../../components/field';

/**
 * A list of short values typed one by one: Enter or a comma adds the typed value as a chip, Backspace in
 * the empty box removes the last one, each chip has its own remove button. A pasted "a, b, c" adds three.
 */
export function ChipsInput(props: {
  ids: FieldIds;
  values: readonly string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  /** Names the chips for screen readers, e.g. "keyword". */
  itemLabel: string;
}) {
  const [draft, setDraft] = useState('');
  const add = (text: string) => {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '' && !props.values.includes(item));
    if (items.length > 0) props.onChange([...props.values, ...new Set(items)]);
    setDraft('');
  };
  return (
    <div className={`chips${props.ids.invalid ? ' chips--invalid' : ''}`}>
      <ul className="chips__list" aria-label={`${props.itemLabel}s`}>
        {props.values.map((value, index) => (
          <li key={value} className="chip">
            <span className="chip__text">{value}</span>
            <button
              type="button"
              className="chip__remove"
              aria-label={`Remove ${props.itemLabel} ${value}`}
              onClick={() => props.onChange(props.values.filter((_, i) => i !== index))}
            >
              <X size={12} aria-hidden />
            </button>
          </li>
        ))}
      </ul>
      <input
        id={props.ids.input}
        className="chips__input"
        value={draft}
        placeholder={props.values.length === 0 ? props.placeholder : `Add another ${props.itemLabel}…`}
        aria-invalid={props.ids.invalid || undefined}
        aria-describedby={props.ids.describedBy}
        onChange={(event) => {
          const value = event.target.value;
          if (value.includes(',')) add(value);
          else setDraft(value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            add(draft);
          } else if (event.key === 'Backspace' && draft === '' && props.values.length > 0) {
            props.onChange(props.values.slice(0, -1));
          }
        }}
        onBlur={() => {
          if (draft.trim() !== '') add(draft);
        }}
      />
    </div>
  );
}
