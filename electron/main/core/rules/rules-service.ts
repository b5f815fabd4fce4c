/**
 * The rules service: an account's rules as the editor edits them — CRUD checked on `version`,
 * draft/published, reorder, intents and variables (import/export and copy: `rule-transfer.ts`).
 *
 * Inputs arrive already checked by the contract's schemas (the engine's own); this service adds what
 * needs storage: versions, the account's rule list, intents, variables.
 */
import { randomUUID } from 'node:crypto';
import type { RuleBody, RuleView } from '../../../../shared/contract';
import { RuleSchema, describeIssues } from '../../../../shared/rules/index';
import type { IntentDefinition, Rule } from '../../../../shared/rules/index';
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import { RuleVersionConflict } from '../db/repositories/rule-editor-repository';
import type { AccountRuleSettings, StoredRule } from '../db/repositories/rule-editor-repository';
import type { AccountRules, CompiledRulesCache } from './compiled-rules';
import { RuleAudit, ruleAuditSummary, ruleListSummary } from './rule-audit';
import { errorsByRule, ruleListOf, type RuleList } from './rule-views';
import { columnsOf, draftInputOf, LEGACY_RULE_MESSAGE } from './stored-rules';

/** Options for {@link RulesService}. */
export interface RulesServiceOptions {
  repositories: () => Repositories;
  events: EventBus;
  cache: CompiledRulesCache;
}

/** A reference to a rule at the version the caller saw. */
export interface RuleRef {
  id: string;
  expectedVersion: number;
}

/** Distance between priorities given by `reorder`, so one rule can later be put between two. */
const PRIORITY_STEP = 10;

/** Runs `work`, turning a stale version into CONFLICT whose issue names the current version. */
async function versionChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RuleVersionConflict)
      throw new ApiError('CONFLICT', `${error.message} ${error.hint}`, [
        {
          path: 'expectedVersion',
          message: `The current version is ${error.currentVersion}: reload the rule, merge your change and save again`,
        },
      ]);
    throw error;
  }
}

