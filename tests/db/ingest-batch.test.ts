/**
 * `ingestMany` as the receiver uses it: one transaction per batch, with the batch's messages
 * inserted together and its conversations' counters moved by one statement. These cases pin down
 * what a batch must do exactly like the same messages ingested one by one.
 */
import Libsql from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, QueryId, RootOperationNode } from 'kysely';
import { openDatabase } from '../../electron/main/core/db/connection';
import type { Database } from '../../electron/main/core/db/connection';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import { createScratchConfig, forEachDialect } from '../support/databases';
import type { ScratchConfig } from '../support/databases';
import { igId, longMid, newAccount } from './fixtures';

const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 9, 0, second, 250));

forEachDialect('batched message ingest', (db) => {
  async function account() {
    return db().repos.accounts.create(newAccount());
  }

  it('stores a mid repeated within one batch once, and counts it once', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const participantIgsid = igId();
    const mid = longMid();
    const message = {
      accountId: acc.id,
      participantIgsid,
      mid,
      direction: 'inbound' as const,
      text: 'twice in one delivery',
      createdAt: at(1),
    };
    const results = await conversations.ingestMany([message, { ...message, text: 'the copy' }]);
    expect(results[0]!.inserted).toBe(true);
    expect(results[1]).toEqual({ ...results[0], inserted: false });
    expect(await conversations.listThread(results[0]!.conversationId)).toHaveLength(1);
    expect((await conversations.getMessageByMid(acc.id, mid))?.text).toBe('twice in one delivery');
    expect(await conversations.getConversation(results[0]!.conversationId)).toMatchObject({
      messageCount: 1,
      unreadCount: 1,
      lastMessagePreview: 'twice in one delivery',
    });
  });

  it('mixes new and existing conversations and redelivered mids: results in input order, counters moved by new messages only', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const known = igId();
    const newcomer = igId();
    const stored = longMid();
    const first = await conversations.ingest({
      accountId: acc.id,
      participantIgsid: known,
      mid: stored,
      direction: 'inbound',
      text: 'original',
      createdAt: at(1),
    });
    const m2 = longMid();
    const results = await conversations.ingestMany([
      // Redelivery of a stored message, with different content: ignored.
      {
        accountId: acc.id,
        participantIgsid: known,
        mid: stored,
        direction: 'inbound',
        text: 'redelivered',
        createdAt: at(9),
      },
      {
        accountId: acc.id,
        participantIgsid: known,
        mid: m2,
        direction: 'inbound',
        text: 'new',
        createdAt: at(2),
      },
      {
        accountId: acc.id,
        participantIgsid: newcomer,
        participantUsername: 'newcomer',
        mid: longMid(),
        direction: 'inbound',
        text: 'hello',
        createdAt: at(3),
      },
      {
        accountId: acc.id,
        participantIgsid: newcomer,
        mid: longMid(),
        direction: 'outbound',
        isEcho: true,
        sentBy: 'staff',
        text: 'welcome',
        createdAt: at(4),
      },
      {
        accountId: acc.id,
        participantIgsid: known,
        mid: m2,
        direction: 'inbound',
        text: 'new',
        createdAt: at(2),
      },
    ]);
    expect(results.map((r) => r.inserted)).toEqual([false, true, true, true, false]);
    expect(results[0]).toEqual({ ...first, inserted: false });
    expect(results[1]!.conversationId).toBe(first.conversationId);
    expect(results[4]).toEqual({ ...results[1], inserted: false });
    expect(results[2]!.conversationId).not.toBe(first.conversationId);
    expect(results[3]!.conversationId).toBe(results[2]!.conversationId);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(4);

    const knownConversation = await conversations.getConversation(first.conversationId);
    expect(knownConversation).toMatchObject({ messageCount: 2, unreadCount: 2, lastMessagePreview: 'new' });
    expect(knownConversation?.lastMessageAt?.getTime()).toBe(at(2).getTime());
    expect((await conversations.getMessageByMid(acc.id, stored))?.text).toBe('original');

    const newConversation = await conversations.getConversation(results[2]!.conversationId);
    expect(newConversation).toMatchObject({
      participantUsername: 'newcomer',
      messageCount: 2,
      unreadCount: 1,
      lastMessagePreview: 'welcome',
    });
    expect(newConversation?.lastMessageAt?.getTime()).toBe(at(4).getTime());
    expect(newConversation?.lastInboundAt?.getTime()).toBe(at(3).getTime());

    // Redelivering the whole batch changes nothing.
    const again = await conversations.ingestMany([
      { accountId: acc.id, participantIgsid: known, mid: m2, direction: 'inbound', createdAt: at(2) },
      { accountId: acc.id, participantIgsid: known, mid: stored, direction: 'inbound', createdAt: at(1) },
    ]);
    expect(again.map((r) => r.inserted)).toEqual([false, false]);
    expect(await conversations.getConversation(first.conversationId)).toEqual(knownConversation);
  });

  it('keeps the newest message and the newest inbound time when a batch is out of order, and across batches', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const base = { accountId: acc.id, participantIgsid: igId() };
    const inbound = (text: string, second: number) => ({
      ...base,
      mid: longMid(),
      direction: 'inbound' as const,
      text,
      createdAt: at(second),
    });
    const [r] = await conversations.ingestMany([
      inbound('c', 3),
      inbound('a', 1),
      {
        ...base,
        mid: longMid(),
        direction: 'outbound',
        isEcho: true,
        sentBy: 'phone',
        text: 'e',
        createdAt: at(5),
      },
      inbound('b', 2),
    ]);
    const id = r!.conversationId;
    let c = await conversations.getConversation(id);
    expect(c).toMatchObject({ messageCount: 4, unreadCount: 3, lastMessagePreview: 'e' });
    expect(c?.lastMessageAt?.getTime()).toBe(at(5).getTime());
    expect(c?.lastInboundAt?.getTime()).toBe(at(3).getTime());

    // A late, older batch: counted, but last message and window start stay.
    await conversations.ingestMany([inbound('late', 0), inbound('later', 4)]);
    c = await conversations.getConversation(id);
    expect(c).toMatchObject({ messageCount: 6, unreadCount: 5, lastMessagePreview: 'e' });
    expect(c?.lastMessageAt?.getTime()).toBe(at(5).getTime());
    expect(c?.lastInboundAt?.getTime()).toBe(at(4).getTime());

    // An outbound-only batch leaves the 24 h window and the unread badge alone.
    await conversations.ingestMany([
      {
        ...base,
        mid: longMid(),
        direction: 'outbound',
        isEcho: true,
        sentBy: 'app',
        text: 'f',
        createdAt: at(7),
      },
    ]);
    c = await conversations.getConversation(id);
    expect(c).toMatchObject({ messageCount: 7, unreadCount: 5, lastMessagePreview: 'f' });
    expect(c?.lastInboundAt?.getTime()).toBe(at(4).getTime());

    await conversations.ingestMany([inbound('newest', 9)]);
    c = await conversations.getConversation(id);
    expect(c).toMatchObject({ messageCount: 8, unreadCount: 6, lastMessagePreview: 'newest' });
    expect(c?.lastMessageAt?.getTime()).toBe(at(9).getTime());
    expect(c?.lastInboundAt?.getTime()).toBe(at(9).getTime());
  });

  it('handles a batch larger than one statement takes (over 500 messages and conversations)', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const people = Array.from({ length: 520 }, () => igId());
    const inputs = Array.from({ length: 640 }, (_, i) => ({
      accountId: acc.id,
      participantIgsid: people[i % people.length]!,
      mid: longMid(),
      direction: i % 3 === 0 ? ('outbound' as const) : ('inbound' as const),
      ...(i % 3 === 0 ? { isEcho: true, sentBy: 'app' as const } : {}),
      text: `m${i}`,
      createdAt: at(i % 60),
    }));
    // The same mid at both ends of the batch, in different insert chunks.
    inputs[639] = { ...inputs[639]!, mid: inputs[7]!.mid, participantIgsid: inputs[7]!.participantIgsid };
    const results = await conversations.ingestMany(inputs);
    expect(results.filter((r) => r.inserted)).toHaveLength(639);
    expect(results[639]).toEqual({ ...results[7], inserted: false });

    const expected = new Map<string, { count: number; unread: number }>();
    for (const input of inputs.slice(0, 639)) {
      const entry = expected.get(input.participantIgsid) ?? { count: 0, unread: 0 };
      entry.count += 1;
      if (input.direction === 'inbound') entry.unread += 1;
      expected.set(input.participantIgsid, entry);
    }
    for (const person of [people[0]!, people[7]!, people[119]!, people[519]!]) {
      const c = await conversations.findConversation(acc.id, person);
      expect({ count: c?.messageCount, unread: c?.unreadCount }).toEqual(expected.get(person));
    }
    const total = (await db().repos.inbox.unreadByAccount()).find((u) => u.accountId === acc.id)?.unread;
    expect(total).toBe([...expected.values()].reduce((sum, e) => sum + e.unread, 0));
  });
});

