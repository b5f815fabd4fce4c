/**
 * `MessageSender`: the one way into the outbox. It checks a message, writes its row (conversation,
 * origin, idempotency key) and returns; only the delivery worker ever calls the Graph API.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Conversation } from '../db/repositories/conversations-repository';
import type { OutgoingMessage, ReactionName } from '../instagram';
import { renderTemplate, type TemplateLookup } from './message-templates';
import { checkId, checkMessage, refuse } from './message-validation';
import { toPayloadJson, type OutboxContent, type OutboxPayload } from './outbox-payload';
import { publishChange } from './outbox-view';

/** Who asked for the send: a rule (automation), a member of staff, or the system (automation). */
export type OutboxOrigin =
  { kind: 'rule'; ruleId: string } | { kind: 'staff'; userId: string } | { kind: 'system'; id?: string };

/** What a queued send returns: the outbox row, and whether this call created it. */
export interface MessageResult {
  outboxId: number;
  conversationId: number;
  state: 'pending' | 'sending' | 'sent' | 'failed' | 'expired' | 'unknown' | 'cancelled';
  /** False when the idempotency key was already queued: nothing new was queued. */
  created: boolean;
}

/** Fields every request has. */
interface RequestBase {
  accountId: string;
  origin: OutboxOrigin;
  /**
   * Names the send, so asking twice queues once (e.g. `rule:R:reply-to:MID`, or the inbox's request
   * id). Scoped to the account. Default: a fresh id (every call is a new message).
   */
  idempotencyKey?: string;
}

/** A message to a person (IGSID) the account talks to. */
export interface SendMessageRequest extends RequestBase {
  recipientId: string;
  message: OutgoingMessage;
  replyToMid?: string;
  /** Staff only: use HUMAN_AGENT after 24 hours where the account allows it. Ignored for automation. */
  humanAgent?: boolean;
}

/** A saved template filled with parameters. */
export interface SendTemplateRequest extends RequestBase {
  recipientId: string;
  templateId: string;
  params: Readonly<Record<string, string>>;
}

/** A private reply to a comment (one per comment, within 7 days of it: Meta enforces both). */
export interface SendPrivateReplyRequest extends RequestBase {
  commentId: string;
  /** The commenter's IGSID: the reply starts (or continues) the conversation with them. */
  commenterId: string;
  message: OutgoingMessage;
}

/** A reaction to a message of the person (null removes ours). */
export interface ReactRequest extends RequestBase {
  recipientId: string;
  messageId: string;
  reaction: ReactionName | null;
}

