/**
 * Bad input from issue 9: a conversation of 100,000 messages. Through the contract's service, its
 * thread comes in pages (latest first, never the whole conversation), and following the cursor
 * loads every older page down to the first message, each message once, in order.
 */
import { beforeAll, expect, it } from 'vitest';
import type { IngestInput } from '../../electron/main/core/db/repositories/conversations-repository';
import { forEachDialect } from '../support/databases';
import { addAccount, igsid, inboxService } from './support';

const TOTAL = 100_000;
const BATCH = 2_000;

forEachDialect('a 100,000-message conversation', (get) => {
  let conversationId: number;
  const start = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    const { repos } = get();
    const accountId = (await addAccount(repos, 'Busy Client')).id;
    const person = igsid();
    for (let from = 0; from < TOTAL; from += BATCH) {
      const batch: IngestInput[] = [];
      for (let n = from; n < Math.min(TOTAL, from + BATCH); n++) {
        batch.push({
          accountId,
          participantIgsid: person,
          mid: `big-thread-${person}-${n}`,
          direction: n % 3 === 0 ? 'outbound' : 'inbound',
          text: `message #${n + 1}`,
          // Every tenth message shares its second with the one before: order falls back to the id.
          createdAt: new Date(start + (n - (n % 10 === 9 ? 1 : 0)) * 1000),
        });
      }
      await repos.transaction((tx) => tx.conversations.ingestMany(batch));
    }
    conversationId = (await repos.conversations.findConversation(accountId, person))!.id;
  }, 300_000);

  it('opens at its latest page, not the whole conversation', async () => {
    const { service } = inboxService(get().repos);
    const first = await service.thread({ conversationId });
    expect(first.messages).toHaveLength(50);
    expect(first.messages[0]!.text).toBe(`message #${TOTAL}`);
    expect(first.messages.at(-1)!.text).toBe(`message #${TOTAL - 49}`);
    expect(first.nextCursor).not.toBeNull();
    const row = await service.getConversation(conversationId);
    expect(row.conversation.messageCount).toBe(TOTAL);
  });

  it('loads every older page by cursor (the largest page the contract allows), each message once and in order, down to the first', async () => {
    const { service } = inboxService(get().repos);
    let cursor: string | null = null;
    let pages = 0;
    let expected = TOTAL;
    do {
      const page = await service.thread({ conversationId, limit: 200, ...(cursor ? { cursor } : {}) });
      for (const message of page.messages) {
        expect(message.text).toBe(`message #${expected}`);
        expected -= 1;
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(expected).toBe(0);
    expect(pages).toBe(TOTAL / 200);
  }, 120_000);
});