describe('the inbox badges and label list on SQLite', () => {
  let scratch: ScratchConfig | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    scratch = await createScratchConfig('sqlite');
    database = await openDatabase(scratch.config);
    await migrateToLatest(database);
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it('are read from their partial indexes alone, not from the table', async () => {
    // Capture the statements the repositories run, then ask SQLite how it would run them.
    const seen: { node: RootOperationNode; queryId: QueryId }[] = [];
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        seen.push(args);
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const repos = createRepositories({
      kysely: database!.kysely.withPlugin(capture),
      specifics: database!.specifics,
    });
    await repos.inbox.unreadByAccount();
    await repos.inbox.labelsInUse();
    // The unread conversations (migrations 0024, 0069); the labelled ones (0070).
    const indexes = ['conversations_unread_by_account', 'conversations_labelled'];
    expect(seen).toHaveLength(indexes.length);
    // A separate read-only handle: libsql keeps an EXPLAIN statement busy, which would block the
    // test connection's next write.
    const file = scratch!.config.dialect === 'sqlite' ? scratch!.config.file : '';
    const explain = new Libsql(file, { readonly: true });
    try {
      for (const [i, statement] of seen.entries()) {
        const compiled = database!.kysely.getExecutor().compileQuery(statement.node, statement.queryId);
        const plan = explain.prepare(`explain query plan ${compiled.sql}`).all(compiled.parameters) as {
          detail: string;
        }[];
        expect(plan.map((step) => step.detail).join('\n')).toMatch(
          new RegExp(`COVERING INDEX ${indexes[i]}\\b`),
        );
      }
    } finally {
      explain.close();
    }
  });
});
