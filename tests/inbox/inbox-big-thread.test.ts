/**
 * Bad input from issue 9: a conversation of 100,000 messages. Through the contract's service, its
 * thread comes in pages (latest first, never the whole conversation), and the cursor loads older
 * pages, each message once and in order, down to the first message.
 */
import { beforeAll, expect, it } from 'vitest';
import type { IngestInput } from '../../electron/main/core/db/repositories/conversations-repository';
import { encodeCursor } from '../../electron/main/core/inbox/cursor';
import { forEachDialect } from '../support/databases';
import { addAccount, igsid, inboxService } from './support';

const TOTAL = 100_000;
const BATCH = 2_000;

forEachDialect('a 100,000-message conversation', (get) => {
  let conversationId: number;
  let accountId: string;
  const start = Date.UTC(2026, 0, 1);
  const person = igsid();
  const midOf = (n: number) => `big-thread-${person}-${n}`;

  beforeAll(async () => {
    const { repos } = get();
    accountId = (await addAccount(repos, 'Busy Client')).id;
    for (let from = 0; from < TOTAL; from += BATCH) {
      const batch: IngestInput[] = [];
      for (let n = from; n < Math.min(TOTAL, from + BATCH); n++) {
        batch.push({
          accountId,
          participantIgsid: person,
          mid: midOf(n),
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

  it('loads older pages by cursor, each message once and in order, down to the first', async () => {
    const { service } = inboxService(get().repos);
    // The next ten pages from the top, as a reader scrolling up (the largest page the contract allows).
    let cursor: string | null = null;
    let expected = TOTAL;
    for (let page = 0; page < 10; page++) {
      const result = await service.thread({ conversationId, limit: 200, ...(cursor ? { cursor } : {}) });
      expect(result.messages.map((message) => message.text)).toEqual(texts(expected, 200));
      expected -= 200;
      cursor = result.nextCursor;
    }
    // Far down the thread: from message #401 on, the pages reach the first message, then stop.
    const start401 = await get().repos.conversations.getMessageByMid(accountId, midOf(400));
    cursor = encodeCursor(start401!.createdAt, start401!.id);
    const deep = await service.thread({ conversationId, limit: 200, cursor });
    expect(deep.messages.map((message) => message.text)).toEqual(texts(400, 200));
    const last = await service.thread({ conversationId, limit: 200, cursor: deep.nextCursor! });
    expect(last.messages.map((message) => message.text)).toEqual(texts(200, 200));
    expect(last.nextCursor).toBeNull();
  });
});

/** "message #from", "message #from-1", … `count` of them. */
function texts(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `message #${from - i}`);
}
