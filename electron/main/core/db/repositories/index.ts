/**
 * All repositories over one database, with transactions that span them.
 */
import type { Database } from '../connection';
import { AccountsRepository } from './accounts-repository';
import { AuditRepository } from './audit-repository';
import { inTransaction } from './context';
import type { RepositoryContext } from './context';
import { ConversationsRepository } from './conversations-repository';
import { OutboxRepository } from './outbox-repository';
import { RulesRepository } from './rules-repository';
import { SettingsRepository } from './settings-repository';
import { WebhookEventsRepository } from './webhook-events-repository';

/** Every repository, bound to one connection or one transaction. */
export interface Repositories {
  readonly accounts: AccountsRepository;
  readonly conversations: ConversationsRepository;
  readonly rules: RulesRepository;
  readonly webhookEvents: WebhookEventsRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
  readonly settings: SettingsRepository;
  /**
   * Runs `work` in one transaction: everything it does through the given repositories commits
   * together or, if it throws, not at all. Nested calls join the outer transaction.
   */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

function bind(context: RepositoryContext): Repositories {
  return {
    accounts: new AccountsRepository(context),
    conversations: new ConversationsRepository(context),
    rules: new RulesRepository(context),
    webhookEvents: new WebhookEventsRepository(context),
    outbox: new OutboxRepository(context),
    audit: new AuditRepository(context),
    settings: new SettingsRepository(context),
    transaction: (work) => inTransaction(context, (inner) => work(bind(inner))),
  };
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
export { ConversationsRepository } from './conversations-repository';
export { OutboxRepository } from './outbox-repository';
export { RulesRepository } from './rules-repository';
export { SettingsRepository } from './settings-repository';
export { WebhookEventsRepository } from './webhook-events-repository';
export type { RepositoryContext } from './context';
