import { StickyNote, Tag, Trash2, UserRound, X } from 'lucide-react';
import { useState } from 'react';
import type { ConversationDetail } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { formatDateTime } from '../../lib/format';

const STAFF_KEY = 'switchboard.staffName';

/** Who is at this workstation, for notes and "assign to me"; remembered on this machine only. */
export function useStaffName(): [string, (name: string) => void] {
  const [name, setName] = useState(() => localStorage.getItem(STAFF_KEY) ?? '');
  return [
    name,
    (value) => {
      localStorage.setItem(STAFF_KEY, value);
      setName(value);
    },
  ];
}

/** A one-line form: a text box and its button; `onSubmit` gets the trimmed text. */
function InlineForm(props: {
  label: string;
  placeholder: string;
  value: string;
  maxLength: number;
  submit: string;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
}) {
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit(props.value.trim());
      }}
    >
      <input
        className="input"
        aria-label={props.label}
        placeholder={props.placeholder}
        value={props.value}
        maxLength={props.maxLength}
        onChange={(event) => props.onChange(event.target.value)}
      />
      <button type="submit" className="button button--small">
        {props.submit}
      </button>
    </form>
  );
}

/** Labels, assignment and internal notes of the open conversation. Notes are never sent. */
export function DetailsPanel(props: {
  detail: ConversationDetail;
  onChanged: () => void;
  onClose: () => void;
}) {
  const client = useClient();
  const { conversation, notes } = props.detail;
  const [label, setLabel] = useState('');
  const [note, setNote] = useState('');
  const [staff, setStaff] = useStaffName();
  const [assignee, setAssignee] = useState(conversation.assignedTo ?? '');
  const [error, setError] = useState<string | null>(null);

  const run = async (work: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const result = await work;
    setError(result.ok ? null : (result.error?.message ?? 'That did not work.'));
    if (result.ok) props.onChanged();
    return result.ok;
  };
  const setLabels = (labels: string[]) =>
    run(client.call('inbox.update', { conversationId: conversation.id, labels }));

  return (
    <aside className="details" aria-label="Conversation details">
      <header className="details__header">
        <h2>Details</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={props.onClose}>
          <X size={16} aria-hidden />
        </button>
      </header>
      {error && (
        <p className="details__error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="labels-heading">
        <h3 id="labels-heading">
          <Tag size={13} aria-hidden /> Labels
        </h3>
        {conversation.labels.length === 0 && <p className="label-chips-empty">No labels yet.</p>}
        <ul className="label-chips" hidden={conversation.labels.length === 0}>
          {conversation.labels.map((item) => (
            <li key={item} className="label-chip">
              {item}
              <button
                type="button"
                aria-label={`Remove label ${item}`}
                onClick={() => void setLabels(conversation.labels.filter((other) => other !== item))}
              >
                <X size={11} aria-hidden />
              </button>
            </li>
          ))}
        </ul>
        <InlineForm
          label="New label"
          placeholder="Add a label"
          value={label}
          maxLength={64}
          submit="Add"
          onChange={setLabel}
          onSubmit={(value) => {
            if (!value) return;
            void setLabels([...conversation.labels, value]).then((ok) => ok && setLabel(''));
          }}
        />
      </section>
      <section aria-labelledby="assign-heading">
        <h3 id="assign-heading">
          <UserRound size={13} aria-hidden /> Assigned to
        </h3>
        <InlineForm
          label="Assignee"
          placeholder="Nobody"
          value={assignee}
          maxLength={255}
          submit="Save"
          onChange={setAssignee}
          onSubmit={(value) =>
            void run(
              client.call('inbox.update', {
                conversationId: conversation.id,
                assignedTo: value === '' ? null : value,
              }),
            )
          }
        />
      </section>
      <section aria-labelledby="notes-heading" className="notes">
        <h3 id="notes-heading">
          <StickyNote size={13} aria-hidden /> Internal notes{' '}
          <span className="details__hint">never sent</span>
        </h3>
        <ol className="notes__list">
          {notes.map((item) => (
            <li key={item.id} className="note">
              <p className="note__text" dir="auto">
                {item.text}
              </p>
              <p className="note__meta">
                {item.author} · {formatDateTime(item.createdAt)}
                <button
                  type="button"
                  className="icon-button icon-button--small"
                  aria-label="Delete note"
                  onClick={() => void run(client.call('inbox.deleteNote', { id: item.id }))}
                >
                  <Trash2 size={12} aria-hidden />
                </button>
              </p>
            </li>
          ))}
        </ol>
        <form
          className="notes__form"
          onSubmit={(event) => {
            event.preventDefault();
            const author = staff.trim();
            if (!author) {
              setError('Type your name first, so the team knows who wrote the note.');
              return;
            }
            void run(
              client.call('inbox.addNote', { conversationId: conversation.id, text: note, author }),
            ).then((ok) => ok && setNote(''));
          }}
        >
          <textarea
            className="input"
            aria-label="New note"
            placeholder="Add a note for the team"
            rows={3}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="inline-form">
            <input
              className="input"
              aria-label="Your name"
              placeholder="Your name"
              value={staff}
              maxLength={255}
              onChange={(e) => setStaff(e.target.value)}
            />
            <button type="submit" className="button button--small" disabled={note.trim() === ''}>
              Add note
            </button>
          </div>
        </form>
      </section>
    </aside>
  );
}
