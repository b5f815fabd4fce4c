import { Plus, Trash2 } from 'lucide-react';
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import {
  compilePattern,
  GRAPH_LIMITS,
  parseTemplate,
  TEMPLATE_VARIABLES,
  utf8ByteLength,
} from '../../../../shared/rules/index';
import { fillTemplate } from '../../../../shared/rules/template';
import { Field } from '../../components/field';
import type { PreviewData } from './preview-source';
import { errorAt, type FormErrors, type RuleForm } from './rule-form-model';

type Patch = (patch: Partial<RuleForm>) => void;

/** A variant filled with the preview's values (a real conversation's, or the sample). */
function previewOf(
  source: string,
  form: RuleForm,
  sample: string,
  data: PreviewData,
): { text: string | null; problem: string | null } {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return { text: null, problem: parsed.problems[0]?.message ?? null };
  let captures: Record<string, string | null> | undefined;
  if (form.trigger === 'pattern' && form.pattern) {
    const compiled = compilePattern(form.pattern, form.ignoreCase ? 'i' : '');
    if (compiled.ok) {
      const matcher = compiled.value.regex.matcher(sample || data.messageText);
      if (matcher.find()) {
        captures = {};
        for (const name of compiled.value.captureNames) captures[name] = matcher.group(name);
      }
    }
  }
  const text = fillTemplate(parsed.parts, {
    username: data.username,
    name: data.name,
    account: data.account,
    messageText: data.messageText,
    variables: data.variables,
    ...(captures ? { captures } : {}),
  });
  return { text, problem: null };
}

function captureHint(form: RuleForm, sample: string): string {
  return form.trigger === 'pattern' && sample ? '; captures from the pattern’s “Try it” message' : '';
}

