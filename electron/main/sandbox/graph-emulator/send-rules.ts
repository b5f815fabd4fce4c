import { graphErrors } from './errors';

/**
 * Pure validation of a Send API body into a command (instagram-api.md §5).
 *
 * Only the shape is checked here; rules that need state (recipient, window,
 * comment age) live in the send handler.
 */

/** Text limit: 1,000 bytes of UTF-8 (the doc's "characters" wording is the looser of two; measure bytes). */
export const MAX_TEXT_BYTES = 1000;
export const MAX_QUICK_REPLIES = 13;
/** Quick-reply titles longer than this are truncated by Meta, not rejected (§5.3). */
export const QUICK_REPLY_TITLE_CHARS = 20;
export const MAX_IMAGE_ATTACHMENTS = 10;

export interface QuickReply {
  content_type: string;
  title?: string;
  payload?: string;
  image_url?: string;
}

/** A message body after validation, as stored and echoed. */
export interface ValidatedMessage {
  text: string | null;
  attachments: Array<{ type: string; payload?: Record<string, unknown> }>;
  quickReplies: QuickReply[];
}

/** What a valid Send API call asks for. */
export type SendCommand =
  | {
      kind: 'message';
      recipientId: string;
      message: ValidatedMessage;
      tag: 'HUMAN_AGENT' | null;
      replyToMid: string | null;
    }
  | { kind: 'private_reply'; commentId: string; message: ValidatedMessage }
  | { kind: 'sender_action'; recipientId: string; action: 'typing_on' | 'typing_off' | 'mark_seen' }
  | {
      kind: 'reaction';
      recipientId: string;
      action: 'react' | 'unreact';
      messageId: string;
      reaction: string | null;
    };

const TOP_LEVEL = new Set([
  'recipient',
  'message',
  'messaging_type',
  'tag',
  'sender_action',
  'payload',
  'reply_to',
  'thread_control',
  'notification_type',
  'persona_id',
  'access_token',
  'appsecret_proof',
]);
const MESSAGE_KEYS = new Set(['text', 'attachment', 'attachments', 'quick_replies', 'metadata']);
const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'file']);
const QUICK_REPLY_TYPES = new Set(['text', 'user_phone_number', 'user_email']);
const TYPING_ACTIONS = new Set(['typing_on', 'typing_off', 'mark_seen']);
/** IG Messaging (v12+) reaction names; the IG-Login page only documents `love`. */
export const REACTIONS = new Set(['love', 'like', 'laugh', 'wow', 'sad', 'angry', 'other']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, param: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw graphErrors.param(`param ${param} must be a non-empty string`);
  return value;
}

