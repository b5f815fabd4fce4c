import { Lock, Send, TriangleAlert } from 'lucide-react';
import {
  forwardRef,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { AccountView, ConversationRow } from '../../../../shared/contract';
import { unfilledVariables } from '../../../../shared/saved-replies';
import { useClient } from '../../app/client-context';
import { TEXT_LIMIT_BYTES, formatDuration, utf8Bytes, windowState } from './inbox-format';
import { useSavedReplyPicker } from './saved-reply-picker';

/**
 * The reply box. Enter sends, Shift+Enter starts a new line. The count is in UTF-8 bytes because
 * that is Instagram's limit (an emoji takes 4). The window decides what is possible: open under
 * 24 hours, Human Agent up to 7 days where the account allows it, locked after that. Typing `/` at the
 * start of a word opens the saved replies, filled in for this conversation; a variable it had no value
 * for stays as `{{name}}` and blocks sending until it is replaced.
 */
export const Composer = forwardRef<
  HTMLTextAreaElement,
  { conversation: ConversationRow; account: AccountView | undefined; now: number; onSent: () => void }
>(function Composer(props, ref) {
  const client = useClient();
  const [text, setText] = useState('');
  const [humanAgent, setHumanAgent] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => input.current as HTMLTextAreaElement);
  const picker = useSavedReplyPicker({
    conversationId: props.conversation.id,
    insert: (start, end, inserted) => {
      const next = text.slice(0, start) + inserted + text.slice(end);
      setText(next);
      caret.current = start + inserted.length;
    },
  });
  // The caret goes after an inserted reply once it is on screen, before anyone types on.
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current === null) return;
    input.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [text]);
  const unfilled = unfilledVariables(text);
  const window = windowState(
    props.conversation.lastInboundAt,
    props.now,
    props.account?.settings.humanAgentAllowed ?? false,
  );
  const bytes = utf8Bytes(text);
  const over = bytes > TEXT_LIMIT_BYTES;
  const locked =
    window.kind === 'none' || window.kind === 'closed' || (window.kind === 'human_agent' && !window.allowed);
  const needsTag = window.kind === 'human_agent';
  const canSend =
    !locked && !sending && text.trim() !== '' && !over && unfilled.length === 0 && (!needsTag || humanAgent);

  const send = async () => {
    if (!canSend) return;
    setSending(true);
    setError(null);
    const result = await client.call('outbox.send', {
      conversationId: props.conversation.id,
      text,
      ...(needsTag ? { humanAgent: true } : {}),
      clientRequestId: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    });
    setSending(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setText('');
    props.onSent();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (picker.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  let banner: { tone: 'ok' | 'warn' | 'locked'; text: string };
  switch (window.kind) {
    case 'open':
      banner = { tone: 'ok', text: `Reply window open · ${formatDuration(window.leftMs)} left` };
      break;
    case 'human_agent':
      banner = window.allowed
        ? {
            tone: 'warn',
            text: `24 hours have passed · Human Agent replies possible for ${formatDuration(window.leftMs)}`,
          }
        : {
            tone: 'locked',
            text: 'Locked: the 24-hour window has closed and this account is not set up for Human Agent replies (Accounts → settings).',
          };
      break;
    case 'closed':
      banner = {
        tone: 'locked',
        text: 'Locked: their last message is more than 7 days old. Instagram only allows a reply after they write again.',
      };
      break;
    case 'none':
      banner = {
        tone: 'locked',
        text: 'Locked: they have not written to this account, so Instagram does not allow a message.',
      };
      break;
    default: {
      const exhaustive: never = window;
      banner = { tone: 'locked', text: String(exhaustive) };
    }
  }

  return (
    <form
      className={`composer${locked ? ' composer--locked' : ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <p className={`composer__window composer__window--${banner.tone}`} data-window={window.kind}>
        {banner.tone === 'locked' && <Lock size={13} aria-hidden />} {banner.text}
      </p>
      {needsTag && window.allowed && (
        <label className="composer__tag">
          <input
            type="checkbox"
            checked={humanAgent}
            onChange={(event) => setHumanAgent(event.target.checked)}
          />
          Send as human agent (a person answering, within 7 days)
        </label>
      )}
      <div className="composer__box">
        {picker.panel}
        <textarea
          ref={input}
          className="composer__input"
          aria-label="Reply"
          placeholder={
            locked
              ? 'Replies are locked for this conversation'
              : 'Write a reply… (/ for saved replies, Enter to send, Shift+Enter for a new line)'
          }
          value={text}
          disabled={locked}
          dir="auto"
          rows={2}
          {...picker.inputProps}
          onChange={(event) => {
            setText(event.target.value);
            picker.update(event.target.value, event.target.selectionStart);
          }}
          onSelect={(event) => picker.update(event.currentTarget.value, event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="button button--primary" disabled={!canSend} title="Send (Enter)">
          <Send size={14} aria-hidden /> Send
        </button>
      </div>
      {unfilled.length > 0 && (
        <p className="composer__unfilled" role="alert">
          <TriangleAlert size={13} aria-hidden /> Replace {unfilled.map((v) => `{{${v}}}`).join(', ')} before
          sending: this conversation has no value for {unfilled.length === 1 ? 'it' : 'them'}.
        </p>
      )}
      <div className="composer__footer">
        <span className={`composer__count${over ? ' composer__count--over' : ''}`} aria-live="polite">
          {[...text].length} characters · {bytes} / {TEXT_LIMIT_BYTES} bytes
        </span>
        {error && (
          <span className="composer__error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
});
