/**
 * Gap recovery: messages sent while the workstation was off (or while Meta had dropped the subscription)
 * never arrive as webhooks once Meta gave up retrying, and Meta keeps no webhook history
 * (instagram-api.md §3). The conversations API still has them: fetch the recently updated conversations,
 * and store every message whose id is not stored yet.
 *
 * Idempotent by message id: a message already stored (from its webhook or an earlier run) is neither
 * fetched in detail nor changed. Only the 20 most recent messages of a thread can be read (§6).
 */
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { IngestInput } from '../db/repositories/conversations-repository';
import type { InstagramClient, MessageDetails } from '../instagram';
import { announceStored } from '../receiving/delivery-outcome';
import { PendingEvents, type StoredMessageHook } from '../receiving/ingest-delivery';

/** Conversations updated this long before the last webhook are read too (clock skew, late deliveries). */
const OVERLAP_MS = 60 * 60 * 1000;
/** Conversations read per run: Meta allows about 2 calls a second per account (§6). */
const MAX_CONVERSATIONS = 25;

export interface RecoveryResult {
  conversationsRead: number;
  messagesAdded: number;
}

/**
 * Reads the account's recent conversations and stores missing messages. `pace` is awaited before each
 * Graph call (the caller spaces calls to stay under Meta's per-account rate).
 */
export async function recoverGaps(deps: {
  repos: Repositories;
  events: EventBus;
  client: InstagramClient;
  account: Account;
  pace: () => Promise<void>;
  /** Work done with each stored message in its transaction (the rules). */
  onStored?: StoredMessageHook | undefined;
}): Promise<RecoveryResult> {
  const { repos, client, account, pace } = deps;
  // Nothing received yet: every recent conversation is a candidate.
  const since = account.lastWebhookAt ? account.lastWebhookAt.getTime() - OVERLAP_MS : null;
  await pace();
  const page = await client.listConversations({ withParticipants: true, limit: MAX_CONVERSATIONS });
  const result: RecoveryResult = { conversationsRead: 0, messagesAdded: 0 };
  for (const conversation of page.conversations.slice(0, MAX_CONVERSATIONS)) {
    const updated = conversation.updatedTime ? Date.parse(conversation.updatedTime) : NaN;
    if (since !== null && Number.isFinite(updated) && updated < since) continue;
    await pace();
    const listing = await client.getConversationMessages(conversation.id);
    result.conversationsRead += 1;
    for (const { id } of listing.messages) {
      if (await repos.conversations.getMessageByMid(account.id, id)) continue;
      await pace();
      const details = await client.getMessage(id);
      const input = toIngestInput(account, details);
      if (!input) continue;
      const events = new PendingEvents();
      const stored = await repos.transaction(async (tx) => {
        const row = await tx.conversations.ingest(input);
        // Recovered messages get their rules too: the customer is still waiting for an answer.
        if (row.inserted && deps.onStored)
          await deps.onStored(
            tx,
            {
              accountId: account.id,
              conversationId: row.conversationId,
              messageId: row.messageId,
              direction: input.direction,
            },
            events,
          );
        return row;
      });
      // Stored meanwhile by its (late) webhook: nothing to announce.
      if (!stored.inserted) continue;
      result.messagesAdded += 1;
      announceStored(
        { add: (name, payload) => deps.events.publish(name, payload) },
        account.id,
        stored,
        input,
      );
      events.publishTo(deps.events);
    }
  }
  return result;
}

/** The row for a message read from the API; null when it names no other participant. */
function toIngestInput(account: Account, details: MessageDetails): IngestInput | null {
  const fromUs = details.from?.id === account.instagramAccountId;
  const participant = fromUs ? details.to.find((to) => to.id !== account.instagramAccountId) : details.from;
  if (!participant) return null;
  const createdAt = details.createdTime ? new Date(Date.parse(details.createdTime)) : new Date();
  return {
    accountId: account.id,
    participantIgsid: participant.id,
    ...(!fromUs && participant.username ? { participantUsername: participant.username } : {}),
    mid: details.id,
    direction: fromUs ? 'outbound' : 'inbound',
    // The API returns only the text: a media-only message can only be shown as "something was sent".
    kind: details.text ? 'text' : 'unsupported',
    text: details.text || null,
    // Sends of this app are stored when they are sent, so an unknown outbound one came from elsewhere.
    ...(fromUs ? { sentBy: 'phone' as const } : {}),
    rawEvent: { source: 'conversations_api', message: { id: details.id, createdTime: details.createdTime } },
    createdAt: Number.isFinite(createdAt.getTime()) ? createdAt : new Date(),
  };
}