function checkUrl(value: unknown, param: string): string {
  const url = requireString(value, param);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw graphErrors.param(`param ${param} must be a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw graphErrors.param(`param ${param} must be a valid URL`);
  return url;
}

/** Validate a parsed Send API body. Throws `GraphError` on anything Meta would reject. */
export function parseSendBody(body: Record<string, unknown>): SendCommand {
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) throw graphErrors.param(`Unexpected parameter: ${key}`);
  }
  const recipient = body.recipient;
  if (recipient === undefined) throw graphErrors.param('The parameter recipient is required');
  if (!isObject(recipient)) throw graphErrors.param('param recipient must be an object');
  const recipientKeys = Object.keys(recipient);
  if (recipientKeys.length !== 1 || !(recipientKeys[0] === 'id' || recipientKeys[0] === 'comment_id')) {
    throw graphErrors.param('param recipient must contain exactly one of id or comment_id');
  }

  if (body.sender_action !== undefined) return parseSenderAction(body, recipient);
  if (body.payload !== undefined) throw graphErrors.param('param payload is only valid with sender_action');

  if (body.message === undefined) throw graphErrors.param('The parameter message is required');
  const message = parseMessage(body.message);

  const messagingType = body.messaging_type;
  if (
    messagingType !== undefined &&
    messagingType !== 'RESPONSE' &&
    messagingType !== 'UPDATE' &&
    messagingType !== 'MESSAGE_TAG'
  ) {
    throw graphErrors.param('param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
  }
  let tag: 'HUMAN_AGENT' | null = null;
  if (body.tag !== undefined) {
    if (messagingType !== 'MESSAGE_TAG')
      throw graphErrors.param('param tag requires messaging_type MESSAGE_TAG');
    if (body.tag !== 'HUMAN_AGENT')
      throw graphErrors.param('param tag must be HUMAN_AGENT on Instagram (other tags are retired)');
    tag = 'HUMAN_AGENT';
  } else if (messagingType === 'MESSAGE_TAG') {
    throw graphErrors.param('The parameter tag is required when messaging_type is MESSAGE_TAG');
  }

  if (body.thread_control !== undefined) {
    const control = body.thread_control;
    if (!isObject(control) || (control.control_type !== 'pass' && control.control_type !== 'release')) {
      throw graphErrors.param('param thread_control[control_type] must be pass or release');
    }
  }

  if (typeof recipient.comment_id !== 'undefined') {
    if (body.reply_to !== undefined)
      throw graphErrors.param('param reply_to is not valid for a private reply');
    return {
      kind: 'private_reply',
      commentId: requireString(recipient.comment_id, 'recipient[comment_id]'),
      message,
    };
  }

  let replyToMid: string | null = null;
  if (body.reply_to !== undefined) {
    if (!isObject(body.reply_to) || Object.keys(body.reply_to).length !== 1)
      throw graphErrors.param('param reply_to must be {mid}');
    replyToMid = requireString(body.reply_to.mid, 'reply_to[mid]');
  }
  return {
    kind: 'message',
    recipientId: requireString(recipient.id, 'recipient[id]'),
    message,
    tag,
    replyToMid,
  };
}

function parseSenderAction(body: Record<string, unknown>, recipient: Record<string, unknown>): SendCommand {
  const action = body.sender_action;
  if (recipient.id === undefined) throw graphErrors.param('sender_action requires recipient[id]');
  const recipientId = requireString(recipient.id, 'recipient[id]');
  const extra = Object.keys(body).filter(
    (k) => k !== 'recipient' && k !== 'sender_action' && k !== 'access_token' && k !== 'appsecret_proof',
  );
  if (typeof action === 'string' && TYPING_ACTIONS.has(action)) {
    // Meta: a sender-action request must contain only recipient and sender_action.
    if (extra.length > 0)
      throw graphErrors.param(
        `sender_action requests may only contain recipient and sender_action (got ${extra.join(', ')})`,
      );
    return { kind: 'sender_action', recipientId, action: action as 'typing_on' | 'typing_off' | 'mark_seen' };
  }
  if (action === 'react' || action === 'unreact') {
    const others = extra.filter((k) => k !== 'payload');
    if (others.length > 0)
      throw graphErrors.param(`${action} requests may only contain recipient, sender_action and payload`);
    const payload = body.payload;
    if (!isObject(payload)) throw graphErrors.param('The parameter payload is required');
    const messageId = requireString(payload.message_id, 'payload[message_id]');
    if (action === 'unreact') {
      if (Object.keys(payload).some((k) => k !== 'message_id'))
        throw graphErrors.param('unreact payload may only contain message_id');
      return { kind: 'reaction', recipientId, action, messageId, reaction: null };
    }
    const reaction = requireString(payload.reaction, 'payload[reaction]');
    if (!REACTIONS.has(reaction))
      throw graphErrors.param(`param payload[reaction] must be one of {${[...REACTIONS].join(', ')}}`);
    return { kind: 'reaction', recipientId, action, messageId, reaction };
  }
  throw graphErrors.param(
    'param sender_action must be one of {typing_on, typing_off, mark_seen, react, unreact}',
  );
}

function parseMessage(raw: unknown): ValidatedMessage {
  if (!isObject(raw)) throw graphErrors.param('param message must be an object');
  for (const key of Object.keys(raw)) {
    if (!MESSAGE_KEYS.has(key)) throw graphErrors.param(`Unexpected parameter: message[${key}]`);
  }
  const present = ['text', 'attachment', 'attachments'].filter((k) => raw[k] !== undefined);
  if (present.length === 0)
    throw graphErrors.param('Message cannot be empty, must provide valid attachment or text');
  if (present.length > 1)
    throw graphErrors.param(
      `param message may contain only one of text, attachment, attachments (got ${present.join(', ')})`,
    );

  const message: ValidatedMessage = { text: null, attachments: [], quickReplies: [] };
  if (raw.text !== undefined) {
    const text = requireString(raw.text, 'message[text]');
    if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) {
      throw graphErrors.param(
        `Length of param message[text] must be less than or equal to ${MAX_TEXT_BYTES} bytes`,
      );
    }
    message.text = text;
  } else if (raw.attachment !== undefined) {
    message.attachments = [parseAttachment(raw.attachment, 'message[attachment]')];
  } else {
    const list = raw.attachments;
    if (!Array.isArray(list) || list.length === 0)
      throw graphErrors.param('param message[attachments] must be a non-empty array');
    if (list.length > MAX_IMAGE_ATTACHMENTS)
      throw graphErrors.param(
        `param message[attachments] must contain at most ${MAX_IMAGE_ATTACHMENTS} items`,
      );
    message.attachments = list.map((item, i) => {
      const parsed = parseAttachment(item, `message[attachments][${i}]`);
      if (parsed.type !== 'image')
        throw graphErrors.param(`param message[attachments][${i}][type] must be image`);
      return parsed;
    });
  }

  if (raw.quick_replies !== undefined) {
    if (message.text === null)
      throw graphErrors.param('param message[quick_replies] is only supported with text messages');
    const list = raw.quick_replies;
    if (!Array.isArray(list) || list.length === 0)
      throw graphErrors.param('param message[quick_replies] must be a non-empty array');
    if (list.length > MAX_QUICK_REPLIES)
      throw graphErrors.param(`param message[quick_replies] must contain at most ${MAX_QUICK_REPLIES} items`);
    message.quickReplies = list.map((item, i) => parseQuickReply(item, i));
  }
  return message;
}

function parseQuickReply(raw: unknown, index: number): QuickReply {
  const at = `message[quick_replies][${index}]`;
  if (!isObject(raw)) throw graphErrors.param(`param ${at} must be an object`);
  for (const key of Object.keys(raw)) {
    if (key !== 'content_type' && key !== 'title' && key !== 'payload' && key !== 'image_url') {
      throw graphErrors.param(`Unexpected parameter: ${at}[${key}]`);
    }
  }
  const contentType = raw.content_type;
  if (typeof contentType !== 'string' || !QUICK_REPLY_TYPES.has(contentType)) {
    throw graphErrors.param(`param ${at}[content_type] must be one of {text, user_phone_number, user_email}`);
  }
  if (contentType !== 'text') return { content_type: contentType };
  const title = requireString(raw.title, `${at}[title]`);
  const payload = requireString(raw.payload, `${at}[payload]`);
  if (payload.length > 1000) throw graphErrors.param(`param ${at}[payload] must be at most 1000 characters`);
  // Meta truncates long titles rather than rejecting them (instagram-api.md §5.3).
  const truncated = [...title].slice(0, QUICK_REPLY_TITLE_CHARS).join('');
  return { content_type: 'text', title: truncated, payload };
}

function parseAttachment(raw: unknown, at: string): { type: string; payload?: Record<string, unknown> } {
  if (!isObject(raw)) throw graphErrors.param(`param ${at} must be an object`);
  const type = raw.type;
  if (typeof type !== 'string') throw graphErrors.param(`param ${at}[type] is required`);
  const payload = raw.payload;
  if (MEDIA_TYPES.has(type)) {
    if (!isObject(payload)) throw graphErrors.param(`param ${at}[payload] is required`);
    if (payload.attachment_id !== undefined) {
      return {
        type,
        payload: { attachment_id: requireString(payload.attachment_id, `${at}[payload][attachment_id]`) },
      };
    }
    const url = checkUrl(payload.url, `${at}[payload][url]`);
    if (payload.is_reusable !== undefined && typeof payload.is_reusable !== 'boolean') {
      throw graphErrors.param(`param ${at}[payload][is_reusable] must be a boolean`);
    }
    return { type, payload: { url } };
  }
  if (type === 'like_heart') {
    if (payload !== undefined && !(isObject(payload) && Object.keys(payload).length === 0)) {
      throw graphErrors.param(`param ${at}[payload] must be empty for like_heart`);
    }
    return { type };
  }
  if (type === 'MEDIA_SHARE') {
    if (!isObject(payload)) throw graphErrors.param(`param ${at}[payload] is required`);
    return { type, payload: { id: requireString(payload.id, `${at}[payload][id]`) } };
  }
  if (type === 'template') {
    if (!isObject(payload)) throw graphErrors.param(`param ${at}[payload] is required`);
    validateTemplate(payload, `${at}[payload]`);
    return { type, payload };
  }
  throw graphErrors.param(
    `param ${at}[type] must be one of {image, audio, video, file, like_heart, MEDIA_SHARE, template}`,
  );
}

function validateButtons(raw: unknown, at: string, min: number): void {
  if (raw === undefined && min === 0) return;
  if (!Array.isArray(raw) || raw.length < min || raw.length > 3)
    throw graphErrors.param(`param ${at} must contain ${min}-3 buttons`);
  raw.forEach((button, i) => {
    if (!isObject(button)) throw graphErrors.param(`param ${at}[${i}] must be an object`);
    requireString(button.title, `${at}[${i}][title]`);
    if (button.type === 'web_url') checkUrl(button.url, `${at}[${i}][url]`);
    else if (button.type === 'postback') requireString(button.payload, `${at}[${i}][payload]`);
    else throw graphErrors.param(`param ${at}[${i}][type] must be web_url or postback`);
  });
}

function validateTemplate(payload: Record<string, unknown>, at: string): void {
  const kind = payload.template_type;
  if (kind === 'generic') {
    const elements = payload.elements;
    if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
      throw graphErrors.param(`param ${at}[elements] must contain 1-10 elements`);
    }
    elements.forEach((element, i) => {
      if (!isObject(element)) throw graphErrors.param(`param ${at}[elements][${i}] must be an object`);
      const title = requireString(element.title, `${at}[elements][${i}][title]`);
      if ([...title].length > 80)
        throw graphErrors.param(`param ${at}[elements][${i}][title] must be at most 80 characters`);
      if (
        element.subtitle !== undefined &&
        [...requireString(element.subtitle, `${at}[elements][${i}][subtitle]`)].length > 80
      ) {
        throw graphErrors.param(`param ${at}[elements][${i}][subtitle] must be at most 80 characters`);
      }
      validateButtons(element.buttons, `${at}[elements][${i}][buttons]`, 0);
    });
    return;
  }
  if (kind === 'button') {
    const text = requireString(payload.text, `${at}[text]`);
    if ([...text].length > 640) throw graphErrors.param(`param ${at}[text] must be at most 640 characters`);
    validateButtons(payload.buttons, `${at}[buttons]`, 1);
    return;
  }
  if (kind === 'product') return;
  throw graphErrors.param(`param ${at}[template_type] must be one of {generic, button, product}`);
}