/** Queues sends. */
export class MessageSender {
  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      events: EventBus;
      templates: TemplateLookup;
      /** Wakes the delivery worker. */
      onQueued: () => void;
    },
  ) {}

  /** Queues a message to `recipientId` (seed: `send_message`). */
  async sendMessage(request: SendMessageRequest): Promise<MessageResult> {
    refuseIfInvalid([
      ...checkId(request.recipientId, 'recipientId', 'The recipient'),
      ...checkMessage(request.message),
      ...(request.replyToMid ? checkId(request.replyToMid, 'replyToMid', 'The message replied to') : []),
    ]);
    const content: OutboxContent = {
      kind: 'message',
      message: request.message,
      ...(request.replyToMid ? { replyToMid: request.replyToMid } : {}),
    };
    return this.queue(request, { recipientId: request.recipientId }, content, request.humanAgent ?? false);
  }

  /** Queues a saved template with its parameters (seed: `send_template`). */
  async sendTemplate(request: SendTemplateRequest): Promise<MessageResult> {
    refuseIfInvalid(checkId(request.recipientId, 'recipientId', 'The recipient'));
    const template = await this.deps.templates.find(request.accountId, request.templateId);
    if (!template)
      refuse([{ path: 'templateId', message: `There is no saved template "${request.templateId}".` }]);
    const rendered = renderTemplate(template, request.params);
    if (!rendered.ok) refuse(rendered.issues);
    const message: OutgoingMessage = {
      type: 'text',
      text: rendered.text,
      ...(template.quickReplies ? { quickReplies: template.quickReplies } : {}),
    };
    refuseIfInvalid(checkMessage(message, 'template'));
    return this.queue(
      request,
      { recipientId: request.recipientId },
      { kind: 'message', message },
      false,
      template.id,
    );
  }

  /** Queues a private reply to a comment. */
  async sendPrivateReply(request: SendPrivateReplyRequest): Promise<MessageResult> {
    refuseIfInvalid([
      ...checkId(request.commentId, 'commentId', 'The comment'),
      ...checkId(request.commenterId, 'commenterId', 'The commenter'),
      ...checkMessage(request.message),
    ]);
    const content: OutboxContent = {
      kind: 'private_reply',
      commentId: request.commentId,
      message: request.message,
    };
    return this.queue(
      request,
      { recipientId: request.commenterId, createConversation: true },
      content,
      false,
    );
  }

  /** Queues a reaction (or its removal) to one of the person's messages. */
  async react(request: ReactRequest): Promise<MessageResult> {
    refuseIfInvalid([
      ...checkId(request.recipientId, 'recipientId', 'The recipient'),
      ...checkId(request.messageId, 'messageId', 'The message'),
    ]);
    const content: OutboxContent =
      request.reaction === null
        ? { kind: 'unreact', messageId: request.messageId }
        : { kind: 'react', messageId: request.messageId, reaction: request.reaction };
    return this.queue(request, { recipientId: request.recipientId }, content, false);
  }

  private async queue(
    request: RequestBase,
    target: { recipientId: string; createConversation?: boolean },
    content: OutboxContent,
    humanAgent: boolean,
    templateId?: string,
  ): Promise<MessageResult> {
    const repos = this.deps.repositories();
    const account = await repos.accounts.get(request.accountId);
    if (!account) throw new ApiError('NOT_FOUND', 'This account no longer exists.');
    if (account.status !== 'active')
      refuse([
        {
          path: 'accountId',
          message: `The account @${account.username} is ${account.status}; activate it before sending messages from it.`,
        },
      ]);
    const conversation = await this.conversationFor(repos, account.id, account.username, target);
    if (conversation.status === 'blocked')
      refuse([{ path: 'recipientId', message: 'This conversation is blocked; nothing can be sent to it.' }]);
    const fromStaff = request.origin.kind === 'staff';
    const payload: OutboxPayload = {
      v: 1,
      content,
      // Automation never uses the tag, whatever it asks.
      humanAgent: fromStaff && humanAgent,
      ...(templateId ? { templateId } : {}),
    };
    const key = request.idempotencyKey ?? `${request.origin.kind}:${randomUUID()}`;
    if (!/^[\x21-\x7e]{1,180}$/.test(key))
      refuse([
        { path: 'idempotencyKey', message: 'The idempotency key must be 1–180 printable ASCII characters.' },
      ]);
    const { message, created } = await repos.outbox.enqueue({
      accountId: account.id,
      conversationId: conversation.id,
      idempotencyKey: `${account.id}:${key}`,
      payload: toPayloadJson(payload),
      text: content.kind === 'message' || content.kind === 'private_reply' ? textOf(content.message) : null,
      replyToMid: content.kind === 'message' ? (content.replyToMid ?? null) : null,
      createdBy: originColumns(request.origin),
    });
    if (created) {
      publishChange(this.deps.events, message);
      this.deps.onQueued();
    }
    return { outboxId: message.id, conversationId: message.conversationId, state: message.state, created };
  }

  private async conversationFor(
    repos: Repositories,
    accountId: string,
    username: string,
    target: { recipientId: string; createConversation?: boolean },
  ): Promise<Conversation> {
    const found = await repos.conversations.findConversation(accountId, target.recipientId);
    if (found) return found;
    if (target.createConversation)
      return repos.conversations.upsertConversation({ accountId, participantIgsid: target.recipientId });
    return refuse([
      {
        path: 'recipientId',
        message: `@${username} has no conversation with ${target.recipientId}: Instagram only allows messages to people who wrote to the account first.`,
      },
    ]);
  }
}

function refuseIfInvalid(issues: ReturnType<typeof checkMessage>): void {
  if (issues.length > 0) refuse(issues);
}

function textOf(message: OutgoingMessage): string | null {
  return message.type === 'text' ? message.text : null;
}

function originColumns(origin: OutboxOrigin): { kind: 'staff' | 'rule' | 'system'; id: string | null } {
  switch (origin.kind) {
    case 'rule':
      return { kind: 'rule', id: origin.ruleId };
    case 'staff':
      return { kind: 'staff', id: origin.userId };
    case 'system':
      return { kind: 'system', id: origin.id ?? null };
  }
}
