/**
 * The explicit list of migrations, in order.
 *
 * A bundled app cannot scan a folder, so every migration is imported here by name. Names are
 * sorted by Kysely; never rename or edit a migration once it has landed, add a new one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as createInstagramBusinessAccounts from './0001-create-instagram-business-accounts';
import * as createConversations from './0002-create-conversations';
import * as createMessages from './0003-create-messages';
import * as createResponseRules from './0004-create-response-rules';
import * as createRuleEvaluations from './0005-create-rule-evaluations';
import * as createWebhookEvents from './0006-create-webhook-events';
import * as createOutboundMessages from './0007-create-outbound-messages';
import * as createAuditLog from './0008-create-audit-log';
import * as createSettings from './0009-create-settings';
import * as addAccountInstagramAppSecret from './0011-add-account-instagram-app-secret';
import * as addRuleDrafts from './0020-add-rule-drafts';
import * as createRuleCounters from './0021-create-rule-counters';
import * as createConversationAutomation from './0022-create-conversation-automation';
import * as createAccountRuleSettings from './0023-create-account-rule-settings';
import * as addOutboundWaitColumns from './0013-add-outbound-wait-columns';
import * as indexOutboundGraphMessageId from './0014-index-outbound-graph-message-id';
import * as createWebhookSecurityLog from './0012-create-webhook-security-log';
import * as sqlitePartialUnreadIndex from './0024-sqlite-partial-unread-index';
import * as createInboxSearch from './0015-create-inbox-search';
import * as createConversationNotes from './0016-create-conversation-notes';
import * as indexOutboundRuleHistory from './0031-index-outbound-rule-history';
import * as indexOutboundAccountState from './0060-index-outbound-account-state';
import * as createSavedReplies from './0045-create-saved-replies';
import * as createInstagramComments from './0065-create-instagram-comments';
import * as ruleEvaluationsForComments from './0066-rule-evaluations-for-comments';
import * as sqliteSearchIndexMerges from './0067-sqlite-search-index-merges';
import * as sqliteSearchWords from './0068-sqlite-search-words';
import * as sqliteUnreadIndexCoversStatus from './0069-sqlite-unread-index-covers-status';
import * as sqliteLabelledConversationsIndex from './0070-sqlite-labelled-conversations-index';

/** Every migration by name. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-create-instagram-business-accounts': createInstagramBusinessAccounts,
  '0002-create-conversations': createConversations,
  '0003-create-messages': createMessages,
  '0004-create-response-rules': createResponseRules,
  '0005-create-rule-evaluations': createRuleEvaluations,
  '0006-create-webhook-events': createWebhookEvents,
  '0007-create-outbound-messages': createOutboundMessages,
  '0008-create-audit-log': createAuditLog,
  '0009-create-settings': createSettings,
  '0011-add-account-instagram-app-secret': addAccountInstagramAppSecret,
  '0020-add-rule-drafts': addRuleDrafts,
  '0021-create-rule-counters': createRuleCounters,
  '0022-create-conversation-automation': createConversationAutomation,
  '0023-create-account-rule-settings': createAccountRuleSettings,
  '0013-add-outbound-wait-columns': addOutboundWaitColumns,
  '0014-index-outbound-graph-message-id': indexOutboundGraphMessageId,
  '0012-create-webhook-security-log': createWebhookSecurityLog,
  '0024-sqlite-partial-unread-index': sqlitePartialUnreadIndex,
  '0015-create-inbox-search': createInboxSearch,
  '0016-create-conversation-notes': createConversationNotes,
  '0031-index-outbound-rule-history': indexOutboundRuleHistory,
  '0060-index-outbound-account-state': indexOutboundAccountState,
  '0045-create-saved-replies': createSavedReplies,
  '0065-create-instagram-comments': createInstagramComments,
  '0066-rule-evaluations-for-comments': ruleEvaluationsForComments,
  '0067-sqlite-search-index-merges': sqliteSearchIndexMerges,
  '0068-sqlite-search-words': sqliteSearchWords,
  '0069-sqlite-unread-index-covers-status': sqliteUnreadIndexCoversStatus,
  '0070-sqlite-labelled-conversations-index': sqliteLabelledConversationsIndex,
};

/** Kysely `MigrationProvider` over the explicit list above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};
