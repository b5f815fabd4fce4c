/**
 * Search on both dialects: message text and participants, words as prefixes, case and accents
 * ignored, emoji, right-to-left text, and input that means something to FTS or LIKE.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../electron/main/core/db/connection';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import {
  MAX_WORDS_FOR_PREFIX,
  foldedWord,
  fts5Query,
  messageMatch,
} from '../../electron/main/core/db/repositories/inbox-search';
import { searchTerms } from '../../shared/inbox-search';
import { createScratchConfig, forEachDialect, type ScratchConfig } from '../support/databases';
import { HOUR, addAccount, igsid, inboxService, message } from './support';

it('turns a query into words (a leading @ dropped, punctuation-only words left out) and quotes them for FTS5', () => {
  expect(searchTerms('  @ana.s   "cake" ... ')).toEqual(['ana.s', '"cake"']);
  expect(fts5Query(['say "hi"', 'café'])).toBe('"say ""hi"""* "café"*');
});

forEachDialect('inbox search', (get) => {
  let accountId: string;
  let other: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const { repos } = get();
    accountId = (await addAccount(repos, 'Search Client')).id;
    other = (await addAccount(repos, 'Other Client')).id;
    const people = {
      zoe: { igsid: igsid(), name: 'Zoë Ångström', username: 'zoe_bakes' },
      omar: { igsid: igsid(), name: 'عمر', username: 'omar.k' },
      kim: { igsid: igsid(), name: 'Kim', username: 'kimchi_lover' },
      pat: { igsid: igsid(), name: 'Pat', username: 'pat' },
    };
    await repos.conversations.ingestMany([
      message(accountId, people.zoe, 5 * HOUR, { text: 'Is the crème brûlée gluten-free?' }),
      message(accountId, people.zoe, 4 * HOUR, { text: 'Never mind, thanks' }),
      message(accountId, people.omar, 3 * HOUR, { text: 'مرحبا، هل لديكم توصيل؟' }),
      message(accountId, people.kim, 2 * HOUR, { text: 'Party time 🎉 for 12 people' }),
      message(accountId, people.pat, 1 * HOUR, { text: '50% off? <script>alert(1)</script> a_b' }),
      message(other, { igsid: igsid(), name: 'Elsewhere' }, 1 * HOUR, { text: 'creme brulee please' }),
    ]);
    for (const [key, person] of Object.entries(people))
      ids[key] = (await repos.conversations.findConversation(accountId, person.igsid))!.id;
  });

  const search = async (text: string, accountIds?: string[]) => {
    const { service } = inboxService(get().repos);
    const { conversations } = await service.list({
      filter: { search: text, accountIds: accountIds ?? [accountId] },
    });
    return conversations;
  };
  const found = async (text: string) => (await search(text)).map((row) => row.participantName);

  it('finds a message by a word, ignoring case and accents both ways, and says which message matched', async () => {
    const rows = await search('CREME brulee');
    expect(rows.map((r) => r.id)).toEqual([ids.zoe]);
    expect(rows[0]!.match?.text).toBe('Is the crème brûlée gluten-free?');
    expect(await found('brûlée')).toEqual(['Zoë Ångström']);
    // Both accounts have it; the filter keeps the search to one.
    expect((await search('brulee', [accountId, other])).length).toBe(2);
  });

  it('treats words as prefixes and requires all of them', async () => {
    expect(await found('glut')).toEqual(['Zoë Ångström']);
    expect(await found('party peop')).toEqual(['Kim']);
    expect(await found('party brulee')).toEqual([]);
  });

  it('finds participants by name and @username, accents ignored', async () => {
    expect(await found('zoe')).toEqual(['Zoë Ångström']);
    expect(await found('angstrom')).toEqual(['Zoë Ångström']);
    expect(await found('@kimchi_lover')).toEqual(['Kim']);
    expect((await search('@kimchi_lover'))[0]!.match).toBeNull();
  });

  it('finds emoji and right-to-left text', async () => {
    expect(await found('🎉')).toEqual(['Kim']);
    expect(await found('مرحبا')).toEqual(['عمر']);
    expect(await found('عمر')).toEqual(['عمر']);
  });

  it('takes characters that mean something to FTS or LIKE literally', async () => {
    expect(await found('<script>alert(1)</script>')).toEqual(['Pat']);
    expect(await found('50%')).toEqual(['Pat']);
    expect(await found('"gluten')).toEqual(['Zoë Ångström']);
    expect(await found('* OR NEAR(')).toEqual([]);
    expect(await found('%')).toEqual([]);
    expect(await found('   ')).toHaveLength(4);
  });

  it('finds every word a prefix starts, whether few or many words start with it', async () => {
    const { repos } = get();
    const shop = (await addAccount(repos, 'Prefix Client')).id;
    const texts = ['Ship it', 'It shipped', 'SHIPPING soon', 'a shipment', 'sheep'];
    // More words starting with "zq" than the search looks up one by one (zq1, zq2, … zq17).
    for (let i = 1; i <= MAX_WORDS_FOR_PREFIX + 1; i++) texts.push(`code zq${i}`);
    // Names that match no query: only the message text can be found.
    await repos.conversations.ingestMany(
      texts.map((text, i) =>
        message(shop, { igsid: igsid(), name: `Person ${i}` }, (i + 1) * HOUR, { text }),
      ),
    );
    const matched = async (query: string) =>
      (await search(query, [shop])).map((row) => row.match?.text).sort();
    expect(await matched('ship')).toEqual(['It shipped', 'SHIPPING soon', 'Ship it', 'a shipment']);
    expect(await matched('SHIPP')).toEqual(['It shipped', 'SHIPPING soon']);
    expect(await matched('shipping soon')).toEqual(['SHIPPING soon']);
    expect(await matched('shipz')).toEqual([]);
    expect(await matched('zq')).toHaveLength(MAX_WORDS_FOR_PREFIX + 1);
    expect(await matched('zq1')).toEqual([
      'code zq1',
      'code zq10',
      'code zq11',
      'code zq12',
      'code zq13',
      'code zq14',
      'code zq15',
      'code zq16',
      'code zq17',
    ]);
    expect(await matched('code zq17')).toEqual(['code zq17']);
  });

  it('no longer finds an unsent message, and follows an edit', async () => {
    const { repos } = get();
    const person = { igsid: igsid(), name: 'Editor' };
    const first = message(accountId, person, 10 * HOUR, { text: 'original wording xylophone' });
    const second = message(accountId, person, 9 * HOUR, { text: 'to be unsent zeppelin' });
    await repos.conversations.ingestMany([first, second]);
    expect(await found('xylophone')).toEqual(['Editor']);
    await repos.conversations.recordEdit(accountId, first.mid, {
      text: 'new wording marimba',
      editedAt: new Date(),
    });
    expect(await found('xylophone')).toEqual([]);
    expect(await found('marimba')).toEqual(['Editor']);
    expect(await found('zeppelin')).toEqual(['Editor']);
    await repos.conversations.markMessageDeleted(accountId, second.mid, new Date());
    expect(await found('zeppelin')).toEqual([]);
  });
});

describe('the SQLite search index after many small commits', () => {
  let scratch: ScratchConfig;
  let database: Database;

  beforeAll(async () => {
    scratch = await createScratchConfig('sqlite');
    database = await openDatabase(scratch.config);
    await migrateToLatest(database);
  });
  afterAll(async () => {
    await database.close();
    await scratch.drop();
  });

  it('merges 16 segments at a time (migration 0067) and still finds every message, its index intact', async () => {
    const setting = await sql<{ v: number }>`select v from messages_fts_config where k = 'automerge'`.execute(
      database.kysely,
    );
    expect(setting.rows).toEqual([{ v: 16 }]);

    const repos = createRepositories(database);
    const accountId = (await addAccount(repos, 'Merge Client')).id;
    const person = { igsid: igsid(), name: 'Many Commits' };
    // One transaction each: one new segment each, so the index merges several times over.
    const count = 120;
    for (let i = 0; i < count; i++)
      await repos.conversations.ingest(message(accountId, person, (count - i) * 1000, { text: `word${i}z` }));

    const { service } = inboxService(repos);
    for (const i of [0, 15, 16, 64, 119]) {
      const { conversations } = await service.list({
        filter: { search: `word${i}z`, accountIds: [accountId] },
      });
      expect(conversations.map((row) => row.match?.text)).toEqual([`word${i}z`]);
    }
    // FTS5 checks its index against the messages table and throws when they differ.
    await sql`insert into messages_fts(messages_fts) values ('integrity-check')`.execute(database.kysely);
  });
});

describe('the SQLite message query for a prefix', () => {
  let scratch: ScratchConfig;
  let database: Database;
  // A word for each Latin letter the search folds itself (`qqñz`, `qqÑz`, …), in Unicode's Latin blocks.
  const latinWords: string[] = [];
  for (const [from, to] of [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ] as const)
    for (let code = from; code <= to; code++) {
      const word = `qq${String.fromCodePoint(code)}z`;
      if (foldedWord(word) !== null) latinWords.push(word);
    }

  beforeAll(async () => {
    scratch = await createScratchConfig('sqlite');
    database = await openDatabase(scratch.config);
    await migrateToLatest(database);
    const repos = createRepositories(database);
    const accountId = (await addAccount(repos, 'Query Client')).id;
    const words = ['ship', 'Shipped', 'SHIPPING', 'shipment', 'sheep', 'niño', 'user.42', 'Größe'];
    for (let i = 1; i <= MAX_WORDS_FOR_PREFIX + 1; i++) words.push(`zq${i}`);
    words.push(...latinWords);
    await repos.conversations.ingestMany(
      words.map((text, i) => message(accountId, { igsid: igsid() }, (i + 1) * 1000, { text })),
    );
  });

  afterAll(async () => {
    await database.close();
    await scratch.drop();
  });

  it('asks for the indexed words a plain word starts, and leaves the rest to FTS5 as prefixes', async () => {
    const match = (terms: string[]) => messageMatch(database.kysely, terms);
    expect(await match(['SHIP'])).toBe('("ship" OR "shipment" OR "shipped" OR "shipping")');
    expect(await match(['shipp', 'NIÑ', 'user.4', 'größe'])).toBe(
      '("shipped" OR "shipping") AND ("nino") AND "user.4"* AND "größe"*',
    );
    // Sixteen words are looked up; seventeen are one prefix too many.
    expect(await match(['zq1'])).toBe(
      '("zq1" OR "zq10" OR "zq11" OR "zq12" OR "zq13" OR "zq14" OR "zq15" OR "zq16" OR "zq17")',
    );
    expect(await match(['zq'])).toBe('"zq"*');
    // A word that starts no indexed word: nothing can match.
    expect(await match(['ship', 'shipz'])).toBeNull();
  });

  it('folds each accented Latin letter as the index does, and leaves the others to it', async () => {
    expect(latinWords.length).toBeGreaterThan(300);
    const byFold = new Map<string, string[]>();
    for (const word of latinWords) {
      const folded = foldedWord(word)!;
      byFold.set(folded, [...(byFold.get(folded) ?? []), word]);
    }
    for (const [folded, words] of byFold) {
      const found = await sql<{ text: string }>`
        select m.text from messages_fts f join messages m on m.id = f.rowid
        where messages_fts match ${`"${folded}"`}`.execute(database.kysely);
      expect({ folded, words: found.rows.map((row) => row.text).sort() }).toEqual({
        folded,
        words: words.sort(),
      });
    }
    // Letters without an ASCII base, and other scripts, are not folded here.
    for (const word of ['größe', 'søren', 'æble', 'łódź', 'straße', 'ıi', 'Ω', 'привет', 'Ǡ', 'e\u0301'])
      expect(foldedWord(word)).toBeNull();
  });
});
