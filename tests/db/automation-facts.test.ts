/**
 * `automationState.facts`: the one-statement read of a live evaluation agrees with the three reads it replaces
 * (state, last staff reply, earlier inbound), empty and filled, on both dialects.
 */
import { expect, it } from 'vitest';
import type { Repositories } from '../../electron/main/core/db/repositories';
import { forEachDialect } from '../support/databases';
import { igId, longMid, newAccount } from './fixtures';

async function separately(repos: Repositories, conversationId: number, messageId: number) {
  const state = await repos.automationState.getState(conversationId);
  return {
    ...state,
    lastStaffReplyAt: await repos.automationState.lastStaffReplyAt(conversationId),
    hasEarlierInbound: await repos.automationState.hasEarlierInbound(conversationId, messageId),
  };
}

forEachDialect('automation facts', (db) => {
  it('agree with the separate reads before and after state, staff replies and earlier messages exist', async () => {
    const { repos } = db();
    const account = await repos.accounts.create(newAccount());
    const person = igId();
    const inbound = (text: string, at: number) =>
      repos.conversations.ingest({
        accountId: account.id,
        participantIgsid: person,
        mid: longMid(),
        direction: 'inbound',
        text,
        createdAt: new Date(at),
      });
    const first = await inbound('first', Date.UTC(2026, 0, 5, 9));
    const empty = await repos.automationState.facts(first.conversationId, first.messageId);
    expect(empty).toEqual({
      optedOut: false,
      lastHumanReplyAt: null,
      lastStaffReplyAt: null,
      hasEarlierInbound: false,
    });
    expect(empty).toEqual(await separately(repos, first.conversationId, first.messageId));

    const second = await inbound('second', Date.UTC(2026, 0, 5, 10));
    const humanAt = new Date('2026-01-05T10:30:00.123Z');
    await repos.automationState.recordHumanReply(second.conversationId, account.id, humanAt);
    await repos.automationState.setOptOut(second.conversationId, account.id, true, humanAt);
    await repos.outbox.enqueue({
      accountId: account.id,
      conversationId: second.conversationId,
      idempotencyKey: `staff:${longMid()}`,
      payload: { message: { text: 'hello' } },
      text: 'hello',
      createdBy: { kind: 'staff', id: 'maria' },
    });
    const filled = await repos.automationState.facts(second.conversationId, second.messageId);
    expect(filled).toMatchObject({ optedOut: true, lastHumanReplyAt: humanAt, hasEarlierInbound: true });
    expect(filled.lastStaffReplyAt).toBeInstanceOf(Date);
    expect(filled).toEqual(await separately(repos, second.conversationId, second.messageId));
    // The first message still has nothing before it.
    expect((await repos.automationState.facts(first.conversationId, first.messageId)).hasEarlierInbound).toBe(
      false,
    );
  });
});
