/**
 * Full-text search for the inbox, per dialect (the indexes come from migration 0015).
 *
 * Both dialects answer the same question: which conversations have a participant or a message
 * matching every word of the query (each word as a prefix, ignoring case and accents). The answer
 * is bounded: the newest `MAX_MESSAGE_MATCHES` matching messages and `MAX_PEOPLE_MATCHES`
 * matching participants, so a common word cannot turn one keystroke into a million-row read.
 *
 * On SQLite a prefix is asked for as the whole words it starts, when they are few (`messageMatch`):
 * FTS5 answers a prefix by reading every matching message before it can return the newest.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect';
import { foldForSearch, searchTerms } from '../../../../../shared/inbox-search';
import type { DatabaseSchema } from '../schema';

export const MAX_MESSAGE_MATCHES = 1000;
export const MAX_PEOPLE_MATCHES = 1000;
/** At most this many indexed words stand in for a typed prefix; past it, FTS5 reads the prefix itself. */
export const MAX_WORDS_FOR_PREFIX = 16;

/** What a search found: conversation ids, and per conversation its newest matching message. */
export interface SearchHits {
  conversationIds: Set<number>;
  messageByConversation: Map<number, number>;
}

// `_` stays: InnoDB counts it as a word character (`kimchi_lover` is one word there).
const NON_WORD_RUN = /[^\p{L}\p{N}\p{M}\p{So}\p{Sk}_]+/u;

/** A word or phrase in FTS5 quotes (quotes doubled). */
function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** An FTS5 query: every word as a quoted prefix phrase, all required. */
export function fts5Query(terms: readonly string[]): string {
  return terms.map((term) => `${quoted(term)}*`).join(' ');
}

/**
 * The words of the message search index that start with `prefix`, in order, or null when there are more
 * than `limit`. One seek each in `messages_fts_words` (migration 0068): the first word from `prefix` on,
 * then the first after the word just found.
 */
async function wordsStartingWith(
  db: Kysely<DatabaseSchema>,
  prefix: string,
  limit: number,
): Promise<string[] | null> {
  const words: string[] = [];
  const end = `${prefix}\u{10FFFF}`; // above every word that starts with `prefix`
  let from = prefix;
  while (words.length <= limit) {
    const found = await sql<{ term: string }>`
      select term from messages_fts_words where term >= ${from} and term < ${end} limit 1`.execute(db);
    const word = found.rows[0]?.term;
    if (word === undefined) break;
    words.push(word);
    from = `${word}\u0001`; // past this word; the longer ones that start with it come next
  }
  return words.length > limit ? null : words;
}

/**
 * Latin letters whose folding `foldedWord` does as the index's tokenizer does (the tests check each one).
 * Not Ǡ and ǡ (U+01E0, U+01E1): the tokenizer keeps those as they are.
 */
const FOLDABLE = /^[A-Za-z0-9\u00C0-\u01DF\u01E2-\u024F\u1E00-\u1EFF]+$/u;

/**
 * A word as the message index stores it (lower case, accents off: `Niño` → `nino`) when that is plain
 * ASCII and certain, else null.
 */
export function foldedWord(term: string): string | null {
  if (!FOLDABLE.test(term)) return null;
  const folded = foldForSearch(term);
  return /^[a-z0-9]+$/.test(folded) ? folded : null;
}

/**
 * The FTS5 query for message text, with the same meaning as `fts5Query`, or null when it cannot match.
 * A word the index would store as plain ASCII becomes the indexed words it starts (`ship` →
 * `("ship" OR "shipped" OR "shipping")`): FTS5 reads those newest first and only as far as needed, where
 * a prefix makes it read every matching message first (22–25 ms for a word in a third of a million
 * messages, against about 1 ms). Other words (emoji, `user.42`, `größe`) and prefixes of many words stay
 * prefixes: how the index folds them is the tokenizer's business.
 */
export async function messageMatch(
  db: Kysely<DatabaseSchema>,
  terms: readonly string[],
): Promise<string | null> {
  const parts: string[] = [];
  for (const term of terms) {
    const folded = foldedWord(term);
    const words = folded === null ? null : await wordsStartingWith(db, folded, MAX_WORDS_FOR_PREFIX);
    if (words === null) parts.push(fts5Query([term]));
    else if (words.length === 0) return null;
    else parts.push(`(${words.map(quoted).join(' OR ')})`);
  }
  return parts.join(' AND ');
}

