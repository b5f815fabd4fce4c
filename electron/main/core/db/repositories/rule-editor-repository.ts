/**
 * The rule editor's storage: rules with their full definition and draft/published copies, per-rule
 * counters, and per-account rule settings (intents, variables, pause).
 *
 * Every change names the version it was made against; a stale version is `DB_CONFLICT` whose message
 * gives the current version, never a silent overwrite (several workstations edit offline).
 */
import type { ColumnType, Kysely } from 'kysely';
import { DatabaseError } from '../errors';
import type { DatabaseSchema, DbJson, DbJsonNull, DbTime } from '../schema';
import { fromJsonText, toJsonText } from '../validation';
import type { JsonValue } from '../validation';
import { notFound } from './context';
import type { RepositoryContext } from './context';
import { preparedQuery } from './prepared-query';

/** Columns and tables added by migrations 0020–0023, typed here so `schema.ts` stays the seed's. */
// A type alias, not an interface: `withTables` needs the implicit index signature aliases have.
export type RuleEditorTables = {
  response_rules: {
    definition: DbJsonNull;
    status: ColumnType<string, string | undefined, string>;
    published_definition: DbJsonNull;
    published_version: ColumnType<number | null, number | null | undefined, number | null>;
  };
  rule_counters: {
    rule_id: string;
    account_id: string;
    counter: string;
    count: ColumnType<number, number | undefined, number>;
    updated_at: DbTime;
  };
  account_rule_settings: {
    account_id: string;
    intents: DbJson;
    variables: DbJson;
    human_pause_minutes: number | null;
    version: number;
    updated_at: DbTime;
  };
  conversation_automation: {
    conversation_id: number;
    account_id: string;
    opted_out: ColumnType<number | boolean, number | undefined, number>;
    opt_out_changed_at: ColumnType<
      number | string | Date | null,
      number | string | null,
      number | string | null
    >;
    last_human_reply_at: ColumnType<
      number | string | Date | null,
      number | string | null,
      number | string | null
    >;
    updated_at: DbTime;
  };
};

/** The database with the rule editor's tables. */
export function ruleTables(context: RepositoryContext): Kysely<DatabaseSchema & RuleEditorTables> {
  return context.db.withTables<RuleEditorTables>();
}

// Read before every evaluation to know whether the compiled rules still hold (see `fingerprint`): the
// account's rules summed up and its rule settings' version, in one statement (an aggregate without GROUP BY
// always answers one row, also for an account without rules).
const rulesFingerprint = preparedQuery((db: Kysely<DatabaseSchema & RuleEditorTables>, accountId: string) =>
  db
    .selectFrom('response_rules')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.sum<number | string | null>('version').as('v'),
      eb.fn.sum<number | string | null>('published_version').as('p'),
      eb.fn.max('updated_at').as('t'),
      eb.selectFrom('account_rule_settings').select('version').where('account_id', '=', accountId).as('s'),
    ])
    .where('account_id', '=', accountId),
);

/** A stored rule: the editable working copy and the copy that runs live. */
export interface StoredRule {
  id: string;
  accountId: string | null;
  name: string;
  priority: number;
  isActive: boolean;
  version: number;
  /** 'draft' when the working copy differs from the published one (or was never published). */
  status: 'draft' | 'published';
  /** The working copy as the service wrote it; null for rules created before the editor. */
  definition: JsonValue | null;
  publishedDefinition: JsonValue | null;
  publishedVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Columns a rule write sets; the seed's flat columns mirror the definition for listing and indexes. */
export interface RuleColumns {
  name: string;
  triggerType: string;
  priority: number;
  isActive: boolean;
  conditions: JsonValue;
  responseTemplate: string;
  definition: JsonValue;
}

/** Per-account rule settings; `version` 0 means none were saved yet. */
export interface AccountRuleSettings {
  intents: JsonValue[];
  variables: Record<string, string>;
  humanPauseMinutes: number | null;
  version: number;
}

/** A stale `expectedVersion`: `DB_CONFLICT` that also carries the current version for the editor. */
export class RuleVersionConflict extends DatabaseError {
  constructor(
    readonly ruleName: string,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      'DB_CONFLICT',
      `Someone else changed the rule "${ruleName}": you edited version ${expectedVersion}, the current version is ${currentVersion}.`,
      'Reload the rule, compare, apply your change again and save.',
      { field: 'expectedVersion' },
    );
  }
}

