/**
 * Response rules and their evaluations.
 *
 * Rules carry a `version`: every change states the version it was made against, and a stale
 * version is a conflict (`DB_CONFLICT`) to merge, never a silent overwrite. Offline editing on
 * several workstations depends on this.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { DatabaseError } from '../errors';
import type { ResponseRulesTable } from '../schema';
import {
  asciiId,
  checkedJsonText,
  instant,
  jsonValue,
  longText,
  parseInput,
  toJsonText,
  varchar,
} from '../validation';
import type { JsonValue } from '../validation';
import { notFound } from './context';
import type { RepositoryContext } from './context';
import { chunks } from './conversations/batch-helpers';

/** How a rule matches an inbound message. */
export const TRIGGER_TYPES = ['keyword', 'pattern', 'intent'] as const;
/** What the rule engine decided for one inbound message. */
export const EVALUATION_OUTCOMES = ['matched', 'no_match', 'suppressed', 'error'] as const;

/** A response rule. */
export interface Rule {
  id: string;
  /** Null: applies to every account. */
  accountId: string | null;
  name: string;
  triggerType: (typeof TRIGGER_TYPES)[number];
  /** Higher runs first. */
  priority: number;
  isActive: boolean;
  conditions: JsonValue;
  responseTemplate: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The rule engine's decision for one message, with its trace. */
export interface RuleEvaluation {
  id: number;
  accountId: string;
  messageId: number;
  ruleId: string | null;
  ruleVersion: number | null;
  outcome: (typeof EVALUATION_OUTCOMES)[number];
  trace: JsonValue;
  evaluatedAt: Date;
}

const ruleFields = {
  accountId: asciiId(64).nullable().optional(),
  name: varchar(255).min(1),
  triggerType: z.enum(TRIGGER_TYPES),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  isActive: z.boolean().optional(),
  conditions: jsonValue,
  responseTemplate: longText(),
};
const newRuleSchema = z.object({ id: asciiId(64).optional(), ...ruleFields }).strict();
const rulePatchSchema = z.object(ruleFields).partial().strict();
const evaluationSchema = z
  .object({
    accountId: asciiId(64),
    messageId: z.number().int().positive(),
    ruleId: asciiId(64).nullable().optional(),
    ruleVersion: z.number().int().positive().nullable().optional(),
    outcome: z.enum(EVALUATION_OUTCOMES),
    trace: jsonValue,
    evaluatedAt: instant.optional(),
  })
  .strict();

/** Input for `create`. */
export type NewRule = z.input<typeof newRuleSchema>;
/** Input for `update`: only the fields to change. */
export type RulePatch = z.input<typeof rulePatchSchema>;
/** Input for `recordEvaluation`. */
export type NewRuleEvaluation = z.input<typeof evaluationSchema>;

/** Reads and writes rules and rule evaluations. */
export class RulesRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** Adds a rule at version 1. The id may be chosen by the caller (rules created offline). */
  async create(input: NewRule): Promise<Rule> {
    const parsed = parseInput(newRuleSchema, input, 'rule');
    const now = this.context.specifics.time(this.context.now());
    const id = parsed.id ?? randomUUID();
    await this.context.db
      .insertInto('response_rules')
      .values({
        id,
        account_id: parsed.accountId ?? null,
        name: parsed.name,
        trigger_type: parsed.triggerType,
        priority: parsed.priority ?? 0,
        is_active: parsed.isActive === false ? 0 : 1,
        conditions: toJsonText(parsed.conditions, 'conditions'),
        response_template: parsed.responseTemplate,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return this.require(id);
  }

  /** The rule, or null. */
  async get(id: string): Promise<Rule | null> {
    const row = await this.context.db
      .selectFrom('response_rules')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /**
   * Rules in the order the engine tries them (priority high to low, then name). With `accountId`,
   * that account's rules plus the rules for every account.
   */
  async list(options: { accountId?: string; activeOnly?: boolean } = {}): Promise<Rule[]> {
    let query = this.context.db
      .selectFrom('response_rules')
      .selectAll()
      .orderBy('priority', 'desc')
      .orderBy('name')
      .orderBy('id');
    if (options.accountId !== undefined) {
      const accountId = options.accountId;
      query = query.where((eb) => eb.or([eb('account_id', '=', accountId), eb('account_id', 'is', null)]));
    }
    if (options.activeOnly) query = query.where('is_active', '=', 1);
    return (await query.execute()).map((row) => this.fromRow(row));
  }

  /**
   * Changes a rule made against `expectedVersion` and bumps the version.
   *
   * `DB_CONFLICT` if someone else changed it since (the error's message says which version is
   * current); `DB_NOT_FOUND` if it was deleted.
   */
  async update(id: string, expectedVersion: number, patch: RulePatch): Promise<Rule> {
    const parsed = parseInput(rulePatchSchema, patch, 'rule');
    const values: Record<string, string | number | null> = {
      updated_at: this.context.specifics.time(this.context.now()),
    };
    if (parsed.accountId !== undefined) values.account_id = parsed.accountId;
    if (parsed.name !== undefined) values.name = parsed.name;
    if (parsed.triggerType !== undefined) values.trigger_type = parsed.triggerType;
    if (parsed.priority !== undefined) values.priority = parsed.priority;
    if (parsed.isActive !== undefined) values.is_active = parsed.isActive ? 1 : 0;
    if (parsed.conditions !== undefined) values.conditions = toJsonText(parsed.conditions, 'conditions');
    if (parsed.responseTemplate !== undefined) values.response_template = parsed.responseTemplate;
    const result = await this.context.db
      .updateTable('response_rules')
      .set(values)
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw await this.staleOrMissing(id, expectedVersion);
    return this.require(id);
  }

  /** Deletes a rule last seen at `expectedVersion`; same conflict rules as `update`. */
  async delete(id: string, expectedVersion: number): Promise<void> {
    const result = await this.context.db
      .deleteFrom('response_rules')
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw await this.staleOrMissing(id, expectedVersion);
  }

  /** Records the engine's decision for an inbound message. */
  async recordEvaluation(input: NewRuleEvaluation): Promise<number> {
    const result = await this.context.db
      .insertInto('rule_evaluations')
      .values(this.evaluationRow(input, 'rule evaluation'))
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  /**
   * Records several decisions with one statement per 100 (ingest evaluates a chunk of messages together);
   * all are checked before any is written.
   */
  async recordEvaluations(inputs: readonly NewRuleEvaluation[]): Promise<void> {
    const rows = inputs.map((input, i) =>
      this.evaluationRow(input, inputs.length > 1 ? `rule evaluation ${i + 1}` : 'rule evaluation'),
    );
    for (const slice of chunks(rows, 100))
      await this.context.db.insertInto('rule_evaluations').values(slice).execute();
  }

  private evaluationRow(input: NewRuleEvaluation, label: string) {
    const parsed = parseInput(evaluationSchema, input, label);
    return {
      account_id: parsed.accountId,
      message_id: parsed.messageId,
      rule_id: parsed.ruleId ?? null,
      rule_version: parsed.ruleVersion ?? null,
      outcome: parsed.outcome,
      // The schema checked the trace as JSON already.
      trace: checkedJsonText(parsed.trace, 'trace'),
      evaluated_at: this.context.specifics.time(parsed.evaluatedAt ?? this.context.now()),
    };
  }

  /** Evaluations of one message, oldest first. */
  async listEvaluations(messageId: number): Promise<RuleEvaluation[]> {
    const { specifics } = this.context;
    const rows = await this.context.db
      .selectFrom('rule_evaluations')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      accountId: row.account_id,
      messageId: Number(row.message_id),
      ruleId: row.rule_id,
      ruleVersion: row.rule_version,
      outcome: row.outcome as RuleEvaluation['outcome'],
      trace: JSON.parse(row.trace) as JsonValue,
      evaluatedAt: specifics.readTime(row.evaluated_at),
    }));
  }

  private async staleOrMissing(id: string, expectedVersion: number): Promise<DatabaseError> {
    const current = await this.get(id);
    if (!current) return notFound('rule', id);
    return new DatabaseError(
      'DB_CONFLICT',
      `The rule "${current.name}" was changed elsewhere: you edited version ${expectedVersion}, the current version is ${current.version}.`,
      'Review the current rule and apply your change again.',
    );
  }

  private async require(id: string): Promise<Rule> {
    const rule = await this.get(id);
    if (!rule) throw notFound('rule', id);
    return rule;
  }

  private fromRow(row: Selectable<ResponseRulesTable>): Rule {
    const { specifics } = this.context;
    return {
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      triggerType: row.trigger_type as Rule['triggerType'],
      priority: row.priority,
      isActive: specifics.readBool(row.is_active),
      conditions: JSON.parse(row.conditions) as JsonValue,
      responseTemplate: row.response_template,
      version: row.version,
      createdAt: specifics.readTime(row.created_at),
      updatedAt: specifics.readTime(row.updated_at),
    };
  }
}
