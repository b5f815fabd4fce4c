/**
 * Saved replies as the contract sees them: checked against the account's variables when saved, and
 * filled in for a conversation when the composer lists them (the same values a rule reply would get).
 */
import type { MethodInput, MethodOutput, SavedReplyView } from '../../../../shared/contract';
import {
  renderSavedReply,
  savedReplyBodyProblems,
  type RenderedSavedReply,
} from '../../../../shared/saved-replies';
import { ApiError } from '../api/api-error';
import type { Handlers } from '../api/dispatcher';
import type { Repositories } from '../db/repositories';
import type { SavedReplyColumns, SavedReplyRecord } from '../db/repositories/saved-replies-repository';
import { accountContextOf } from '../../../../shared/rules/account-input';

function view(record: SavedReplyRecord, rendered?: RenderedSavedReply): SavedReplyView {
  return {
    ...record,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    ...(rendered ? { rendered } : {}),
  };
}

export class SavedRepliesService {
  constructor(private readonly repositories: () => Repositories) {}

  private get repos(): Repositories {
    return this.repositories();
  }

  async list(input: MethodInput<'savedReplies.list'>): Promise<MethodOutput<'savedReplies.list'>> {
    if (input.conversationId === undefined) {
      if (input.accountId !== undefined) await this.requireAccount(input.accountId);
      const records = await this.repos.savedReplies.list(input.accountId);
      return { replies: records.map((record) => view(record)) };
    }
    const conversation = await this.repos.conversations.getConversation(input.conversationId);
    if (!conversation)
      throw new ApiError('NOT_FOUND', `The conversation ${input.conversationId} does not exist.`);
    if (input.accountId !== undefined && input.accountId !== conversation.accountId)
      throw new ApiError(
        'INVALID_INPUT',
        'That conversation belongs to another account: give one of the two.',
        [{ path: 'accountId', message: 'is not the account of the conversation' }],
      );
    const account = await this.requireAccount(conversation.accountId);
    const [records, settings, messageText] = await Promise.all([
      this.repos.savedReplies.list(conversation.accountId),
      this.repos.ruleEditor.getSettings(conversation.accountId),
      this.repos.savedReplies.lastInboundText(conversation.id),
    ]);
    const { context } = accountContextOf(account, settings);
    const values = {
      username: conversation.participantUsername,
      name: conversation.participantName,
      account: { name: context.name, username: context.username ?? null },
      messageText,
      variables: settings.variables,
    };
    return { replies: records.map((record) => view(record, renderSavedReply(record.body, values))) };
  }

  async create(input: MethodInput<'savedReplies.create'>): Promise<SavedReplyView> {
    const columns = { accountId: input.accountId, name: input.name, body: input.body };
    await this.check(columns);
    return view(await this.repos.savedReplies.create(columns));
  }

  async update(input: MethodInput<'savedReplies.update'>): Promise<SavedReplyView> {
    const current = await this.repos.savedReplies.get(input.id);
    if (!current)
      throw new ApiError(
        'NOT_FOUND',
        `The saved reply ${input.id} does not exist (it may have been deleted).`,
      );
    const columns = {
      accountId: input.accountId === undefined ? current.accountId : input.accountId,
      name: input.name ?? current.name,
      body: input.body ?? current.body,
    };
    await this.check(columns);
    return view(await this.repos.savedReplies.update(input.id, input.version, columns));
  }

  async delete(input: MethodInput<'savedReplies.delete'>): Promise<{ id: number }> {
    const deleted = await this.repos.savedReplies.delete(input.id, input.version);
    return { id: deleted.id };
  }

  /** The account exists, and the body is a valid template for it (or for any account). */
  private async check(columns: SavedReplyColumns): Promise<void> {
    let variables: string[] | null = null;
    if (columns.accountId !== null) {
      await this.requireAccount(columns.accountId);
      variables = Object.keys((await this.repos.ruleEditor.getSettings(columns.accountId)).variables);
    }
    const problems = savedReplyBodyProblems(columns.body, variables);
    if (problems.length > 0)
      throw new ApiError(
        'INVALID_INPUT',
        problems.map((problem) => problem.message).join('; '),
        problems.map((problem) => ({ path: 'body', message: problem.message })),
      );
  }

  private async requireAccount(accountId: string) {
    const account = await this.repos.accounts.get(accountId);
    if (!account)
      throw new ApiError('NOT_FOUND', `The account ${accountId} does not exist (it may have been removed).`);
    return account;
  }
}

type SavedRepliesHandlers = Pick<
  Handlers,
  'savedReplies.list' | 'savedReplies.create' | 'savedReplies.update' | 'savedReplies.delete'
>;

/** The saved-replies part of the contract. */
export function savedRepliesHandlers(service: SavedRepliesService): SavedRepliesHandlers {
  return {
    'savedReplies.list': (input) => service.list(input),
    'savedReplies.create': (input) => service.create(input),
    'savedReplies.update': (input) => service.update(input),
    'savedReplies.delete': (input) => service.delete(input),
  };
}
