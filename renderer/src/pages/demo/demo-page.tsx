import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Heart, Image, MessageSquareText, Send, Sparkles } from 'lucide-react';
import type { DemoAccount, DemoEvent, DemoReceived, MethodInput } from '../../../../shared/contract';
import { useClient, useContractQuery, useEvent } from '../../app/client-context';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';

type EventKind = DemoEvent['type'];

const kinds: ReadonlyArray<{ kind: EventKind; label: string; icon: typeof Send }> = [
  { kind: 'text', label: 'Text', icon: MessageSquareText },
  { kind: 'image', label: 'Image', icon: Image },
  { kind: 'story_mention', label: 'Story mention', icon: Sparkles },
  { kind: 'reaction', label: 'Reaction', icon: Heart },
];

const emojis = ['❤️', '😂', '😮', '😢', '👍', '🔥'];

const NEW_CUSTOMER = '__new__';

/** The demo's "simulate a customer" panel: play a customer of a demo account and see what they receive. */
export function DemoPage() {
  const client = useClient();
  const [overview, refreshOverview] = useContractQuery('demo.overview', {});
  const [accountId, setAccountId] = useState('');
  const [customerId, setCustomerId] = useState(NEW_CUSTOMER);
  const [username, setUsername] = useState('');
  const [kind, setKind] = useState<EventKind>('text');
  const [text, setText] = useState('What are your opening hours?');
  const [emoji, setEmoji] = useState('❤️');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);

  const accounts: DemoAccount[] = overview.status === 'ok' ? overview.value.accounts : [];
  // The chosen account, or the first one until someone picks another.
  const account = accounts.find((candidate) => candidate.accountId === accountId) ?? accounts[0];

  const customer = account?.customers.find((candidate) => candidate.igsid === customerId);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!account) return;
    setSending(true);
    setOutcome(null);
    const demoEvent: DemoEvent =
      kind === 'text'
        ? { type: 'text', text }
        : kind === 'reaction'
          ? { type: 'reaction', emoji }
          : { type: kind };
    const input: MethodInput<'demo.simulate'> = {
      accountId: account.accountId,
      event: demoEvent,
      ...(customer ? { igsid: customer.igsid } : username.trim() ? { username: username.trim() } : {}),
    };
    const result = await client.call('demo.simulate', input);
    setSending(false);
    if (!result.ok) {
      setOutcome({ ok: false, message: result.error.issues?.[0]?.message ?? result.error.message });
      return;
    }
    setCustomerId(result.value.customer.igsid);
    setUsername('');
    setOutcome({
      ok: true,
      message: `Sent as @${result.value.customer.username}: it arrives in the inbox through the webhook.`,
    });
    refreshOverview();
  }

  if (overview.status === 'error')
    return (
      <div className="demo-page">
        <PageHeader title="Simulate a customer" />
        <p className="screen-error">{overview.error.message}</p>
      </div>
    );

  return (
    <div className="demo-page">
      <PageHeader
        title="Simulate a customer"
        description="Play a customer of a demo account: what you send arrives through the real webhook path, and the account's rules answer it."
        actions={
          <Link className="button" to="/inbox">
            Open the inbox
          </Link>
        }
      />
      <div className="demo-grid">
        <form
          className="card demo-form"
          onSubmit={(event) => void send(event)}
          aria-label="Simulate a customer"
        >
          <h2 className="card__title">The customer writes</h2>
          <Field label="To the account">
            {(ids) => (
              <select
                id={ids.input}
                className="input"
                value={account?.accountId ?? ''}
                onChange={(event) => {
                  setAccountId(event.target.value);
                  setCustomerId(NEW_CUSTOMER);
                }}
              >
                {accounts.map((candidate) => (
                  <option key={candidate.accountId} value={candidate.accountId}>
                    {candidate.clientName ?? candidate.username} · @{candidate.username}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form__row">
            <Field label="Customer">
              {(ids) => (
                <select
                  id={ids.input}
                  className="input"
                  value={customer ? customer.igsid : NEW_CUSTOMER}
                  onChange={(event) => setCustomerId(event.target.value)}
                >
                  <option value={NEW_CUSTOMER}>A new customer</option>
                  {account?.customers.map((candidate) => (
                    <option key={candidate.igsid} value={candidate.igsid}>
                      {candidate.name
                        ? `${candidate.name} (@${candidate.username})`
                        : `@${candidate.username}`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {!customer && (
              <Field label="Username" optional>
                {(ids) => (
                  <input
                    id={ids.input}
                    className="input"
                    value={username}
                    placeholder="picked for you"
                    onChange={(event) => setUsername(event.target.value)}
                  />
                )}
              </Field>
            )}
          </div>
          <fieldset className="demo-kinds">
            <legend className="field__label">What they send</legend>
            {kinds.map(({ kind: value, label, icon: Icon }) => (
              <label key={value} className={`demo-kind${kind === value ? ' demo-kind--active' : ''}`}>
                <input
                  type="radio"
                  name="demo-kind"
                  value={value}
                  checked={kind === value}
                  onChange={() => setKind(value)}
                />
                <Icon size={15} aria-hidden />
                {label}
              </label>
            ))}
          </fieldset>
          {kind === 'text' && (
            <Field
              label="Message"
              hint="Try “how much”, “book” or “opening hours”: each account has starter rules."
            >
              {(ids) => (
                <textarea
                  id={ids.input}
                  aria-describedby={ids.describedBy}
                  className="input demo-text"
                  rows={3}
                  maxLength={1000}
                  value={text}
                  onChange={(event) => setText(event.target.value)}
                />
              )}
            </Field>
          )}
          {kind === 'reaction' && (
            <Field label="Reaction" hint="It lands on the latest message of the conversation.">
              {(ids) => (
                <select
                  id={ids.input}
                  className="input demo-emoji"
                  value={emoji}
                  onChange={(event) => setEmoji(event.target.value)}
                >
                  {emojis.map((value) => (
                    <option key={value} value={value}>
                      {value}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {kind === 'image' && (
            <p className="field__hint">A photo, as a customer shares it from their camera roll.</p>
          )}
          {kind === 'story_mention' && (
            <p className="field__hint">The customer mentions the account in their story.</p>
          )}
          <div className="demo-form__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={sending || !account || (kind === 'text' && !text.trim())}
            >
              <Send size={15} aria-hidden />
              {sending ? 'Sending…' : 'Send as customer'}
            </button>
            {outcome && (
              <p className={`demo-outcome${outcome.ok ? '' : ' demo-outcome--error'}`} role="status">
                {outcome.message}
              </p>
            )}
          </div>
        </form>
        <Received account={account} igsid={customer?.igsid} name={customer?.username} />
      </div>
    </div>
  );
}

/** What the customer got back: the sandbox's Send API log for them, refreshed by pushed events. */
function Received(props: {
  account: DemoAccount | undefined;
  igsid: string | undefined;
  name: string | undefined;
}) {
  const client = useClient();
  // Tagged with whom they belong to, so switching customers never shows someone else's replies.
  const [received, setReceived] = useState<{ key: string; messages: DemoReceived[] } | null>(null);
  const [generation, setGeneration] = useState(0);
  const { account, igsid } = props;
  useEffect(() => {
    if (!account || !igsid) return;
    let cancelled = false;
    void client.call('demo.customerReceived', { accountId: account.accountId, igsid }).then((result) => {
      if (!cancelled && result.ok)
        setReceived({ key: `${account.accountId}:${igsid}`, messages: result.value.messages });
    });
    return () => {
      cancelled = true;
    };
  }, [client, account, igsid, generation]);
  // Replies are sent by the outbox: its state changes are the moment to look again (no polling).
  useEvent('outbox.messageChanged', () => setGeneration((value) => value + 1));
  useEvent('inbox.messageAdded', () => setGeneration((value) => value + 1));
  const messages =
    account && igsid && received?.key === `${account.accountId}:${igsid}` ? received.messages : [];

  return (
    <section className="card demo-received" aria-label="What the customer received">
      <h2 className="card__title">
        {props.name ? `What @${props.name} received` : 'What the customer received'}
      </h2>
      {!igsid ? (
        <p className="field__hint">Send something first; replies from rules and staff show up here.</p>
      ) : messages.length === 0 ? (
        <p className="field__hint">Nothing yet (since the demo started).</p>
      ) : (
        <ol className="demo-received__list">
          {messages.map((message, index) => (
            <li key={`${message.at}-${index}`} className="demo-received__item">
              <span className="demo-bubble">
                {message.text ??
                  (message.kind === 'message'
                    ? message.attachments.join(', ') || 'a message'
                    : message.kind.replace('_', ' '))}
              </span>
              <time className="demo-received__time" dateTime={message.at}>
                {new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
