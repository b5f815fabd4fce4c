/**
 * Did a send reach Instagram? Asked when its outcome is unknown (a timeout, a cut connection, a
 * crash between the call and recording its answer), before anything is sent again.
 *
 * Reads the thread with the Conversations API (Meta exposes its 20 most recent messages) and looks
 * for a message from the business with the same text, sent around the attempt, whose mid is not
 * already another outbox message's.
 */
import type { InstagramClient } from '../instagram';

/** How far before the attempt a matching message still counts (clock differences with Meta). */
const CLOCK_SLACK_MS = 2 * 60_000;

/** The answer: found (with its mid), not found, or undecidable (content without text). */
export type ThreadCheckResult = { found: true; mid: string } | { found: false } | { undecidable: true };

/**
 * Looks for the message in the thread with `recipientId`. Throws the client's `GraphApiError` when
 * Meta cannot be asked.
 */
export async function findInThread(
  client: InstagramClient,
  query: {
    recipientId: string;
    text: string | null;
    attemptAt: Date;
    /** True when the mid already belongs to an outbox message (it cannot be this one). */
    isKnownMid: (mid: string) => Promise<boolean>;
  },
): Promise<ThreadCheckResult> {
  if (query.text === null || query.text === '') return { undecidable: true };
  const page = await client.listConversations({ userId: query.recipientId });
  const conversation = page.conversations[0];
  if (!conversation) return { found: false };
  const thread = await client.getConversationMessages(conversation.id);
  const since = query.attemptAt.getTime() - CLOCK_SLACK_MS;
  for (const item of thread.messages) {
    const created = item.createdTime === null ? Number.NaN : Date.parse(item.createdTime);
    if (!Number.isNaN(created) && created < since) continue;
    if (await query.isKnownMid(item.id)) continue;
    const details = await client.getMessage(item.id);
    if (details.from?.id === query.recipientId) continue;
    if (details.text === query.text) return { found: true, mid: details.id };
  }
  return { found: false };
}
