/**
 * Full-text search for the inbox, per dialect (the indexes come from migration 0015).
 *
 * Both dialects answer the same question: which conversations have a participant or a message
 * matching every word of the query (each word as a prefix, ignoring case and accents). The answer
 * is bounded: the newest `MAX_MESSAGE_MATCHES` matching messages and `MAX_PEOPLE_MATCHES`
 * matching participants, so a common word cannot turn one keystroke into a million-row read.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect';
import type { DatabaseSchema } from '../schema';

export const MAX_MESSAGE_MATCHES = 1000;
export const MAX_PEOPLE_MATCHES = 1000;

/** What a search found: conversation ids, and per conversation its newest matching message. */
export interface SearchHits {
  conversationIds: Set<number>;
  messageByConversation: Map<number, number>;
}

/** Characters that make a word searchable: letters, digits, marks and symbols (emoji). */
const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{So}\p{Sk}]/u;

// `_` stays: InnoDB counts it as a word character (`kimchi_lover` is one word there).
const NON_WORD_RUN = /[^\p{L}\p{N}\p{M}\p{So}\p{Sk}_]+/u;

/**
 * The query's words: split on spaces, a leading `@` dropped (usernames are typed that way),
 * words with nothing searchable in them (punctuation) left out. At most 8 words.
 */
export function searchTerms(query: string): string[] {
  return query
    .normalize('NFC')
    .split(/\s+/u)
    .map((word) => word.replace(/^@+/u, ''))
    .filter((word) => WORD_CHAR.test(word))
    .slice(0, 8);
}

/** An FTS5 query: every word as a quoted prefix phrase (quotes doubled), all required. */
export function fts5Query(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replace(/"/g, '""')}"*`).join(' ');
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
  const match = fts5Query(terms);
  const people = await sql<{ id: number }>`
    select rowid as id from conversations_fts where conversations_fts match ${match}
    order by rowid desc limit ${MAX_PEOPLE_MATCHES}`.execute(db);
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