/** Parses a rule body for an account with the engine's schema (the contract already did; this types it). */
export function toRule(accountId: string, id: string, body: RuleBody, extra: Partial<Rule> = {}): Rule {
  const parsed = RuleSchema.safeParse({ ...body, id, accountId, ...extra });
  if (!parsed.success) {
    const messages = describeIssues(parsed.error);
    throw new ApiError(
      'INVALID_INPUT',
      `The rule cannot be saved: ${messages.join('; ')}`,
      parsed.error.issues.map((issue) => ({
        path: ['rule', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/** Rules of one account, as staff edit them. */
export class RulesService {
  /** Writes an audit entry in the transaction of each edit. */
  readonly audit = new RuleAudit();

  constructor(private readonly options: RulesServiceOptions) {}

  private get repos(): Repositories {
    return this.options.repositories();
  }

  /** The account's compiled rules (cached). */
  load(accountId: string): Promise<AccountRules> {
    return this.options.cache.load(this.repos, accountId);
  }

  /** The account's rules in evaluation order, with counters and compile errors. */
  async list(accountId: string): Promise<RuleList> {
    const loaded = await this.load(accountId);
    return this.listFrom(loaded);
  }

  /** One rule. */
  async get(id: string): Promise<RuleView> {
    const row = await this.requireRow(id);
    const list = await this.list(row.accountId ?? '');
    return this.pick(list, id);
  }

  /** Adds a draft rule; the caller may choose its id (rules created offline). */
  async create(accountId: string, body: RuleBody): Promise<RuleView> {
    await this.requireAccount(accountId);
    const id = typeof body.id === 'string' ? body.id : randomUUID();
    if (await this.repos.ruleEditor.get(id))
      throw new ApiError(
        'CONFLICT',
        `A rule with the id "${id}" already exists: choose another id or leave it out.`,
      );
    const rule = toRule(accountId, id, body, { status: 'draft', version: 1 });
    await this.repos.transaction(async (tx) => {
      const stored = await tx.ruleEditor.insert(id, accountId, columnsOf(rule));
      await this.audit.record(tx, {
        action: 'rule.create',
        accountId,
        ruleId: id,
        after: ruleAuditSummary(stored),
      });
    });
    return this.changed(accountId, id);
  }

  /** Replaces the working copy of a rule edited at `expectedVersion`. */
  async update(id: string, expectedVersion: number, body: RuleBody): Promise<RuleView> {
    const row = await this.requireRow(id);
    const accountId = row.accountId ?? '';
    const { id: _ignored, ...rest } = body;
    const rule = toRule(accountId, id, rest, { status: 'draft' });
    await this.audited('rule.update', row, (tx) =>
      tx.ruleEditor.update(id, expectedVersion, columnsOf(rule)),
    );
    return this.changed(accountId, id);
  }

  /** Deletes a rule last seen at `expectedVersion`. */
  async delete(id: string, expectedVersion: number): Promise<void> {
    const row = await this.requireRow(id);
    await this.audited('rule.delete', row, async (tx) => {
      await tx.ruleEditor.delete(id, expectedVersion);
      return null;
    });
    this.notify(row.accountId ?? '');
  }

  /** Switches a rule on or off (live at once). */
  async setActive(id: string, expectedVersion: number, isActive: boolean): Promise<RuleView> {
    const row = await this.requireRow(id);
    await this.audited('rule.set_active', row, (tx) =>
      tx.ruleEditor.setActive(id, expectedVersion, isActive),
    );
    return this.changed(row.accountId ?? '', id);
  }

  /**
   * New evaluation order, first = highest priority, in one transaction. Every rule of the account must
   * be listed at the version the editor saw; only rules whose place changes are written.
   */
  async reorder(accountId: string, order: readonly RuleRef[]): Promise<RuleList> {
    await this.requireAccount(accountId);
    await versionChecked(() =>
      this.repos.transaction(async (tx) => {
        const rows = await tx.ruleEditor.list(accountId);
        const listed = new Set(order.map((ref) => ref.id));
        const missing = rows.filter((row) => !listed.has(row.id)).map((row) => `"${row.name}"`);
        const unknown = order.filter((ref) => !rows.some((row) => row.id === ref.id)).map((ref) => ref.id);
        if (unknown.length > 0)
          throw new ApiError(
            'NOT_FOUND',
            `These rules are not on this account (removed?): ${unknown.join(', ')}. Reload the list.`,
          );
        if (missing.length > 0 || listed.size !== order.length)
          throw new ApiError(
            'INVALID_INPUT',
            missing.length > 0
              ? `The new order must list every rule of the account; missing: ${missing.join(', ')}. Reload the list.`
              : 'A rule is listed twice in the new order.',
          );
        for (const [index, ref] of order.entries()) {
          const row = rows.find((r) => r.id === ref.id) as StoredRule;
          const input = draftInputOf(row);
          const priority = (order.length - index) * PRIORITY_STEP;
          if (!input) {
            // A rule from before the editor has no definition to rewrite: it must be completed first.
            throw new ApiError('INVALID_INPUT', `"${row.name}": ${LEGACY_RULE_MESSAGE}.`);
          }
          if (row.version !== ref.expectedVersion) {
            throw new RuleVersionConflict(row.name, ref.expectedVersion, row.version);
          }
          if (input.priority === priority && input.position === index) continue;
          const rule = toRule(
            accountId,
            row.id,
            { ...input, priority, position: index },
            {
              status: 'draft',
            },
          );
          await tx.ruleEditor.update(row.id, ref.expectedVersion, columnsOf(rule));
        }
        await this.audit.record(tx, {
          action: 'rules.reorder',
          accountId,
          before: ruleListSummary(rows),
          after: ruleListSummary(await tx.ruleEditor.list(accountId)),
        });
      }),
    );
    this.options.cache.invalidate(accountId);
    this.notify(accountId);
    return this.list(accountId);
  }

  /**
   * Publishes drafts: every draft of the account, or exactly the listed versions. A rule whose draft
   * does not compile is refused (with its errors) and nothing is published.
   */
  async publish(
    accountId: string,
    refs?: readonly RuleRef[],
  ): Promise<{ published: string[]; rules: RuleView[] }> {
    const loaded = await this.load(accountId);
    const targets: RuleRef[] = refs
      ? [...refs]
      : loaded.rows
          .filter((row) => row.status === 'draft' && row.definition !== null)
          .map((row) => ({ id: row.id, expectedVersion: row.version }));
    const errors = errorsByRule(loaded.draft);
    const blocked = targets.flatMap((ref) => {
      const row = loaded.rows.find((r) => r.id === ref.id);
      const problems = row?.definition === null ? [LEGACY_RULE_MESSAGE] : (errors.get(ref.id) ?? []);
      return problems.length > 0 ? [`"${row?.name ?? ref.id}": ${problems.join('; ')}`] : [];
    });
    if (blocked.length > 0)
      throw new ApiError('INVALID_INPUT', `Fix these rules before publishing: ${blocked.join(' | ')}`);
    await versionChecked(() =>
      this.repos.transaction(async (tx) => {
        const published: StoredRule[] = [];
        for (const ref of targets) {
          const row = await tx.ruleEditor.get(ref.id);
          if (!row || row.accountId !== accountId)
            throw new ApiError(
              'NOT_FOUND',
              `The rule ${ref.id} is not on this account (removed?). Reload the list.`,
            );
          published.push(await tx.ruleEditor.publish(ref.id, ref.expectedVersion));
        }
        await this.audit.record(tx, {
          action: 'rules.publish',
          accountId,
          after: ruleListSummary(published),
        });
      }),
    );
    this.options.cache.invalidate(accountId);
    this.notify(accountId);
    return { published: targets.map((t) => t.id), rules: (await this.list(accountId)).rules };
  }

  /** The account's intents, variables and pause. */
  async getSettings(accountId: string): Promise<AccountRuleSettings & { intents: IntentDefinition[] }> {
    await this.requireAccount(accountId);
    const settings = await this.repos.ruleEditor.getSettings(accountId);
    return { ...settings, intents: settings.intents as IntentDefinition[] };
  }

  /** Replaces the account's intents, checked against `expectedVersion`. */
  async setIntents(accountId: string, expectedVersion: number, intents: IntentDefinition[]) {
    const current = await this.getSettings(accountId);
    await this.repos.ruleEditor.saveSettings(accountId, expectedVersion, { ...current, intents });
    this.options.cache.invalidate(accountId);
    this.notify(accountId);
    return this.getSettings(accountId);
  }

  /** Sets template variables and/or the human-takeover pause, checked against `expectedVersion`. */
  async setVariables(
    accountId: string,
    expectedVersion: number,
    patch: { variables?: Record<string, string>; humanPauseMinutes?: number | null },
  ) {
    const current = await this.getSettings(accountId);
    await this.repos.ruleEditor.saveSettings(accountId, expectedVersion, {
      intents: current.intents,
      variables: patch.variables ?? current.variables,
      humanPauseMinutes:
        patch.humanPauseMinutes !== undefined ? patch.humanPauseMinutes : current.humanPauseMinutes,
    });
    this.options.cache.invalidate(accountId);
    this.notify(accountId);
    return this.getSettings(accountId);
  }

  /** Views of a loaded account's rules, with their counters. */
  async listFrom(loaded: AccountRules): Promise<RuleList> {
    return ruleListOf(loaded, await this.repos.ruleEditor.counters(loaded.account.id));
  }

  /** After a change: recompile on next use, tell the editors, return the rule's new view. */
  async changed(accountId: string, id: string): Promise<RuleView> {
    this.options.cache.invalidate(accountId);
    this.notify(accountId);
    return this.pick(await this.list(accountId), id);
  }

  /** Forgets the compiled rules and tells editors that the account's rules changed. */
  notify(accountId: string): void {
    this.options.cache.invalidate(accountId);
    this.options.events.publish('rules.changed', { accountId });
  }

  /** One rule's view in a list; NOT_FOUND when it is not there. */
  pick(list: RuleList, id: string): RuleView {
    const view = list.rules.find((rule) => rule.id === id);
    if (!view) throw new ApiError('NOT_FOUND', `The rule ${id} does not exist (it may have been removed).`);
    return view;
  }

  /**
   * One rule's change and its audit entry in one transaction, checked on version: the entry's
   * `before` is the row as stored inside the transaction, `after` what `work` returns (null: deleted).
   */
  private async audited(
    action: 'rule.update' | 'rule.delete' | 'rule.set_active',
    row: StoredRule,
    work: (tx: Repositories) => Promise<StoredRule | null>,
  ): Promise<void> {
    const accountId = row.accountId ?? '';
    await versionChecked(() =>
      this.repos.transaction(async (tx) => {
        const before = (await tx.ruleEditor.get(row.id)) ?? row;
        const after = await work(tx);
        await this.audit.record(tx, {
          action,
          accountId,
          ruleId: row.id,
          before: ruleAuditSummary(before),
          after: after ? ruleAuditSummary(after) : null,
        });
      }),
    );
  }

  private async requireRow(id: string): Promise<StoredRule> {
    const row = await this.repos.ruleEditor.get(id);
    if (!row || row.accountId === null)
      throw new ApiError(
        'NOT_FOUND',
        `The rule ${id} does not exist (it may have been removed). Reload the list.`,
      );
    return row;
  }

  /** NOT_FOUND unless the account exists. */
  async requireAccount(accountId: string): Promise<void> {
    if (!(await this.repos.accounts.get(accountId)))
      throw new ApiError('NOT_FOUND', `There is no account ${accountId} (it may have been removed).`);
  }
}
