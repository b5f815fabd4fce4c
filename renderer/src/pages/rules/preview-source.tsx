/**
 * Whose data the reply preview uses: one of the account's recent conversations (the latest by
 * default) — the person's username and name, their last message — and the account's own fields and
 * variables; sample data, clearly labelled, while the account has no conversation yet.
 */
import { useEffect, useState } from 'react';
import type { AccountView } from '../../../../shared/contract';
import type { ConversationRow } from '../../../../shared/contract/inbox';
import { useClient, useContractQuery } from '../../app/client-context';
import { Field } from '../../components/field';

/** The values a preview fills a template with. */
export interface PreviewData {
  kind: 'conversation' | 'sample';
  /** Says where the values come from, under each preview. */
  caption: string;
  username: string | null;
  name: string | null;
  messageText: string;
  account: { name: string; username: string };
  variables: Readonly<Record<string, string>>;
}

/** The sample customer used when the account has no conversation yet. */
export const SAMPLE_CUSTOMER = {
  username: 'maria.lopez',
  name: 'María López',
  messageText: 'Hi! What time do you open?',
} as const;

const RECENT = 10;

function who(row: Pick<ConversationRow, 'participantUsername' | 'participantName' | 'participantIgsid'>) {
  return row.participantUsername
    ? `@${row.participantUsername}`
    : (row.participantName ?? row.participantIgsid);
}

/** Preview values from a conversation (or the sample) and the account. */
export function previewDataOf(
  account: Pick<AccountView, 'username' | 'displayName' | 'clientName'>,
  variables: Readonly<Record<string, string>>,
  conversation: { row: ConversationRow; lastInboundText: string | null } | null,
): PreviewData {
  const accountFields = {
    name: account.clientName ?? account.displayName ?? account.username,
    username: account.username,
  };
  if (!conversation)
    return {
      kind: 'sample',
      caption: `Sample data (${SAMPLE_CUSTOMER.name}): this account has no conversation yet`,
      ...SAMPLE_CUSTOMER,
      account: accountFields,
      variables,
    };
  const { row, lastInboundText } = conversation;
  return {
    kind: 'conversation',
    caption: `With ${who(row)}'s data and last message`,
    username: row.participantUsername,
    name: row.participantName,
    messageText: lastInboundText ?? row.lastMessagePreview ?? '',
    account: accountFields,
    variables,
  };
}

/** The account's recent conversations, the chosen one (latest by default) and its preview values. */
export function usePreviewSource(account: AccountView, variables: Readonly<Record<string, string>>) {
  const client = useClient();
  const [list] = useContractQuery('inbox.list', { filter: { accountIds: [account.id] }, limit: RECENT });
  const rows = list.status === 'ok' ? list.value.conversations : [];
  const [chosen, setChosen] = useState<number | null>(null);
  const selected = rows.find((row) => row.id === chosen) ?? rows[0] ?? null;
  const [lastInbound, setLastInbound] = useState<{ id: number; text: string | null } | null>(null);

  useEffect(() => {
    if (!selected) return;
    let cancelled = false;
    void client.call('inbox.thread', { conversationId: selected.id, limit: 50 }).then((result) => {
      if (cancelled) return;
      const message = result.ok
        ? result.value.messages.find((m) => m.direction === 'inbound' && m.text && !m.isDeleted)
        : undefined;
      setLastInbound({ id: selected.id, text: message?.text ?? null });
    });
    return () => {
      cancelled = true;
    };
  }, [client, selected]);

  const data = previewDataOf(
    account,
    variables,
    selected
      ? { row: selected, lastInboundText: lastInbound?.id === selected.id ? lastInbound.text : null }
      : null,
  );
  return {
    rows,
    selectedId: selected?.id ?? null,
    choose: setChosen,
    data,
    loading: list.status === 'loading',
  };
}

/** "Preview with": a recent conversation of the account, or the sample-data label. */
export function PreviewSourcePicker(props: {
  rows: ConversationRow[];
  selectedId: number | null;
  onChoose: (id: number) => void;
  data: PreviewData;
}) {
  if (props.rows.length === 0)
    return (
      <p className="rules-preview-source rules-preview-source--sample" role="note">
        Preview uses sample data ({SAMPLE_CUSTOMER.name}): this account has no conversation yet.
      </p>
    );
  return (
    <Field
      label="Preview with"
      className="rules-preview-source"
      hint="A recent conversation of this account: its person's name and last message fill the preview."
    >
      {(ids) => (
        <select
          id={ids.input}
          className="input"
          value={props.selectedId ?? ''}
          aria-describedby={ids.describedBy}
          onChange={(event) => props.onChoose(Number(event.target.value))}
        >
          {props.rows.map((row) => (
            <option key={row.id} value={row.id}>
              {who(row)}
              {row.lastMessagePreview ? ` — “${row.lastMessagePreview.slice(0, 60)}”` : ''}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
