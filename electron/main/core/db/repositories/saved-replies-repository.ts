/**
 * Saved replies (migration 0045): named texts for the composer, per account or for all accounts.
 *
 * Names are unique, ignoring case, among the replies one account is offered (its own and the
 * all-accounts ones); the check runs in the writing transaction, the row lock or SQLite's single
 * writer keeping two writers from both passing it. Every change names the version it was made against.
 */
import type { Generated, Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, DbTime } from '../schema';
import { DatabaseError } from '../errors';
import { inTransaction, notFound } from './context';
import type { RepositoryContext } from './context';

/** `saved_replies` (migration 0045). */
interface SavedRepliesTable {
  id: Generated<number>;
  account_id: string | null;
  name: string;
  body: string;
  version: Generated<number>;
  created_at: DbTime;
  updated_at: DbTime;
}

type SavedRepliesSchema = DatabaseSchema & { saved_replies: SavedRepliesTable };

/** A saved reply as stored. */
export interface SavedReplyRecord {
  id: number;
  accountId: string | null;
  name: string;
  body: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a reply is made of; the caller has checked name and body. */
export interface SavedReplyColumns {
  accountId: string | null;
  name: string;
  body: string;
}

/** Reads and writes of saved replies. */
export class SavedRepliesRepository {
  constructor(private readonly context: RepositoryContext) {}

  private get db(): Kysely<SavedRepliesSchema> {
    return this.context.db.withTables<{ saved_replies: SavedRepliesTable }>();
  }

  /** Every reply (no account given) or those an account is offered, by name. */
  async list(accountId?: string): Promise<SavedReplyRecord[]> {
    let query = this.db.selectFrom('saved_replies').selectAll();
    if (accountId !== undefined)
      query = query.where((eb) => eb.or([eb('account_id', '=', accountId), eb('account_id', 'is', null)]));
    const rows = await query.orderBy('name', 'asc').orderBy('id', 'asc').execute();
    return rows.map((row) => this.fromRow(row));
  }

  async get(id: number): Promise<SavedReplyRecord | null> {
    const row = await this.db.selectFrom('saved_replies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  async create(columns: SavedReplyColumns): Promise<SavedReplyRecord> {
    return inTransaction(this.context, async (context) => {
      const repo = new SavedRepliesRepository(context);
      await repo.requireUniqueName(columns, null);
      const now = context.now();
      const time = context.specifics.time(now);
      const result = await repo.db
        .insertInto('saved_replies')
        .values({
          account_id: columns.accountId,
          name: columns.name,
          body: columns.body,
          created_at: time,
          updated_at: time,
        })
        .executeTakeFirstOrThrow();
      return { id: Number(result.insertId), ...columns, version: 1, createdAt: now, updatedAt: now };
    });
  }

  /** Replaces the columns of a reply last seen at `expectedVersion`. */
  async update(id: number, expectedVersion: number, columns: SavedReplyColumns): Promise<SavedReplyRecord> {
    return inTransaction(this.context, async (context) => {
      const repo = new SavedRepliesRepository(context);
      const current = await repo.requireVersion(id, expectedVersion);
      await repo.requireUniqueName(columns, id);
      const now = context.now();
      await repo.db
        .updateTable('saved_replies')
        .set({
          account_id: columns.accountId,
          name: columns.name,
          body: columns.body,
          version: current.version + 1,
          updated_at: context.specifics.time(now),
        })
        .where('id', '=', id)
        .execute();
      return { ...current, ...columns, version: current.version + 1, updatedAt: now };
    });
  }

  /** Deletes a reply last seen at `expectedVersion`. */
  async delete(id: number, expectedVersion: number): Promise<SavedReplyRecord> {
    return inTransaction(this.context, async (context) => {
      const repo = new SavedRepliesRepository(context);
      const current = await repo.requireVersion(id, expectedVersion);
      await repo.db.deleteFrom('saved_replies').where('id', '=', id).execute();
      return current;
    });
  }

  /** The text of the person's last inbound message in a conversation (`{{message.text}}`), or null. */
  async lastInboundText(conversationId: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('messages')
      .select('text')
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', 'inbound')
      .where('text', 'is not', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.text ?? null;
  }

  private async requireVersion(id: number, expectedVersion: number): Promise<SavedReplyRecord> {
    const row = await this.context.specifics
      .lockForUpdate(this.db.selectFrom('saved_replies').selectAll().where('id', '=', id))
      .executeTakeFirst();
    if (!row) throw notFound('saved reply', id);
    const current = this.fromRow(row);
    if (current.version !== expectedVersion)
      throw new DatabaseError(
        'DB_CONFLICT',
        `Someone else changed the saved reply "/${current.name}": you edited version ${expectedVersion}, the current version is ${current.version}.`,
        'Reload it, then make your change again.',
      );
    return current;
  }

  /** Refuses a name another reply offered in the same conversations already has (ignoring case). */
  private async requireUniqueName(columns: SavedReplyColumns, ownId: number | null): Promise<void> {
    let query = this.db.selectFrom('saved_replies').select(['id', 'name', 'account_id']);
    // An all-accounts reply meets every account's replies; an account's reply meets its own and the shared ones.
    if (columns.accountId !== null) {
      const accountId = columns.accountId;
      query = query.where((eb) => eb.or([eb('account_id', '=', accountId), eb('account_id', 'is', null)]));
    }
    const rows = await this.context.specifics.lockForUpdate(query).execute();
    const wanted = columns.name.toLocaleLowerCase();
    const clash = rows.find((row) => Number(row.id) !== ownId && row.name.toLocaleLowerCase() === wanted);
    if (clash)
      throw new DatabaseError(
        'DB_CONFLICT',
        clash.account_id === null
          ? `"/${columns.name}" is already the name of a reply for all accounts: choose another name.`
          : `"/${columns.name}" is already the name of a reply ${columns.accountId === null ? 'in one of the accounts' : 'for this account'}: choose another name.`,
        'Choose another name.',
        { field: 'name' },
      );
  }

  private fromRow(row: Selectable<SavedRepliesTable>): SavedReplyRecord {
    const { specifics } = this.context;
    return {
      id: Number(row.id),
      accountId: row.account_id,
      name: row.name,
      body: row.body,
      version: Number(row.version),
      createdAt: specifics.readTime(row.created_at),
      updatedAt: specifics.readTime(row.updated_at),
    };
  }
}
