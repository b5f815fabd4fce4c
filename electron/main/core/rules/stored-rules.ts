/**
 * Between stored rows and the engine's rules: the working copy (draft) and the published copy of each
 * rule, and the flat columns that mirror a rule for listing.
 */
import type { Rule } from '../../../../shared/rules/index';
import type { RuleColumns, StoredRule } from '../db/repositories/rule-editor-repository';
import type { JsonValue } from '../db/validation';

/** Said of a rule stored before the editor existed (no definition to run). */
export const LEGACY_RULE_MESSAGE =
  'This rule was stored before the rule editor and has no keywords or reply the engine can read: open it, complete it and save it again';

/** The definition stored for a rule: everything but the fields held in columns. */
export function definitionOf(rule: Rule): JsonValue {
  const {
    id: _id,
    accountId: _account,
    version: _version,
    status: _status,
    isActive: _active,
    ...rest
  } = rule;
  return JSON.parse(JSON.stringify(rest)) as JsonValue;
}

/** The seed's flat columns for a rule, plus its definition. */
export function columnsOf(rule: Rule): RuleColumns {
  return {
    name: rule.name,
    triggerType: rule.trigger?.type ?? 'fallback',
    priority: rule.priority,
    isActive: rule.isActive,
    conditions: JSON.parse(JSON.stringify(rule.conditions)) as JsonValue,
    responseTemplate:
      rule.response.kind === 'text'
        ? (rule.response.variants[0] ?? '')
        : `send_template(${rule.response.savedTemplateId})`,
    definition: definitionOf(rule),
  };
}

function asObject(value: JsonValue | null): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

/** The working copy as the engine reads it (unvalidated: `compileRules` checks it), or null (legacy). */
export function draftInputOf(row: StoredRule): Record<string, unknown> | null {
  const definition = asObject(row.definition);
  if (!definition || row.accountId === null) return null;
  return {
    ...definition,
    id: row.id,
    accountId: row.accountId,
    version: row.version,
    status: row.status,
    isActive: row.isActive,
  };
}

/** The published copy as the engine reads it, or null when the rule was never published. */
export function liveInputOf(row: StoredRule): Record<string, unknown> | null {
  const definition = asObject(row.publishedDefinition);
  if (!definition || row.accountId === null) return null;
  return {
    ...definition,
    id: row.id,
    accountId: row.accountId,
    version: row.publishedVersion ?? row.version,
    status: 'published',
    isActive: row.isActive,
  };
}