/** Reads and writes rules as the editor sees them. */
export class RuleEditorRepository {
  constructor(private readonly context: RepositoryContext) {}

  private get db() {
    return ruleTables(this.context);
  }

  private time(date: Date = this.context.now()) {
    return this.context.specifics.time(date);
  }

  /** An account's rules (not the seed's all-account rules), in stored priority order. */
  async list(accountId: string): Promise<StoredRule[]> {
    const rows = await this.db
      .selectFrom('response_rules')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('priority', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** The rule, or null. */
  async get(id: string): Promise<StoredRule | null> {
    const row = await this.db
      .selectFrom('response_rules')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /** Inserts a new draft at version 1. */
  async insert(id: string, accountId: string, columns: RuleColumns): Promise<StoredRule> {
    const now = this.time();
    await this.db
      .insertInto('response_rules')
      .values({
        id,
        account_id: accountId,
        ...this.columnValues(columns),
        status: 'draft',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return this.require(id);
  }

  /** Replaces the working copy made against `expectedVersion`; the rule becomes a draft. */
  async update(id: string, expectedVersion: number, columns: RuleColumns): Promise<StoredRule> {
    return this.versioned(id, expectedVersion, { ...this.columnValues(columns), status: 'draft' });
  }

  /** Switches a rule on or off, live at once (a kill switch must not wait for a publish). */
  async setActive(id: string, expectedVersion: number, isActive: boolean): Promise<StoredRule> {
    return this.versioned(id, expectedVersion, { is_active: isActive ? 1 : 0 });
  }

  /** Deletes a rule last seen at `expectedVersion`, with its counters. */
  async delete(id: string, expectedVersion: number): Promise<void> {
    const result = await this.db
      .deleteFrom('response_rules')
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw await this.staleOrMissing(id, expectedVersion);
    await this.db.deleteFrom('rule_counters').where('rule_id', '=', id).execute();
  }

  /**
   * Makes the working copy the live one. The version does not change: the content is the same, so
   * an editor holding this version can keep editing without a conflict.
   */
  async publish(id: string, expectedVersion: number): Promise<StoredRule> {
    const result = await this.db
      .updateTable('response_rules')
      .set((eb) => ({
        published_definition: eb.ref('definition'),
        published_version: eb.ref('version'),
        status: 'published',
        updated_at: this.time(),
      }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw await this.staleOrMissing(id, expectedVersion);
    return this.require(id);
  }

  /**
   * A cheap summary that changes whenever an account's rules or rule settings change, on this
   * workstation or another: the compiled-rule cache is rebuilt only when it differs.
   */
  async fingerprint(accountId: string): Promise<string> {
    const row = await rulesFingerprint.first(this.context, accountId);
    return [row?.n, row?.v, row?.p, String(row?.t ?? ''), row?.s ?? 0].join(':');
  }

  /** Adds one to each counter of a rule (one statement for all of them). */
  async bumpCounters(accountId: string, ruleId: string, counters: readonly string[]): Promise<void> {
    const names = [...new Set(counters)];
    if (names.length === 0) return;
    const now = this.time();
    await this.context.specifics
      .upsertAdding(
        this.db.insertInto('rule_counters').values(
          names.map((counter) => ({
            rule_id: ruleId,
            account_id: accountId,
            counter,
            count: 1,
            updated_at: now,
          })),
        ),
        ['rule_id', 'counter'],
        ['count'],
        ['updated_at'],
      )
      .execute();
  }

  /** Every counter of an account's rules: rule id → counter name → count. */
  async counters(accountId: string): Promise<Map<string, Record<string, number>>> {
    const rows = await this.db
      .selectFrom('rule_counters')
      .select(['rule_id', 'counter', 'count'])
      .where('account_id', '=', accountId)
      .execute();
    const out = new Map<string, Record<string, number>>();
    for (const row of rows) {
      const counters = out.get(row.rule_id) ?? {};
      counters[row.counter] = Number(row.count);
      out.set(row.rule_id, counters);
    }
    return out;
  }

  /** The account's rule settings (empty at version 0 when never saved). */
  async getSettings(accountId: string): Promise<AccountRuleSettings> {
    const row = await this.db
      .selectFrom('account_rule_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return { intents: [], variables: {}, humanPauseMinutes: null, version: 0 };
    return {
      intents: fromJsonText<JsonValue[]>(row.intents),
      variables: fromJsonText<Record<string, string>>(row.variables),
      humanPauseMinutes: row.human_pause_minutes,
      version: row.version,
    };
  }

  /**
   * Saves settings made against `expectedVersion` (0: none saved yet); without it, overwrites
   * (imports and copies, which merge with what they read in the same transaction).
   */
  async saveSettings(
    accountId: string,
    expectedVersion: number | undefined,
    settings: Omit<AccountRuleSettings, 'version'>,
  ): Promise<AccountRuleSettings> {
    const current = await this.getSettings(accountId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new DatabaseError(
        'DB_CONFLICT',
        `Someone else changed this account's intents or variables: you edited version ${expectedVersion}, the current version is ${current.version}.`,
        'Reload them, apply your change again and save.',
      );
    }
    const values = {
      intents: toJsonText(settings.intents, 'intents'),
      variables: toJsonText(settings.variables, 'variables'),
      human_pause_minutes: settings.humanPauseMinutes,
      updated_at: this.time(),
    };
    if (current.version === 0) {
      await this.db
        .insertInto('account_rule_settings')
        .values({ account_id: accountId, ...values, version: 1 })
        .execute();
    } else {
      const result = await this.db
        .updateTable('account_rule_settings')
        .set({ ...values, version: current.version + 1 })
        .where('account_id', '=', accountId)
        .where('version', '=', current.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0)
        throw new DatabaseError(
          'DB_CONFLICT',
          "Someone else changed this account's intents or variables at the same moment.",
          'Reload them, apply your change again and save.',
        );
    }
    return this.getSettings(accountId);
  }

  private columnValues(columns: RuleColumns) {
    return {
      name: columns.name,
      trigger_type: columns.triggerType,
      priority: columns.priority,
      is_active: columns.isActive ? 1 : 0,
      conditions: toJsonText(columns.conditions, 'conditions'),
      response_template: columns.responseTemplate,
      definition: toJsonText(columns.definition, 'definition'),
    };
  }

  private async versioned(
    id: string,
    expectedVersion: number,
    values: Record<string, string | number | null>,
  ): Promise<StoredRule> {
    const result = await this.db
      .updateTable('response_rules')
      .set({ ...values, updated_at: this.time() })
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw await this.staleOrMissing(id, expectedVersion);
    return this.require(id);
  }

  private async staleOrMissing(id: string, expectedVersion: number): Promise<DatabaseError> {
    const current = await this.get(id);
    if (!current) return notFound('rule', id);
    return new RuleVersionConflict(current.name, expectedVersion, current.version);
  }

  private async require(id: string): Promise<StoredRule> {
    const rule = await this.get(id);
    if (!rule) throw notFound('rule', id);
    return rule;
  }

  private fromRow(row: {
    id: string;
    account_id: string | null;
    name: string;
    priority: number;
    is_active: number | boolean;
    version: number;
    status: string;
    definition: string | null;
    published_definition: string | null;
    published_version: number | null;
    created_at: number | string | Date;
    updated_at: number | string | Date;
  }): StoredRule {
    const { specifics } = this.context;
    return {
      id: row.id,
      accountId: row.account_id,
      name: row.name,
      priority: Number(row.priority),
      isActive: specifics.readBool(row.is_active),
      version: Number(row.version),
      status: row.status === 'published' ? 'published' : 'draft',
      definition: row.definition === null ? null : fromJsonText<JsonValue>(row.definition),
      publishedDefinition:
        row.published_definition === null ? null : fromJsonText<JsonValue>(row.published_definition),
      publishedVersion: row.published_version === null ? null : Number(row.published_version),
      createdAt: specifics.readTime(row.created_at),
      updatedAt: specifics.readTime(row.updated_at),
    };
  }
}
