import { Archive, ArchiveRestore, Ban, MailOpen, PanelRight, PauseCircle, PlayCircle } from 'lucide-react';
import { forwardRef, memo, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { AccountView, ConversationDetail, ConversationRow } from '../../../../shared/contract';
import { useClient, useEvent } from '../../app/client-context';
import { Composer } from './composer';
import { DetailsPanel } from './details-panel';
import { accountColor, personName } from './inbox-format';
import { ThreadView } from './thread-view';
import { useThread } from './use-thread';

const HOUR = 3_600_000;

export interface ConversationPaneHandle {
  focusComposer: () => void;
  archive: () => void;
  markUnread: () => void;
}

const Pane = forwardRef<
  ConversationPaneHandle,
  {
    conversationId: number;
    accounts: Map<string, AccountView>;
    now: number;
    onRow: (row: ConversationRow) => void;
  }
>(function ConversationPane(props, ref) {
  const client = useClient();
  const { conversationId, onRow } = props;
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [showDetails, setShowDetails] = useState(true);
  const composer = useRef<HTMLTextAreaElement>(null);
  const thread = useThread(conversationId);

  const reload = () =>
    void client.call('inbox.getConversation', { conversationId }).then((result) => {
      if (result.ok) {
        setDetail(result.value);
        setMissing(null);
      } else setMissing(result.error.message);
    });

  useEffect(() => {
    setDetail(null);
    let cancelled = false;
    void client.call('inbox.markRead', { conversationId }).then((result) => {
      if (!cancelled && result.ok) onRow(result.value);
    });
    void client.call('inbox.getConversation', { conversationId }).then((result) => {
      if (cancelled) return;
      if (result.ok) setDetail(result.value);
      else setMissing(result.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [client, conversationId, onRow]);

  useEvent('inbox.conversationChanged', (event) => event.conversationId === conversationId && reload());
  // A message arriving while the conversation is open is read by the person looking at it.
  useEvent('inbox.messageAdded', (event) => {
    if (
      event.conversationId === conversationId &&
      event.direction === 'inbound' &&
      document.visibilityState === 'visible'
    )
      void client.call('inbox.markRead', { conversationId });
  });

  const act = (
    work: Promise<{ ok: true; value: ConversationRow } | { ok: false; error: { message: string } }>,
  ) =>
    void work.then((result) => {
      if (result.ok) {
        onRow(result.value);
        reload();
      } else setMissing(result.error.message);
    });

  const conversation = detail?.conversation;
  useImperativeHandle(ref, () => ({
    focusComposer: () => composer.current?.focus(),
    markUnread: () => act(client.call('inbox.markUnread', { conversationId })),
    archive: () => {
      if (conversation)
        act(
          client.call('inbox.update', {
            conversationId,
            status: conversation.status === 'archived' ? 'active' : 'archived',
          }),
        );
    },
  }));

  if (missing && !detail) return <div className="pane pane--empty">{missing}</div>;
  if (!conversation) return <div className="pane pane--empty" aria-busy="true" />;
  const account = props.accounts.get(conversation.accountId);
  const paused =
    conversation.automationPausedUntil !== null && Date.parse(conversation.automationPausedUntil) > props.now;
  const setPause = (until: Date | null) =>
    act(client.call('inbox.setAutomationPause', { conversationId, until: until?.toISOString() ?? null }));

  return (
    <div className="pane">
      <div className="conversation">
        <header
          className="conversation__header"
          style={{ '--client-color': accountColor(account) } as React.CSSProperties}
        >
          <div className="conversation__who">
            <h2 className="conversation__name" dir="auto">
              {personName(conversation)}
            </h2>
            <p className="conversation__sub">
              {conversation.participantUsername && conversation.participantName && (
                <span>@{conversation.participantUsername}</span>
              )}
              <span className="conversation__account">
                <span className="row__swatch" aria-hidden />
                {account ? `${account.clientName ?? ''} · @${account.username}` : conversation.accountId}
              </span>
              {conversation.status !== 'active' && (
                <span className={`status-tag status-tag--${conversation.status}`}>{conversation.status}</span>
              )}
              {paused && <span className="status-tag">Automation paused</span>}
            </p>
          </div>
          <div className="conversation__actions" role="toolbar" aria-label="Conversation actions">
            <button
              type="button"
              className="button button--small"
              title="Archive (e)"
              onClick={() =>
                act(
                  client.call('inbox.update', {
                    conversationId,
                    status: conversation.status === 'archived' ? 'active' : 'archived',
                  }),
                )
              }
            >
              {conversation.status === 'archived' ? (
                <ArchiveRestore size={14} aria-hidden />
              ) : (
                <Archive size={14} aria-hidden />
              )}
              {conversation.status === 'archived' ? 'Unarchive' : 'Archive'}
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Mark unread"
              title="Mark unread (u)"
              onClick={() => act(client.call('inbox.markUnread', { conversationId }))}
            >
              <MailOpen size={16} aria-hidden />
            </button>
            {paused ? (
              <button
                type="button"
                className="icon-button icon-button--on"
                aria-label="Resume automation"
                title="Automation is paused here: resume it"
                onClick={() => setPause(null)}
              >
                <PlayCircle size={16} aria-hidden />
              </button>
            ) : (
              <button
                type="button"
                className="icon-button"
                aria-label="Pause automation"
                title="Pause automation: rules will not answer this person for 24 hours"
                onClick={() => setPause(new Date(Date.now() + 24 * HOUR))}
              >
                <PauseCircle size={16} aria-hidden />
              </button>
            )}
            <button
              type="button"
              className="icon-button icon-button--danger"
              aria-label={conversation.status === 'blocked' ? 'Unblock' : 'Block'}
              title={
                conversation.status === 'blocked'
                  ? 'Unblock: show this conversation in the inbox again'
                  : 'Block: hide this conversation from the inbox'
              }
              onClick={() =>
                act(
                  client.call('inbox.update', {
                    conversationId,
                    status: conversation.status === 'blocked' ? 'active' : 'blocked',
                  }),
                )
              }
            >
              <Ban size={16} aria-hidden />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={showDetails ? 'Hide details' : 'Show details'}
              aria-pressed={showDetails}
              onClick={() => setShowDetails((value) => !value)}
            >
              <PanelRight size={16} aria-hidden />
            </button>
          </div>
        </header>
        <ThreadView thread={thread} conversationId={conversationId} />
        <Composer
          ref={composer}
          conversation={conversation}
          account={account}
          now={props.now}
          onSent={thread.reloadOutbox}
        />
      </div>
      {showDetails && detail && (
        <DetailsPanel detail={detail} onChanged={reload} onClose={() => setShowDetails(false)} />
      )}
    </div>
  );
});

/**
 * The open conversation: header with its actions, the thread, the composer, and the details
 * panel (labels, assignment, notes). Opening it marks it read. Memoized: the list beside it
 * re-renders as it scrolls and as counts change, none of which changes the open conversation.
 */
export const ConversationPane = memo(Pane);
