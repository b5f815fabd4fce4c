import type { OutgoingMessage, QuickReply, SendMessageInput } from './instagram-client';

/**
 * Turns a typed `SendMessageInput` into the Send API JSON body
 * (instagram-api.md §5.3–§5.4). Pure, so every body shape can be checked
 * without a server.
 *
 * The client does not re-implement Meta's content limits (1,000 bytes of
 * text, 13 quick replies…): Meta is the authority and answers 100 with a
 * precise message; a second copy of the rules here would drift.
 */

/** The JSON body of one Send API call. */
export type SendBody = Record<string, unknown>;

function quickReplyBody(reply: QuickReply): Record<string, string> {
  if (reply.contentType === 'text')
    return { content_type: 'text', title: reply.title, payload: reply.payload };
  return { content_type: reply.contentType };
}

function messageBody(message: OutgoingMessage): Record<string, unknown> {
  switch (message.type) {
    case 'text': {
      const body: Record<string, unknown> = { text: message.text };
      if (message.quickReplies !== undefined && message.quickReplies.length > 0)
        body.quick_replies = message.quickReplies.map(quickReplyBody);
      return body;
    }
    case 'attachment':
      return { attachment: { type: message.mediaType, payload: { url: message.url } } };
    case 'like_heart':
      return { attachment: { type: 'like_heart' } };
  }
}

/** Build the body for a send. */
export function buildSendBody(input: SendMessageInput): SendBody {
  switch (input.kind) {
    case 'message': {
      const policy = input.policy ?? 'RESPONSE';
      const body: SendBody = {
        recipient: { id: input.recipientId },
        // HUMAN_AGENT is the only tag Instagram still accepts (§5.4); RESPONSE says "a reply in the window".
        ...(policy === 'HUMAN_AGENT'
          ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
          : { messaging_type: 'RESPONSE' }),
        message: messageBody(input.message),
      };
      if (input.replyToMid !== undefined) body.reply_to = { mid: input.replyToMid };
      return body;
    }
    case 'private_reply':
      // Meta's private-reply examples carry only recipient.comment_id and message.
      return { recipient: { comment_id: input.commentId }, message: messageBody(input.message) };
    case 'react':
      return {
        recipient: { id: input.recipientId },
        sender_action: 'react',
        payload: { message_id: input.messageId, reaction: input.reaction },
      };
    case 'unreact':
      return {
        recipient: { id: input.recipientId },
        sender_action: 'unreact',
        payload: { message_id: input.messageId },
      };
    case 'sender_action':
      // Meta: a typing/seen request must contain only recipient and sender_action.
      return { recipient: { id: input.recipientId }, sender_action: input.action };
  }
}

/** The ids a send names, for the client's "non-empty id" check. */
export function idsOf(input: SendMessageInput): Array<[string, string]> {
  const ids: Array<[string, string]> = [];
  switch (input.kind) {
    case 'private_reply':
      ids.push(['commentId', input.commentId]);
      break;
    case 'react':
    case 'unreact':
      ids.push(['recipientId', input.recipientId], ['messageId', input.messageId]);
      break;
    case 'message':
      ids.push(['recipientId', input.recipientId]);
      if (input.replyToMid !== undefined) ids.push(['replyToMid', input.replyToMid]);
      break;
    case 'sender_action':
      ids.push(['recipientId', input.recipientId]);
      break;
  }
  return ids;
}

/** Whether a successful answer to this send must carry a `message_id`. */
export function expectsMessageId(input: SendMessageInput): boolean {
  return input.kind === 'message' || input.kind === 'private_reply';
}
