import { Globe, TriangleAlert } from 'lucide-react';
import { useCallback, useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { SavedReplyView } from '../../../../shared/contract';
import { filterSavedReplies } from '../../../../shared/saved-replies';
import { useClient } from '../../app/client-context';
import '../saved-replies/saved-replies.css';

/** `/word` right before the caret, at the start of the text or after a space: what the picker filters by. */
const SLASH_TOKEN = /(^|\s)\/([\p{L}\p{N}_-]*)$/u;

interface Token {
  start: number;
  end: number;
  query: string;
}

function tokenAt(text: string, caret: number): Token | null {
  const match = SLASH_TOKEN.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, end: caret, query };
}

/**
 * The `/` picker's state for one conversation: which `/word` is being typed, the replies (filled in for the
 * conversation, loaded when the picker opens), the highlighted one, and the keys it takes from the reply box.
 */
export function useSavedReplyPicker(options: {
  conversationId: number;
  /** Replaces the typed `/word` with the reply's text; the caret goes after it. */
  insert: (start: number, end: number, text: string) => void;
}) {
  const client = useClient();
  const listId = useId();
  const [token, setToken] = useState<Token | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  // Tagged with their conversation: the composer stays mounted when another conversation opens.
  const [loaded, setLoaded] = useState<{ conversationId: number; replies: SavedReplyView[] } | null>(null);
  const replies = loaded?.conversationId === options.conversationId ? loaded.replies : null;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [active, setActive] = useState(0);

  const open = token !== null && token.start !== dismissed;
  const matches = open && replies ? filterSavedReplies(replies, token.query) : [];

  // Loaded each time the picker opens, so a reply saved a minute ago is there.
  const opening = open ? token.start : null;
  useEffect(() => {
    if (opening === null) return;
    let live = true;
    const conversationId = options.conversationId;
    void client.call('savedReplies.list', { conversationId }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setLoaded({ conversationId, replies: result.value.replies });
        setLoadError(null);
      } else setLoadError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [client, opening, options.conversationId]);

  /** Call after every change of text or caret. */
  const update = useCallback((text: string, caret: number) => {
    const next = tokenAt(text, caret);
    setToken((current) => {
      if (next?.start !== current?.start || next?.query !== current?.query) setActive(0);
      return next;
    });
    if (next === null) setDismissed(null);
  }, []);

  const choose = (reply: SavedReplyView) => {
    if (!token) return;
    options.insert(token.start, token.end, reply.rendered?.text ?? reply.body);
    setToken(null);
  };

  /** Handles the picker's keys; true when the reply box must not act on the key. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    const count = matches.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (count === 0) return false;
        event.preventDefault();
        setActive((index) => (index + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return true;
      case 'Enter':
      case 'Tab': {
        const reply = matches[Math.min(active, count - 1)];
        if (!reply || event.shiftKey) return false;
        event.preventDefault();
        choose(reply);
        return true;
      }
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        setDismissed(token.start);
        return true;
      default:
        return false;
    }
  };

  const activeId =
    open && matches.length > 0 ? `${listId}-${Math.min(active, matches.length - 1)}` : undefined;
  const inputProps = {
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': activeId,
  };

  const panel = open ? (
    <div className="slash-picker">
      <p className="slash-picker__head">
        <strong>Saved replies{token.query ? ` · /${token.query}` : ''}</strong>
        <span>↑↓ choose · Enter insert · Esc close</span>
      </p>
      {loadError && (
        <p className="slash-picker__empty" role="alert">
          {loadError}
        </p>
      )}
      {!loadError && replies === null && <p className="slash-picker__empty">Loading saved replies…</p>}
      {replies !== null && matches.length === 0 && (
        <p className="slash-picker__empty">
          {replies.length === 0
            ? 'No saved replies for this account yet: add them in Accounts → the account → Saved replies.'
            : `No saved reply matches “/${token.query}”. Keep typing to send it as text.`}
        </p>
      )}
      {matches.length > 0 && (
        <ul className="slash-picker__list" role="listbox" id={listId} aria-label="Saved replies">
          {matches.map((reply, index) => (
            <li
              key={reply.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === Math.min(active, matches.length - 1)}
              className="slash-picker__option"
              onMouseEnter={() => setActive(index)}
              // mousedown, not click: the reply box keeps its focus and caret.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(reply);
              }}
            >
              <span className="slash-picker__name">
                /{reply.name}
                {reply.accountId === null && (
                  <span className="slash-picker__scope">
                    <Globe size={10} aria-hidden /> all accounts
                  </span>
                )}
              </span>
              <span className="slash-picker__text" dir="auto">
                {reply.rendered?.text ?? reply.body}
              </span>
              {reply.rendered && reply.rendered.missing.length > 0 && (
                <span className="slash-picker__missing">
                  <TriangleAlert size={11} aria-hidden /> No value here for{' '}
                  {reply.rendered.missing.map((m) => `{{${m}}}`).join(', ')}: fill it in before sending
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  ) : null;

  return { update, onKeyDown, inputProps, panel };
}
