/**
 * What a new-message notification needs, read in one statement: the conversation (who wrote, its status),
 * the account (client, time zone) and the message (its text). Three reads by id, each decoding a whole row
 * (the message's raw webhook event included), were most of the notifier's share of ingest's time.
 */
import type { Conversation } from './conversations/conversation-model';
import { accountSettingsOf } from './accounts-repository';
import type { RepositoryContext } from './context';
import { preparedQuery } from './prepared-query';

export interface NotificationFacts {
  conversation: Pick<Conversation, 'status' | 'participantName' | 'participantUsername'>;
  /** Null when the account is gone. */
  account: { username: string; clientName: string | null; timezone: string } | null;
  /** Null when the message is gone or belongs to another conversation. */
  message: { text: string | null; isEcho: boolean; isDeleted: boolean } | null;
}

const factsQuery = preparedQuery((db, accountId: string, messageId: number, conversationId: number) =>
  db
    .selectFrom('conversations as c')
    .leftJoin('instagram_business_accounts as a', (join) => join.on('a.id', '=', accountId))
    .leftJoin('messages as m', (join) =>
      join.on('m.id', '=', messageId).onRef('m.conversation_id', '=', 'c.id'),
    )
    .select([
      'c.status',
      'c.participant_name',
      'c.participant_username',
      'a.username',
      'a.client_name',
      'a.settings',
      'm.id as message_id',
      'm.text',
      'm.is_echo',
      'm.is_deleted',
    ])
    .where('c.id', '=', conversationId),
);

/** The facts, or null when the conversation is gone. */
export async function readNotificationFacts(
  context: RepositoryContext,
  ids: { accountId: string; conversationId: number; messageId: number },
): Promise<NotificationFacts | null> {
  const row = await factsQuery.first(context, ids.accountId, ids.messageId, ids.conversationId);
  if (!row) return null;
  const { specifics } = context;
  return {
    conversation: {
      status: row.status as Conversation['status'],
      participantName: row.participant_name,
      participantUsername: row.participant_username,
    },
    account:
      row.username === null || row.settings === null
        ? null
        : {
            username: row.username,
            clientName: row.client_name,
            timezone: accountSettingsOf(row.settings).timezone,
          },
    message:
      row.message_id === null || row.is_echo === null || row.is_deleted === null
        ? null
        : {
            text: row.text,
            isEcho: specifics.readBool(row.is_echo),
            isDeleted: specifics.readBool(row.is_deleted),
          },
  };
}
