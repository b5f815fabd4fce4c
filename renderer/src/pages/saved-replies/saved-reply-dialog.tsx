import { LoaderCircle, Save } from 'lucide-react';
import { useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { AccountView, SavedReplyView } from '../../../../shared/contract';
import { utf8ByteLength } from '../../../../shared/rules/normalize';
import { TEMPLATE_VARIABLES } from '../../../../shared/rules/template';
import {
  SAVED_REPLY_BODY_MAX_BYTES,
  renderSavedReply,
  savedReplyBodyProblems,
  savedReplyNameProblem,
} from '../../../../shared/saved-replies';
import { useClient } from '../../app/client-context';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';

/** Shown in the preview: what a reply looks like in a typical conversation. */
const SAMPLE = { name: 'Ana Lima', username: 'ana.lima', messageText: 'Are you open on Sunday?' };

const VARIABLE_HINTS: Record<(typeof TEMPLATE_VARIABLES)[number], string> = {
  username: 'their @username',
  name: 'their full name',
  first_name: 'their first name',
  'account.name': 'the client’s name',
  'account.username': 'this account’s @username',
  'message.text': 'their last message',
};

/**
 * Creates or edits a saved reply: a one-word name (what follows `/`), where it is offered (this account
 * or every account), and the text with variables. Problems show as you type, with a live preview.
 */
export function SavedReplyDialog(props: {
  account: AccountView;
  /** The account's `{{var.*}}` values, for the chips, the check and the preview. */
  variables: Record<string, string>;
  reply: SavedReplyView | null;
  onClose: () => void;
  onSaved: (reply: SavedReplyView) => void;
}) {
  const client = useClient();
  const formId = useId();
  const body = useRef<HTMLTextAreaElement>(null);
  const [name, setName] = useState(props.reply?.name ?? '');
  const [text, setText] = useState(props.reply?.body ?? '');
  const [shared, setShared] = useState(props.reply ? props.reply.accountId === null : false);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const nameProblem = savedReplyNameProblem(name);
  const bodyProblems = savedReplyBodyProblems(text, shared ? null : Object.keys(props.variables));
  const bytes = utf8ByteLength(text);
  const preview = renderSavedReply(text, {
    ...SAMPLE,
    account: {
      name: props.account.clientName ?? props.account.displayName ?? props.account.username,
      username: props.account.username,
    },
    variables: props.variables,
  });
  const valid = nameProblem === null && bodyProblems.length === 0;

  const insert = (snippet: string) => {
    const area = body.current;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + snippet + text.slice(end));
    caret.current = start + snippet.length;
  };
  // The caret goes after an inserted variable once the new text is on screen, before anyone types on.
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current === null) return;
    body.current?.focus();
    body.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [text]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    const accountId = shared ? null : props.account.id;
    const result = props.reply
      ? await client.call('savedReplies.update', {
          id: props.reply.id,
          version: props.reply.version,
          accountId,
          name,
          body: text,
        })
      : await client.call('savedReplies.create', { accountId, name, body: text });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    props.onSaved(result.value);
  };

  return (
    <Dialog
      title={props.reply ? `Edit /${props.reply.name}` : 'New saved reply'}
      description="Type / and its name in any reply box to insert it, filled in for that conversation."
      onClose={props.onClose}
      className="saved-reply-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={busy}>
            {busy ? <LoaderCircle className="spin" size={15} aria-hidden /> : <Save size={15} aria-hidden />}
            Save reply
          </button>
        </>
      }
    >
      <form id={formId} className="form" noValidate onSubmit={(event) => void submit(event)}>
        {error && (
          <p className="callout callout--error" role="alert">
            {error}
          </p>
        )}
        <Field
          label="Name"
          hint="One word, typed after / in the reply box."
          error={(touched || name !== '') && nameProblem ? nameProblem : undefined}
        >
          {(ids) => (
            <div className="saved-reply-dialog__name">
              <span aria-hidden>/</span>
              <input
                id={ids.input}
                className="input input--mono"
                value={name}
                placeholder="opening-hours"
                aria-describedby={ids.describedBy}
                aria-invalid={ids.invalid}
                autoComplete="off"
                spellCheck={false}
                data-autofocus
                onChange={(event) => setName(event.target.value.replace(/^\//, ''))}
              />
            </div>
          )}
        </Field>
        <fieldset className="saved-reply-dialog__scope">
          <legend className="field__label">Offer it in</legend>
          <label className="checkbox-inline">
            <input type="radio" name="scope" checked={!shared} onChange={() => setShared(false)} />
            Conversations of @{props.account.username}
          </label>
          <label className="checkbox-inline">
            <input type="radio" name="scope" checked={shared} onChange={() => setShared(true)} />
            Every account’s conversations
          </label>
        </fieldset>
        <Field
          label="Text"
          hint={`${[...text].length} characters · ${bytes} / ${SAVED_REPLY_BODY_MAX_BYTES} bytes. A fallback in quotes is used when a value is missing: {{first_name | "there"}}.`}
          error={(touched || text !== '') && bodyProblems[0] ? bodyProblems[0].message : undefined}
        >
          {(ids) => (
            <textarea
              ref={body}
              id={ids.input}
              className="input saved-reply-dialog__body"
              value={text}
              rows={5}
              dir="auto"
              placeholder={'Hi {{first_name | "there"}}! We open at 8 every day.'}
              aria-describedby={ids.describedBy}
              aria-invalid={ids.invalid}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <div className="saved-reply-dialog__variables" role="group" aria-label="Insert a variable">
          {TEMPLATE_VARIABLES.map((variable) => (
            <button
              key={variable}
              type="button"
              className="saved-reply-dialog__chip"
              title={`Insert ${VARIABLE_HINTS[variable]}`}
              onClick={() => insert(`{{${variable}}}`)}
            >
              {variable}
            </button>
          ))}
          {Object.keys(props.variables).map((key) => (
            <button
              key={key}
              type="button"
              className="saved-reply-dialog__chip"
              title={`Insert this account’s ${key} (${props.variables[key] ?? ''})`}
              onClick={() => insert(`{{var.${key}}}`)}
            >
              var.{key}
            </button>
          ))}
        </div>
        {text.trim() !== '' && bodyProblems.length === 0 && (
          <div className="saved-reply-dialog__preview" aria-label="Preview">
            <span className="saved-reply-dialog__preview-label">Preview for Ana Lima (@ana.lima)</span>
            <p dir="auto">{preview.text}</p>
            {preview.missing.length > 0 && (
              <span className="saved-reply-dialog__missing">
                Where an account has no {preview.missing.map((m) => `{{${m}}}`).join(', ')}, the reply box
                asks you to fill it in before sending.
              </span>
            )}
          </div>
        )}
      </form>
    </Dialog>
  );
}
