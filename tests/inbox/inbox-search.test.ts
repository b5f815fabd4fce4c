/**
 * Search on both dialects: message text and participants, words as prefixes, case and accents
 * ignored, emoji, right-to-left text, and input that means something to FTS or LIKE.
 */
import { beforeAll, expect, it } from 'vitest';
import { searchTerms, fts5Query } from '../../electron/main/core/db/repositories/inbox-search';
import { forEachDialect } from '../support/databases';
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
