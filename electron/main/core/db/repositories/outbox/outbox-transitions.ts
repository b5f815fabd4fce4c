/**
 * The outbox's state changes. Each is a conditional update on the current state, so two senders
 * can never both move one message; losing that race is a `DB_CONFLICT` saying what happened.
 */
import { DatabaseError } from '../../errors';
import { asciiId, longText, parseInput } from '../../validation';
import { notFound } from '../context';
import type { RepositoryContext } from '../context';
import { findOutbound } from './outbox-rows';
import { failureSchema } from './outbox-schemas';
import type { OutboundFailure, OutboundMessage } from './outbox-model';

type State = OutboundMessage['state'];
type Values = Record<string, string | number | null>;

/** Leaving `pending` for good (or for another try): no reason to wait any more. */
const NOT_WAITING = { wait_kind: null, wait_reason: null } as const;

/**
 * Moves message `id` from one of the `from` states, setting `values` and the update time; when it
 * is in none of them, says which state it is in instead.
 */
async function transition(
  context: RepositoryContext,
  id: number,
  from: State | readonly State[],
  values: Values,
): Promise<void> {
  const result = await context.db
    .updateTable('outbound_messages')
    .set({ ...values, updated_at: context.specifics.time(context.now()) })
    .where('id', '=', id)
    .where('state', 'in', typeof from === 'string' ? [from] : from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return;
  const current = await findOutbound(context, id);
  if (!current) throw notFound('outbound message', id);
  const expected = typeof from === 'string' ? from : from.join(' or ');
  throw new DatabaseError(
    'DB_CONFLICT',
    `The outbound message ${id} is ${current.state}, not ${expected}; it was handled elsewhere.`,
    'Reload the conversation to see its current state.',
  );
}

/** See `OutboxRepository.markSent`. */
export async function markSent(
  context: RepositoryContext,
  id: number,
  graphMessageId: string | null,
  at: Date,
  from: 'sending' | 'unknown' | readonly ('sending' | 'unknown')[],
): Promise<void> {
  if (graphMessageId !== null) parseInput(asciiId(512), graphMessageId, 'Graph message id');
  await transition(context, id, from, {
    state: 'sent',
    graph_message_id: graphMessageId,
    sent_at: context.specifics.time(at),
    error_code: null,
    error_text: null,
    ...NOT_WAITING,
  });
}

/** See `OutboxRepository.markFailed`. */
export async function markFailed(
  context: RepositoryContext,
  id: number,
  failure: OutboundFailure,
): Promise<void> {
  const parsed = parseInput(failureSchema, failure, 'send failure');
  await transition(context, id, 'sending', {
    state: parsed.retryAt ? 'pending' : 'failed',
    ...(parsed.retryAt ? { next_attempt_at: context.specifics.time(parsed.retryAt) } : {}),
    error_code: parsed.code ?? null,
    error_text: parsed.text ?? null,
    wait_kind: parsed.retryAt ? (parsed.waitKind ?? 'retry') : null,
    wait_reason: parsed.retryAt ? (parsed.waitReason ?? null) : null,
  });
}

/**
 * An end state with its reason: `expired` (from pending), `unknown` (from sending), `cancelled`
 * (from pending, failed or unknown). See the `OutboxRepository` methods of the same names.
 */
export async function settle(
  context: RepositoryContext,
  id: number,
  to: 'expired' | 'unknown' | 'cancelled',
  reason: string,
): Promise<void> {
  const from: Record<typeof to, readonly State[]> = {
    expired: ['pending'],
    unknown: ['sending'],
    cancelled: ['pending', 'failed', 'unknown'],
  };
  await transition(context, id, from[to], {
    state: to,
    ...(to === 'unknown' ? { error_code: 'UNKNOWN' } : {}),
    error_text: parseInput(longText(), reason, 'reason'),
    ...NOT_WAITING,
  });
}

/** See `OutboxRepository.requeue`. */
export async function requeue(context: RepositoryContext, id: number, now: Date): Promise<void> {
  await transition(context, id, ['failed', 'expired', 'unknown'], {
    state: 'pending',
    attempts: 0,
    next_attempt_at: context.specifics.time(now),
    error_code: null,
    error_text: null,
    ...NOT_WAITING,
  });
}