// InnoDB's default stopword list (information_schema.INNODB_FT_DEFAULT_STOPWORD): a FULLTEXT
// search for one of these finds nothing, so such words are matched with LIKE instead.
const INNODB_STOPWORDS = new Set(
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(
    ' ',
  ),
);

/** Whether InnoDB FULLTEXT can find this word: 3+ letters or digits only, not a stopword. */
export function fulltextable(term: string): boolean {
  return /^[\p{L}\p{N}]{3,}$/u.test(term) && !INNODB_STOPWORDS.has(term.toLowerCase());
}

/** `%term%` for LIKE, with LIKE's wildcards escaped (backslash is the default escape on both). */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Runs the search on the given dialect. */
export async function findSearchHits(
  db: Kysely<DatabaseSchema>,
  dialect: DialectName,
  query: string,
): Promise<SearchHits> {
  const terms = searchTerms(query);
  const hits: SearchHits = { conversationIds: new Set(), messageByConversation: new Map() };
  if (terms.length === 0) return hits;
  const [people, messages] =
    dialect === 'sqlite' ? await sqliteSearch(db, terms) : await mysqlSearch(db, terms);
  for (const row of people) hits.conversationIds.add(Number(row.id));
  // Newest first: the first message seen per conversation is its newest match.
  for (const row of messages) {
    const conversationId = Number(row.conversation_id);
    hits.conversationIds.add(conversationId);
    if (!hits.messageByConversation.has(conversationId))
      hits.messageByConversation.set(conversationId, Number(row.id));
  }
  return hits;
}

type PeopleRows = { id: number }[];
type MessageRows = { id: number; conversation_id: number }[];

async function sqliteSearch(db: Kysely<DatabaseSchema>, terms: readonly string[]) {
  const people = await sql<{ id: number }>`
    select rowid as id from conversations_fts where conversations_fts match ${fts5Query(terms)}
    order by rowid desc limit ${MAX_PEOPLE_MATCHES}`.execute(db);
  const match = await messageMatch(db, terms);
  if (match === null) return [people.rows, []] as [PeopleRows, MessageRows];
  // The FTS index walks its doclist newest (highest rowid) first; the join only reads matches.
  const messages = await sql<{ id: number; conversation_id: number }>`
    select m.id, m.conversation_id from (
      select rowid as id from messages_fts where messages_fts match ${match}
      order by rowid desc limit ${MAX_MESSAGE_MATCHES}
    ) f join messages m on m.id = f.id
    where m.is_deleted = 0
    order by m.id desc`.execute(db);
  return [people.rows, messages.rows] as [PeopleRows, MessageRows];
}

async function mysqlSearch(db: Kysely<DatabaseSchema>, queryTerms: readonly string[]) {
  // Words as InnoDB sees them: runs of word characters (FTS5 does the same inside its phrases).
  const terms = queryTerms.flatMap((term) => term.split(NON_WORD_RUN).filter((word) => word !== ''));
  if (terms.length === 0) return [[], []] as [PeopleRows, MessageRows];
  const indexed = terms.filter(fulltextable);
  const rest = terms.filter((term) => !fulltextable(term));
  const against = indexed.map((term) => `+${term}*`).join(' ');
  // Words InnoDB cannot index (short ones, emoji, stopwords) are matched with LIKE, which the
  // utf8mb4 `_ci` collation also makes case- and accent-insensitive. With at least one indexed
  // word, LIKE only filters the FULLTEXT matches; a query of only such words scans.
  const textWhere = sql.join(
    [
      ...(indexed.length > 0 ? [sql`match(text) against (${against} in boolean mode)`] : []),
      ...rest.map((term) => sql`text like ${likePattern(term)}`),
    ],
    sql` and `,
  );
  const peopleWhere = sql.join(
    [
      ...(indexed.length > 0
        ? [sql`match(participant_name, participant_username) against (${against} in boolean mode)`]
        : []),
      ...rest.map(
        (term) =>
          sql`(participant_name like ${likePattern(term)} or participant_username like ${likePattern(term)})`,
      ),
    ],
    sql` and `,
  );
  const people = await sql<{ id: number }>`
    select id from conversations where ${peopleWhere} order by id desc limit ${MAX_PEOPLE_MATCHES}`.execute(
    db,
  );
  const messages = await sql<{ id: number; conversation_id: number }>`
    select id, conversation_id from messages where ${textWhere} and is_deleted = 0
    order by id desc limit ${MAX_MESSAGE_MATCHES}`.execute(db);
  return [people.rows, messages.rows] as [PeopleRows, MessageRows];
}