export function ResponseFields(props: {
  form: RuleForm;
  errors: FormErrors;
  patch: Patch;
  sample: string;
  preview: PreviewData;
  /** Chooses whose data fills the preview. */
  previewPicker: ReactNode;
}) {
  const { form, errors, patch } = props;
  const areas = useRef<Array<HTMLTextAreaElement | null>>([]);
  const [focused, setFocused] = useState(0);
  // Where to put the caret after inserting a variable: applied right after React writes the new text,
  // before the next key is handled (a later frame could move the caret under the next keys typed).
  const caret = useRef<{ index: number; at: number } | null>(null);
  useLayoutEffect(() => {
    const pending = caret.current;
    if (!pending) return;
    caret.current = null;
    const area = areas.current[pending.index];
    area?.focus();
    area?.setSelectionRange(pending.at, pending.at);
  });

  if (form.savedTemplate) {
    return (
      <p className="callout callout--warn">
        This rule sends the saved template “{form.savedTemplate.savedTemplateId}”. Its parameters are kept as
        they are; edit them through import/export.
      </p>
    );
  }

  const insert = (variable: string) => {
    const index = Math.min(focused, form.variants.length - 1);
    const area = areas.current[index];
    const current = form.variants[index] ?? '';
    const token = `{{${variable}}}`;
    const start = area?.selectionStart ?? current.length;
    const end = area?.selectionEnd ?? current.length;
    const next = current.slice(0, start) + token + current.slice(end);
    caret.current = { index, at: start + token.length };
    patch({ variants: form.variants.map((v, i) => (i === index ? next : v)) });
  };

  const captureNames =
    form.trigger === 'pattern' && form.pattern
      ? (() => {
          const compiled = compilePattern(form.pattern, form.ignoreCase ? 'i' : '');
          return compiled.ok ? compiled.value.captureNames : [];
        })()
      : [];
  const variables = [
    ...TEMPLATE_VARIABLES,
    ...captureNames.map((name) => `capture.${name}`),
    ...Object.keys(props.preview.variables).map((key) => `var.${key}`),
  ];

  return (
    <>
      <div className="rules-vars" role="group" aria-label="Insert a variable">
        <span className="rules-vars__label">Insert:</span>
        {variables.map((variable) => (
          <button
            key={variable}
            type="button"
            className="rules-vars__button"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => insert(variable)}
          >
            {`{{${variable}}}`}
          </button>
        ))}
      </div>
      {props.previewPicker}
      {form.variants.map((variant, index) => {
        const preview = previewOf(variant, form, props.sample, props.preview);
        const bytes = preview.text === null ? 0 : utf8ByteLength(preview.text);
        const over = bytes > GRAPH_LIMITS.textBytes;
        return (
          <Field
            key={index}
            label={form.variants.length > 1 ? `Reply variant ${index + 1}` : 'Reply'}
            error={errorAt(errors, `response.variants.${index}`) ?? preview.problem ?? undefined}
            aside={
              form.variants.length > 1 && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove reply variant ${index + 1}`}
                  onClick={() => patch({ variants: form.variants.filter((_, i) => i !== index) })}
                >
                  <Trash2 size={15} aria-hidden />
                </button>
              )
            }
          >
            {(ids) => (
              <>
                <textarea
                  id={ids.input}
                  ref={(element) => {
                    areas.current[index] = element;
                  }}
                  className="input rules-form__textarea"
                  rows={3}
                  value={variant}
                  placeholder={'Hi {{first_name | "there"}}! We open at 9:00.'}
                  aria-invalid={ids.invalid || undefined}
                  aria-describedby={ids.describedBy}
                  onFocus={() => setFocused(index)}
                  onChange={(event) =>
                    patch({ variants: form.variants.map((v, i) => (i === index ? event.target.value : v)) })
                  }
                />
                {preview.text !== null && variant !== '' && (
                  <div className="rules-preview" aria-label={`Preview of reply ${index + 1}`}>
                    <p className="rules-preview__bubble">{preview.text}</p>
                    <p className="rules-preview__caption">
                      {props.preview.caption}
                      {captureHint(form, props.sample)}
                    </p>
                    <p className={`rules-preview__bytes${over ? ' rules-preview__bytes--over' : ''}`}>
                      {bytes.toLocaleString('en')} / {GRAPH_LIMITS.textBytes.toLocaleString('en')} bytes
                      {over && ': Instagram refuses longer messages, shorten it'}
                    </p>
                  </div>
                )}
              </>
            )}
          </Field>
        );
      })}
      <div className="button-row">
        <button
          type="button"
          className="button button--small"
          onClick={() => patch({ variants: [...form.variants, ''] })}
        >
          <Plus size={14} aria-hidden />
          Add a variant
        </button>
        {form.variants.length > 1 && (
          <label className="checkbox-inline">
            Choose
            <select
              className="input input--inline"
              value={form.rotation}
              onChange={(event) => patch({ rotation: event.target.value as RuleForm['rotation'] })}
            >
              <option value="round_robin">in turn</option>
              <option value="random">at random</option>
            </select>
          </label>
        )}
      </div>
      <fieldset className="rules-form__fieldset">
        <legend className="field__label">
          Quick replies <span className="field__optional">optional, up to {GRAPH_LIMITS.quickReplies}</span>
        </legend>
        {form.quickReplies.map((reply, index) => (
          <div key={index} className="rules-quick">
            <Field
              label={`Button ${index + 1} title`}
              error={errorAt(errors, `response.quickReplies.${index}.title`)}
            >
              {(ids) => (
                <input
                  id={ids.input}
                  className="input"
                  value={reply.title}
                  aria-invalid={ids.invalid || undefined}
                  aria-describedby={ids.describedBy}
                  onChange={(event) =>
                    patch({
                      quickReplies: form.quickReplies.map((q, i) =>
                        i === index ? { ...q, title: event.target.value } : q,
                      ),
                    })
                  }
                />
              )}
            </Field>
            <Field label="Payload" error={errorAt(errors, `response.quickReplies.${index}.payload`)}>
              {(ids) => (
                <input
                  id={ids.input}
                  className="input input--mono"
                  value={reply.payload}
                  aria-invalid={ids.invalid || undefined}
                  aria-describedby={ids.describedBy}
                  onChange={(event) =>
                    patch({
                      quickReplies: form.quickReplies.map((q, i) =>
                        i === index ? { ...q, payload: event.target.value } : q,
                      ),
                    })
                  }
                />
              )}
            </Field>
            <button
              type="button"
              className="icon-button rules-quick__remove"
              aria-label={`Remove button ${index + 1}`}
              onClick={() => patch({ quickReplies: form.quickReplies.filter((_, i) => i !== index) })}
            >
              <Trash2 size={15} aria-hidden />
            </button>
          </div>
        ))}
        {errors.get('response.quickReplies') && (
          <p className="field__error" role="alert">
            {errors.get('response.quickReplies')}
          </p>
        )}
        <button
          type="button"
          className="button button--small"
          onClick={() => patch({ quickReplies: [...form.quickReplies, { title: '', payload: '' }] })}
        >
          <Plus size={14} aria-hidden />
          Add a button
        </button>
      </fieldset>
    </>
  );
}
