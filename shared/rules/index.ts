/**
 * The rule engine: pure, offline, shared by main (every inbound event) and the editor (test panel,
 * replay). Compile an account's rules once per change with `compileRules`, then call `decide` per event.
 */
export * from './schema';
export type { CompiledRule, CompiledRuleSet, CompiledTrigger, CompileError } from './compile';
export { compileRules, compareRules } from './compile';
export { decide, MAX_EVENT_TEXT } from './rule-engine';
export type { RuleConflict } from './conflicts';
export { findConflicts } from './conflicts';
export type { CompiledResponse, RenderedResponse, RenderError, Result, VariantChoice } from './render';
export { renderResponse, checkTextLimits } from './render';
export type { TemplatePart, TemplateProblem, TemplateScope, TemplateValues } from './template';
export { parseTemplate, checkTemplate, TEMPLATE_VARIABLES } from './template';
export type { IntentScore } from './intent-classifier';
export { IntentClassifier } from './intent-classifier';
export { compilePattern } from './pattern';
export { normalizeText, utf8ByteLength } from './normalize';
export { createLocalClock, isWithinHours } from './conditions';
export type * from './types';
export type { AccountLike, RuleSettingsLike } from './account-input';
export { accountContextOf, openingHoursOf } from './account-input';
export type { TestMessage, TestOutcome } from './test-message';
export {
  compileWorkingRules,
  replyTextOf,
  testMessage,
  UNSAVED_RULE_ID,
  withDraftRule,
} from './test-message';
