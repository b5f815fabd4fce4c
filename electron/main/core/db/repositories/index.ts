/**
 * All repositories over one database, with transactions that span them.
 */
import type { Database } from '../connection';
import { AccountsRepository } from './accounts-repository';
import { AuditRepository } from './audit-repository';
import { AutomationStateRepository } from './automation-state-repository';
import { CommentsRepository } from './comments-repository';
import { inSavepoint, inTransaction } from './context';
import type { RepositoryContext } from './context';
import { ConversationsRepository } from './conversations-repository';
import { InboxRepository } from './inbox-repository';
import { OutboxRepository } from './outbox-repository';
import { OutboxQueueRepository } from './outbox-queue-repository';
import { RuleEditorRepository } from './rule-editor-repository';
import { RulesRepository } from './rules-repository';
import { SavedRepliesRepository } from './saved-replies-repository';
import { SettingsRepository } from './settings-repository';
import { WebhookEventsRepository } from './webhook-events-repository';
import { WebhookSecurityRepository } from './webhook-security-repository';

/** Every repository, bound to one connection or one transaction. */
export interface Repositories {
  readonly accounts: AccountsRepository;
  readonly conversations: ConversationsRepository;
  /** The inbox list (filters, search, keyset pages), unread totals, thread context, notes. */
  readonly inbox: InboxRepository;
  readonly rules: RulesRepository;
  /** Rules as the editor stores them (definition, draft/published), counters, intents and variables. */
  readonly ruleEditor: RuleEditorRepository;
  /** Per-conversation automation state (opt-out, human replies) and the history rules look at. */
  readonly automationState: AutomationStateRepository;
  /** Comments on the account's posts and the comment-to-DM rules' decisions about them. */
  readonly comments: CommentsRepository;
  readonly webhookEvents: WebhookEventsRepository;
  /** Refused webhook requests (never a body), pruned per account. */
  readonly webhookSecurity: WebhookSecurityRepository;
  readonly outbox: OutboxRepository;
  /** The per-account queue view: buckets a page at a time, recent expiries, the next paced send. */
  readonly outboxQueue: OutboxQueueRepository;
  readonly audit: AuditRepository;
  readonly settings: SettingsRepository;
  /** Named replies for the composer (migration 0045). */
  readonly savedReplies: SavedRepliesRepository;
  /**
   * Runs `work` in one transaction: everything it does through the given repositories commits
   * together or, if it throws, not at all. Nested calls join the outer transaction.
   */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `work` behind a savepoint of the open transaction: if it throws, only its own writes are undone
   * (then the error is rethrown). Outside a transaction, the same as `transaction`.
   */
  savepoint<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

function bind(context: RepositoryContext): Repositories {
  // A savepoint (and a transaction joined) runs on the caller's own context: it gets these same repositories,
  // so whatever callers keep per transaction (compiled rules, say) holds inside it too.
  const same = (inner: RepositoryContext) => (inner === context ? repositories : bind(inner));
  const repositories: Repositories = {
    accounts: new AccountsRepository(context),
    conversations: new ConversationsRepository(context),
    inbox: new InboxRepository(context),
    rules: new RulesRepository(context),
    ruleEditor: new RuleEditorRepository(context),
    automationState: new AutomationStateRepository(context),
    comments: new CommentsRepository(context),
    webhookEvents: new WebhookEventsRepository(context),
    webhookSecurity: new WebhookSecurityRepository(context),
    outbox: new OutboxRepository(context),
    outboxQueue: new OutboxQueueRepository(context),
    audit: new AuditRepository(context),
    settings: new SettingsRepository(context),
    savedReplies: new SavedRepliesRepository(context),
    transaction: (work) => inTransaction(context, (inner) => work(same(inner))),
    savepoint: (work) => inSavepoint(context, (inner) => work(same(inner))),
  };
  return repositories;
}

/** Repositories over an open database; `now` is the clock for created/updated times. */
export function createRepositories(
  database: Pick<Database, 'kysely' | 'specifics'>,
  options: { now?: () => Date } = {},
): Repositories {
  return bind({ db: database.kysely, specifics: database.specifics, now: options.now ?? (() => new Date()) });
}

export { AccountsRepository } from './accounts-repository';
export { AuditRepository } from './audit-repository';
export { CommentsRepository } from './comments-repository';
export { ConversationsRepository } from './conversations-repository';
export { InboxRepository } from './inbox-repository';
export { OutboxRepository } from './outbox-repository';
export { RulesRepository } from './rules-repository';
export { SettingsRepository } from './settings-repository';
export { SavedRepliesRepository } from './saved-replies-repository';
export { WebhookEventsRepository } from './webhook-events-repository';
export { WebhookSecurityRepository } from './webhook-security-repository';
export type { RepositoryContext } from './context';
