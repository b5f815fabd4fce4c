import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ContractError,
  MethodOutput,
  OutboxMessageView,
  Result,
  ThreadMessage,
} from '../../../../shared/contract';
import { useClient, useEvent } from '../../app/client-context';

const PAGE = 50;

export interface Thread {
  /** Oldest first, as drawn. */
  messages: ThreadMessage[];
  /** Outbox rows not (yet) in the thread: queued, paced, failed, expired, cancelled. */
  outgoing: OutboxMessageView[];
  status: 'loading' | 'ok' | 'error';
  error: ContractError | null;
  hasOlder: boolean;
  loadOlder: () => Promise<void>;
  reloadOutbox: () => void;
}

function merge(current: ThreadMessage[], incoming: ThreadMessage[]): ThreadMessage[] {
  const byId = new Map(current.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
}

/**
 * One conversation's messages: the latest page first, older pages on demand, and the latest page
 * re-read when a pushed event says this conversation changed (new message, edit, reaction, send state).
 */
export function useThread(conversationId: number): Thread {
  const client = useClient();
  const [messages, setMessages] = useState<ThreadMessage[]>([]);
  const [outgoing, setOutgoing] = useState<OutboxMessageView[]>([]);
  const [status, setStatus] = useState<Thread['status']>('loading');
  const [error, setError] = useState<ContractError | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const current = useRef(conversationId);

  // The older-pages cursor comes from the first page only; later reloads of the latest page keep it.
  const firstPage = useRef(true);
  const applyLatest = useCallback((id: number, result: Result<MethodOutput<'inbox.thread'>>) => {
    if (current.current !== id) return;
    if (!result.ok) {
      setStatus('error');
      setError(result.error);
      return;
    }
    setMessages((existing) => merge(existing, result.value.messages));
    if (firstPage.current) setCursor(result.value.nextCursor);
    firstPage.current = false;
    setStatus('ok');
  }, []);

  const reloadLatest = useCallback(() => {
    const id = conversationId;
    void client
      .call('inbox.thread', { conversationId: id, limit: PAGE })
      .then((result) => applyLatest(id, result));
  }, [client, conversationId, applyLatest]);

  const reloadOutbox = useCallback(() => {
    const id = conversationId;
    void client.call('outbox.listConversation', { conversationId: id }).then((result) => {
      if (current.current === id && result.ok) setOutgoing(result.value.messages);
    });
  }, [client, conversationId]);

  // The pane is keyed by conversation, so this hook starts fresh for each one.
  useEffect(() => {
    const id = conversationId;
    current.current = id;
    void client
      .call('inbox.thread', { conversationId: id, limit: PAGE })
      .then((result) => applyLatest(id, result));
    void client.call('outbox.listConversation', { conversationId: id }).then((result) => {
      if (current.current === id && result.ok) setOutgoing(result.value.messages);
    });
  }, [client, conversationId, applyLatest]);

  const loadOlder = useCallback(async () => {
    if (!cursor) return;
    const id = conversationId;
    const result = await client.call('inbox.thread', { conversationId: id, limit: PAGE, cursor });
    if (current.current !== id || !result.ok) return;
    setMessages((existing) => merge(existing, result.value.messages));
    setCursor(result.value.nextCursor);
  }, [client, conversationId, cursor]);

  const mine = (event: { conversationId: number }) => event.conversationId === conversationId;
  useEvent('inbox.messageAdded', (event) => mine(event) && reloadLatest());
  useEvent('inbox.messageChanged', (event) => mine(event) && reloadLatest());
  useEvent('outbox.messageChanged', (event) => {
    if (!mine(event)) return;
    reloadOutbox();
    reloadLatest();
  });

  const inThread = new Set(messages.map((message) => message.mid));
  return {
    messages,
    outgoing: outgoing.filter((row) => row.graphMessageId === null || !inThread.has(row.graphMessageId)),
    status,
    error,
    hasOlder: cursor !== null,
    loadOlder,
    reloadOutbox,
  };
}
