/**
 * Ingest's changing events (unsends, edits, reactions, reads, comments…): applied after the messages of
 * their whole group of deliveries are stored, so they find a message that arrives in the same group,
 * whichever delivery (and whichever order) brings it.
 */
import type {
  MessageDeletedEvent,
  MessageEditEvent,
  ReactionEvent,
  ReadEvent,
} from '../../../../shared/instagram';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { IngestInput } from '../db/repositories/conversations-repository';
import { storeComment } from './comment-ingest';
import { clip, recordAdded, recordChanged, type DeliveryOutcome, type Routed } from './delivery-outcome';
import { rawEventOf } from './message-mapping';

/**
 * Applies one delivery's events that change what is stored (`rest`: everything but the events that create
 * messages), in event time; what is not understood goes to `notes`.
 */
export async function applyChanges(
  repos: Repositories,
  rest: readonly Routed[],
  outcome: DeliveryOutcome,
  notes: string[],
  receivedAt: Date,
): Promise<void> {
  for (const { account, event } of rest) {
    switch (event.kind) {
      case 'message_deleted':
        await applyDelete(repos, account, event, outcome);
        break;
      case 'message_edit':
        await applyEdit(repos, account, event, outcome, notes);
        break;
      case 'reaction':
        await applyReaction(repos, account, event, outcome);
        break;
      case 'read':
        await applyRead(repos, account, event, outcome);
        break;
      case 'comment': {
        const stored = await storeComment(repos, account, event, receivedAt, outcome.events);
        if (stored.status === 'added') outcome.addedComments.push(stored.comment);
        else if (stored.status === 'duplicate') outcome.counts.duplicates += 1;
        else {
          outcome.counts.notUnderstood += 1;
          notes.push(`comment ${clip(event.commentId, 40)} could not be stored: ${stored.reason}`);
        }
        break;
      }
      case 'mention':
      case 'optin':
      case 'handover':
        // No table holds these yet; the stored delivery keeps them whole (see the report in the issue).
        break;
      case 'unknown':
        outcome.counts.notUnderstood += 1;
        notes.push(`a ${event.source} item: ${event.reason}`);
        break;
      case 'message':
      case 'echo':
      case 'postback':
      case 'referral':
        break;
      default: {
        const exhaustive: never = event;
        throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
}

/**
 * A row for a message Switchboard has not seen, so that an unsend or an edit that arrives before its
 * message (or for a message older than the connection) still ends in the right state: when the
 * original arrives later it is a duplicate mid and changes nothing.
 */
async function placeholder(
  repos: Repositories,
  account: Account,
  event: MessageDeletedEvent | MessageEditEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  const fromBusiness = event.senderId === event.businessId;
  const input: IngestInput = {
    accountId: account.id,
    participantIgsid: event.customerId,
    mid: event.mid,
    direction: fromBusiness ? 'outbound' : 'inbound',
    ...(fromBusiness ? { isEcho: true, sentBy: 'phone' as const } : {}),
    kind: 'text',
    text: null,
    rawEvent: rawEventOf(event),
    createdAt: new Date(event.timestamp),
  };
  const result = await repos.conversations.ingest(input);
  if (result.inserted) recordAdded(outcome, account.id, result, input);
}

async function applyDelete(
  repos: Repositories,
  account: Account,
  event: MessageDeletedEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  let message = await repos.conversations.getMessageByMid(account.id, event.mid);
  if (message?.isDeleted) {
    outcome.counts.duplicates += 1;
    return;
  }
  if (!message) {
    await placeholder(repos, account, event, outcome);
    message = await repos.conversations.getMessageByMid(account.id, event.mid);
    if (!message) return;
  } else if (message.text !== null || message.attachments !== null) {
    // The repository clears the text on unsend; the audit log keeps the copy staff may need later.
    await repos.audit.record({
      actor: 'instagram',
      action: 'message.unsent',
      entityType: 'message',
      entityId: String(message.id),
      accountId: account.id,
      before: { mid: message.mid, kind: message.kind, text: message.text, attachments: message.attachments },
      at: new Date(event.timestamp),
    });
  }
  await repos.conversations.markMessageDeleted(account.id, event.mid, new Date(event.timestamp));
  recordChanged(outcome, account.id, message.conversationId, message.id, 'deleted');
}

async function applyEdit(
  repos: Repositories,
  account: Account,
  event: MessageEditEvent,
  outcome: DeliveryOutcome,
  notes: string[],
): Promise<void> {
  if (event.text === null) {
    outcome.counts.notUnderstood += 1;
    notes.push(`an edit of message ${clip(event.mid, 40)} carried no text`);
    return;
  }
  let message = await repos.conversations.getMessageByMid(account.id, event.mid);
  if (!message) {
    await placeholder(repos, account, event, outcome);
    message = await repos.conversations.getMessageByMid(account.id, event.mid);
    if (!message) return;
  }
  // Edits are counted by Meta (`num_edit`); an edit we already hold, or an older one arriving late,
  // must not be applied again (the repository appends to the history on every call).
  const seen = message.editHistory.some((edit) =>
    event.numEdit !== null && edit.numEdit !== null
      ? edit.numEdit >= event.numEdit
      : Date.parse(edit.editedAt) >= event.timestamp,
  );
  if (seen) {
    outcome.counts.duplicates += 1;
    return;
  }
  await repos.conversations.recordEdit(account.id, event.mid, {
    text: event.text,
    editedAt: new Date(event.timestamp),
    numEdit: event.numEdit,
  });
  recordChanged(outcome, account.id, message.conversationId, message.id, 'edited');
}

async function applyReaction(
  repos: Repositories,
  account: Account,
  event: ReactionEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  // The emoji is what the thread draws; the reaction name (`love`) when Meta sent no emoji.
  const value = event.action === 'unreact' ? null : (event.emoji ?? event.reaction ?? 'other');
  const applied = await repos.conversations.setReaction(account.id, event.mid, event.senderId, value);
  if (!applied) {
    outcome.counts.unapplied += 1;
    return;
  }
  const message = await repos.conversations.getMessageByMid(account.id, event.mid);
  if (message) recordChanged(outcome, account.id, message.conversationId, message.id, 'reaction');
}

async function applyRead(
  repos: Repositories,
  account: Account,
  event: ReadEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  // Nothing to store (no "seen" column; see the issue note): the thread shows it live.
  const conversation = await repos.conversations.findConversation(account.id, event.customerId);
  if (!conversation) return;
  outcome.events.add('inbox.messageSeen', {
    accountId: account.id,
    conversationId: conversation.id,
    mid: event.mid,
    seenAt: new Date(event.timestamp).toISOString(),
  });
}
