/**
 * Ingest's creating events (messages, echoes, postbacks, referrals) of a whole group of deliveries,
 * written together: one `ingestMany` for the group instead of one per delivery, each result counted
 * for the delivery that brought it.
 */
import type { Repositories } from '../db/repositories';
import type { IngestInput, IngestResult } from '../db/repositories/conversations-repository';
import { changeEventOf } from '../outbox/outbox-view';
import {
  describeEvent,
  isInvalidInput,
  recordAdded,
  type DeliveryOutcome,
  type Routed,
} from './delivery-outcome';
import { toIngestInput, type CreatingEvent } from './message-mapping';

/** One delivery's creating events (in event time) and where to record what became of them. */
export interface CreatingWork {
  creating: readonly Routed<CreatingEvent>[];
  outcome: DeliveryOutcome;
  notes: string[];
}

/** An event to store, with the delivery it belongs to. */
interface Pending {
  work: CreatingWork;
  routed: Routed<CreatingEvent>;
  input: IngestInput;
}

/**
 * Stores the creating events of `works` in their order (delivery order, then event time): a mid seen
 * twice is stored once, for the first delivery that brought it, and counted as a duplicate for the others.
 */
export async function storeMessages(repos: Repositories, works: readonly CreatingWork[]): Promise<void> {
  const pending: Pending[] = [];
  for (const work of works) {
    for (const routed of work.creating)
      pending.push({ work, routed, input: await inputOf(repos, routed, work.outcome) });
  }
  if (pending.length === 0) return;
  let results: (IngestResult | undefined)[];
  try {
    results = await repos.conversations.ingestMany(pending.map((item) => item.input));
  } catch (error) {
    if (!isInvalidInput(error)) throw error;
    results = await oneByOne(repos, pending);
  }
  results.forEach((result, i) => {
    const { work, routed, input } = pending[i]!;
    if (!result) return;
    if (!result.inserted) {
      work.outcome.counts.duplicates += 1;
      return;
    }
    recordAdded(work.outcome, routed.account.id, result, input);
    work.outcome.lookups.push({ accountId: routed.account.id, igsid: routed.event.customerId });
  });
}

/**
 * The row of one event. Echoes of our own sends are the app's; one whose send outcome was lost (a crash)
 * is resolved by it.
 */
async function inputOf(
  repos: Repositories,
  { account, event }: Routed<CreatingEvent>,
  outcome: DeliveryOutcome,
): Promise<IngestInput> {
  let sentBy: 'app' | 'phone' = 'phone';
  if (event.kind === 'echo') {
    const { ours, resolved } = await repos.outbox.reconcileEcho({
      accountId: account.id,
      participantIgsid: event.customerId,
      mid: event.message.mid,
      text: event.message.text,
      at: new Date(event.timestamp),
    });
    if (ours) sentBy = 'app';
    if (resolved) outcome.events.add('outbox.messageChanged', changeEventOf(resolved));
  }
  return toIngestInput(event, account.id, sentBy);
}

/**
 * One bad event (a mid longer than any real one, say) must not block the others of its group: store one
 * by one, and note the bad one for its own delivery.
 */
async function oneByOne(
  repos: Repositories,
  pending: readonly Pending[],
): Promise<(IngestResult | undefined)[]> {
  const results: (IngestResult | undefined)[] = [];
  for (const { work, routed, input } of pending) {
    try {
      results.push(await repos.conversations.ingest(input));
    } catch (error) {
      if (!isInvalidInput(error)) throw error;
      results.push(undefined);
      work.outcome.counts.notUnderstood += 1;
      work.notes.push(`${describeEvent(routed.event)} could not be stored: ${error.message}`);
    }
  }
  return results;
}
