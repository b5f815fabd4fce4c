/**
 * The automation state repository's hot reads (one or more per evaluated message), compiled once per dialect.
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../schema';
import { preparedQuery } from './prepared-query';
import type { RuleEditorTables } from './rule-editor-repository';

type Tables = Kysely<DatabaseSchema & RuleEditorTables>;

// What every live evaluation of a message reads.
export const earlierInbound = preparedQuery((db: Tables, conversationId: number, messageId: number) =>
  db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('id', '<', messageId)
    .limit(1),
);
export const stateOf = preparedQuery((db: Tables, conversationId: number) =>
  db.selectFrom('conversation_automation').selectAll().where('conversation_id', '=', conversationId),
);
export const lastStaffReply = preparedQuery((db: Tables, conversationId: number) =>
  db
    .selectFrom('outbound_messages')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('conversation_id', '=', conversationId)
    .where('created_by_kind', '=', 'staff'),
);

export const lastRuleReplyOnAccount = preparedQuery((db: Tables, accountId: string, ruleId: string) =>
  db
    .selectFrom('outbound_messages')
    .where('account_id', '=', accountId)
    .where('created_by_kind', '=', 'rule')
    .where('created_by_id', '=', ruleId)
    .select((eb) => eb.fn.max('created_at').as('at')),
);
export const ruleRepliesForPerson = preparedQuery((db: Tables, conversationId: number) =>
  db
    .selectFrom('outbound_messages')
    .where('conversation_id', '=', conversationId)
    .where('created_by_kind', '=', 'rule')
    .where('created_by_id', 'is not', null)
    .groupBy('created_by_id')
    .select((eb) => ['created_by_id', eb.fn.max('created_at').as('at'), eb.fn.countAll().as('n')]),
);

/** What a live evaluation reads about a conversation, in one statement (one round trip on MariaDB). */
export const conversationFacts = preparedQuery((db: Tables, conversationId: number, messageId: number) =>
  db.selectNoFrom((eb) => [
    eb
      .selectFrom('conversation_automation')
      .select('opted_out')
      .where('conversation_id', '=', conversationId)
      .as('opted_out'),
    eb
      .selectFrom('conversation_automation')
      .select('last_human_reply_at')
      .where('conversation_id', '=', conversationId)
      .as('last_human_reply_at'),
    eb
      .selectFrom('outbound_messages')
      .select((inner) => inner.fn.max('created_at').as('at'))
      .where('conversation_id', '=', conversationId)
      .where('created_by_kind', '=', 'staff')
      .as('staff_reply_at'),
    eb
      .exists(
        eb
          .selectFrom('messages')
          .select('id')
          .where('conversation_id', '=', conversationId)
          .where('direction', '=', 'inbound')
          .where('id', '<', messageId),
      )
      .as('earlier_inbound'),
  ]),
);

// Every echo: whether we queued it, and who did.
export const outboxCreator = preparedQuery((db: Tables, accountId: string, graphMessageId: string) =>
  db
    .selectFrom('outbound_messages')
    .select('created_by_kind')
    .where('account_id', '=', accountId)
    .where('graph_message_id', '=', graphMessageId),
);
