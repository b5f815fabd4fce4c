/**
 * Audit entries for rule edits: every create, update, delete, switch, reorder, publish, import and
 * copy writes one `audit_log` row through the transaction that makes the change, so the log and the
 * rules never disagree. Summaries name what changed (name, trigger, priority, state, version), never a
 * reply's full text or a secret (the audit repository redacts secret-looking keys as well).
 */
import type { JsonValue } from '../db/validation';
import type { Repositories } from '../db/repositories';
import type { StoredRule } from '../db/repositories/rule-editor-repository';
import { workstationUser } from '../workstation-user';

/** Audit actions written by the rules capability. */
export type RuleAuditAction =
  | 'rule.create'
  | 'rule.update'
  | 'rule.delete'
  | 'rule.set_active'
  | 'rules.reorder'
  | 'rules.publish'
  | 'rules.import'
  | 'rules.copy';

/** What the log keeps of one stored rule. */
export function ruleAuditSummary(row: StoredRule): JsonValue {
  const definition =
    typeof row.definition === 'object' && row.definition !== null && !Array.isArray(row.definition)
      ? row.definition
      : null;
  const trigger = definition?.trigger;
  const triggerType =
    typeof trigger === 'object' &&
    trigger !== null &&
    !Array.isArray(trigger) &&
    typeof trigger.type === 'string'
      ? trigger.type
      : null;
  return {
    name: row.name,
    trigger: triggerType,
    priority: row.priority,
    isActive: row.isActive,
    status: row.status,
    version: row.version,
  };
}

/** Writes rule audit entries as this workstation's user. */
export class RuleAudit {
  private readonly actor = workstationUser();

  /** One entry in `tx` (the transaction of the change it describes). */
  async record(
    tx: Repositories,
    entry: {
      action: RuleAuditAction;
      accountId: string;
      /** The rule's id; omitted for account-wide actions (reorder, publish, import, copy). */
      ruleId?: string;
      before?: JsonValue | null;
      after?: JsonValue | null;
    },
  ): Promise<void> {
    await tx.audit.record({
      actor: this.actor,
      action: entry.action,
      entityType: entry.ruleId ? 'rule' : 'rule_set',
      entityId: entry.ruleId ?? entry.accountId,
      accountId: entry.accountId,
      before: entry.before ?? null,
      after: entry.after ?? null,
    });
  }
}

/** Summaries of several rules, for account-wide entries (kept short: names and versions). */
export function ruleListSummary(rows: readonly StoredRule[]): JsonValue {
  return rows.map((row) => ({ id: row.id, name: row.name, version: row.version, priority: row.priority }));
}
