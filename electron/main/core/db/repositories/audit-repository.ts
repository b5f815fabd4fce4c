/**
 * The audit log: who did what to which entity, and when.
 *
 * Summaries are stripped of secrets before they are stored, whatever the caller passes, so the
 * log can be shown and exported freely.
 */
import { z } from 'zod';
import { asciiId, instant, jsonValue, parseInput, toJsonText, varchar } from '../validation';
import type { JsonValue } from '../validation';
import type { RepositoryContext } from './context';

/** One audit entry. */
export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  accountId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  at: Date;
}

const entrySchema = z
  .object({
    actor: varchar(255).min(1),
    action: varchar(64).min(1),
    entityType: varchar(64).min(1),
    entityId: varchar(255).nullable().optional(),
    accountId: asciiId(64).nullable().optional(),
    before: jsonValue.nullable().optional(),
    after: jsonValue.nullable().optional(),
    at: instant.optional(),
  })
  .strict();

/** Input for `record`. */
export type NewAuditEntry = z.input<typeof entrySchema>;

/** Keys whose values never reach the log. */
const SECRET_KEY = /token|secret|password|passphrase|encrypted|authorization|cookie|signature|api[_-]?key/i;

/** Replaces the values of secret-looking keys, at any depth, with "[redacted]". */
export function redactSecrets(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner),
      ]),
    );
  }
  return value;
}

/** Writes and reads the audit log. */
export class AuditRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** Appends an entry; secrets in `before`/`after` are redacted. */
  async record(input: NewAuditEntry): Promise<number> {
    const parsed = parseInput(entrySchema, input, 'audit entry');
    const result = await this.context.db
      .insertInto('audit_log')
      .values({
        actor: parsed.actor,
        action: parsed.action,
        entity_type: parsed.entityType,
        entity_id: parsed.entityId ?? null,
        account_id: parsed.accountId ?? null,
        before_summary: parsed.before == null ? null : toJsonText(redactSecrets(parsed.before), 'before'),
        after_summary: parsed.after == null ? null : toJsonText(redactSecrets(parsed.after), 'after'),
        at: this.context.specifics.time(parsed.at ?? this.context.now()),
      })
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  /** Entries newest first, optionally for one entity or one account. */
  async list(
    filter: { entityType?: string; entityId?: string; accountId?: string; limit?: number } = {},
  ): Promise<AuditEntry[]> {
    const { specifics } = this.context;
    let query = this.context.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.entityType !== undefined) query = query.where('entity_type', '=', filter.entityType);
    if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      actor: row.actor,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      accountId: row.account_id,
      before: row.before_summary ? (JSON.parse(row.before_summary) as JsonValue) : null,
      after: row.after_summary ? (JSON.parse(row.after_summary) as JsonValue) : null,
      at: specifics.readTime(row.at),
    }));
  }
}
