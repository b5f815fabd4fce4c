/**
 * Checks a message before it is queued, so bad input is refused with a clear message and never
 * reaches Meta (instagram-api.md §5.3 limits).
 */
import { ApiError } from '../api/api-error';
import type { OutgoingMessage } from '../instagram';

/** Meta's limit on a text message: 1,000 bytes of UTF-8 (the docs also say characters; bytes is the stricter). */
export const MAX_TEXT_BYTES = 1000;
/** Meta's limit on quick replies per message. */
export const MAX_QUICK_REPLIES = 13;

/** One problem with the input, for `INVALID_INPUT` issues. */
export interface InputIssue {
  path: string;
  message: string;
}

/** Throws `INVALID_INPUT` with every issue, first one in the message. */
export function refuse(issues: InputIssue[]): never {
  const [first] = issues;
  throw new ApiError('INVALID_INPUT', first ? first.message : 'The message is not valid.', issues);
}

/** Problems with the content of a message (empty on a valid one). */
export function checkMessage(message: OutgoingMessage, path = 'message'): InputIssue[] {
  const issues: InputIssue[] = [];
  switch (message.type) {
    case 'text': {
      if (message.text.trim() === '') issues.push({ path: `${path}.text`, message: 'The message is empty.' });
      const bytes = new TextEncoder().encode(message.text).length;
      if (bytes > MAX_TEXT_BYTES)
        issues.push({
          path: `${path}.text`,
          message: `The message is too long for Instagram: ${bytes} bytes, the limit is ${MAX_TEXT_BYTES} (emoji and accented letters count as several).`,
        });
      const replies = message.quickReplies ?? [];
      if (replies.length > MAX_QUICK_REPLIES)
        issues.push({
          path: `${path}.quickReplies`,
          message: `Instagram allows at most ${MAX_QUICK_REPLIES} quick replies; this message has ${replies.length}.`,
        });
      replies.forEach((reply, i) => {
        if (reply.contentType === 'text' && reply.title.trim() === '')
          issues.push({ path: `${path}.quickReplies.${i}.title`, message: 'A quick reply needs a title.' });
        if (reply.contentType === 'text' && reply.payload === '')
          issues.push({
            path: `${path}.quickReplies.${i}.payload`,
            message: 'A quick reply needs a payload.',
          });
      });
      break;
    }
    case 'attachment':
      if (!isWebUrl(message.url))
        issues.push({
          path: `${path}.url`,
          message: 'The attachment needs a public http(s) address Instagram can download.',
        });
      break;
    case 'like_heart':
      break;
  }
  return issues;
}

/** Instagram-scoped ids (IGSID), message ids and comment ids are opaque but never contain spaces or slashes. */
export function checkId(value: string, path: string, what: string): InputIssue[] {
  if (/^[A-Za-z0-9_.:=-]{1,512}$/.test(value)) return [];
  return [{ path, message: `${what} "${value.slice(0, 40)}" is not a valid Instagram id.` }];
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
