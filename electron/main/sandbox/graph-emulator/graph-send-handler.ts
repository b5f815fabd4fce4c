/**
 * `POST /{node}/messages`: messages, private replies, sender actions and reactions, with the
 * messaging window, permissions and rate limits Graph applies.
 */
import type { SandboxCore } from './core';
import { graphErrors, GraphError } from './errors';
import { requireOwnNode, requireScope, SCOPES } from './graph-auth';
import { DAY, type GraphAnswer, type GraphAuth, type GraphHandler } from './graph-types';
import { parseSendBody, type SendCommand, type ValidatedMessage } from './send-rules';
import type { SandboxAccount, SandboxCustomer } from './state';

function resolveRecipient(core: SandboxCore, account: SandboxAccount, igsid: string): SandboxCustomer {
  const customer = core.state.customer(account.id, igsid);
  // IGSIDs are scoped to one professional account: another account's customer is "no matching user".
  if (!customer) throw graphErrors.noMatchingUser();
  if (customer.unavailable) throw graphErrors.userUnavailable();
  return customer;
}

function checkWindow(
  core: SandboxCore,
  account: SandboxAccount,
  customer: SandboxCustomer,
  tag: 'HUMAN_AGENT' | null,
): void {
  if (tag === 'HUMAN_AGENT') {
    if (!account.humanAgentEnabled) throw graphErrors.humanAgentNotEnabled();
    if (!core.windowOpen(customer, 7 * DAY)) throw graphErrors.outsideWindow(account.loginType);
    return;
  }
  if (!core.windowOpen(customer)) throw graphErrors.outsideWindow(account.loginType);
}

function conversationHas(core: SandboxCore, account: SandboxAccount, igsid: string, mid: string): boolean {
  const message = core.state.messages.get(mid);
  if (!message || message.accountId !== account.id) return false;
  const conversation = core.state.conversations.get(message.conversationId);
  return conversation?.igsid === igsid;
}

/** Stores an outbound message the business sent, records the send and echoes it, as Graph does. */
function deliverMessage(
  core: SandboxCore,
  account: SandboxAccount,
  customer: SandboxCustomer,
  send: { kind: 'message' | 'private_reply'; mid: string; message: ValidatedMessage },
  body: Record<string, unknown>,
  now: number,
): GraphAnswer {
  const { kind, mid, message } = send;
  const { text, attachments } = message;
  core.state.addMessage(
    {
      mid,
      accountId: account.id,
      fromId: account.id,
      toId: customer.igsid,
      direction: 'outbound',
      text,
      attachments,
      createdAt: now,
    },
    customer.igsid,
  );
  core.state.sent.push({
    accountId: account.id,
    recipientId: customer.igsid,
    messageId: mid,
    kind,
    body,
    message,
    at: now,
  });
  core.echo(account, customer.igsid, mid, text, attachments, now);
  return { status: 200, body: { recipient_id: customer.igsid, message_id: mid } };
}

/** Records a send that stores no message (typing indicator, reaction): no mid, no echo. */
function recordAction(
  core: SandboxCore,
  account: SandboxAccount,
  customer: SandboxCustomer,
  kind: 'sender_action' | 'reaction',
  body: Record<string, unknown>,
  now: number,
): GraphAnswer {
  core.state.sent.push({
    accountId: account.id,
    recipientId: customer.igsid,
    messageId: null,
    kind,
    body,
    message: null,
    at: now,
  });
  return { status: 200, body: { recipient_id: customer.igsid } };
}

function execute(
  core: SandboxCore,
  account: SandboxAccount,
  command: SendCommand,
  body: Record<string, unknown>,
): GraphAnswer {
  const now = core.clock.now();
  switch (command.kind) {
    case 'message': {
      const customer = resolveRecipient(core, account, command.recipientId);
      checkWindow(core, account, customer, command.tag);
      if (
        command.replyToMid !== null &&
        !conversationHas(core, account, customer.igsid, command.replyToMid)
      ) {
        throw graphErrors.param('param reply_to[mid] must be a message in this conversation');
      }
      const send = {
        kind: 'message',
        mid: core.ids.messageId(account.id),
        message: command.message,
      } as const;
      return deliverMessage(core, account, customer, send, body, now);
    }
    case 'private_reply': {
      const comment = core.state.comments.get(command.commentId);
      if (!comment || comment.accountId !== account.id)
        throw graphErrors.param('Invalid parameter: recipient[comment_id] does not exist');
      if (comment.privateReplyMid !== null)
        throw graphErrors.permission200('Only one private reply can be sent per comment');
      if (now - comment.createdAt > 7 * DAY)
        throw graphErrors.permission200('Private replies can only be sent within 7 days of the comment');
      const customer = resolveRecipient(core, account, comment.igsid);
      const mid = core.ids.messageId(account.id);
      comment.privateReplyMid = mid;
      // The reply does not open the window: the conversation continues only once the person answers.
      return deliverMessage(
        core,
        account,
        customer,
        { kind: 'private_reply', mid, message: command.message },
        body,
        now,
      );
    }
    case 'sender_action': {
      const customer = resolveRecipient(core, account, command.recipientId);
      checkWindow(core, account, customer, null);
      return recordAction(core, account, customer, 'sender_action', body, now);
    }
    case 'reaction': {
      const customer = resolveRecipient(core, account, command.recipientId);
      checkWindow(core, account, customer, null);
      if (!conversationHas(core, account, customer.igsid, command.messageId)) {
        throw graphErrors.param('param payload[message_id] must be a message in this conversation');
      }
      // No echo for the business's own reactions (instagram-api.md §4).
      return recordAction(core, account, customer, 'reaction', body, now);
    }
  }
}

export const messages: GraphHandler = {
  auth: 'account',
  run: async (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    const { account } = auth;
    try {
      requireOwnNode(call, auth, params.node ?? '');
      requireScope(auth, SCOPES[account.loginType].messages, 10);
      const admitted = core.meter.admit(account.id, core.clock.now(), account.rateLimits);
      if (admitted === 'per_second') throw graphErrors.customRateLimit();
      if (admitted === 'per_hour') throw graphErrors.appRateLimit();
      const body = await call.body();
      const command = parseSendBody(body);
      if (command.kind === 'private_reply') {
        for (const scope of SCOPES[account.loginType].comments) requireScope(auth, scope, 200);
      }
      const answer = execute(core, account, command, body);
      core.meter.recordAccepted(account.id, core.clock.now());
      return answer;
    } catch (error) {
      if (error instanceof GraphError) core.meter.recordRejected(account.id);
      throw error;
    }
  },
};
