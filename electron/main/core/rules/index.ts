/**
 * Automatic replies in main: the rules service (editing), the evaluator (live, on every inbound
 * message) and the editor's offline tools (test panel, replay, conflicts).
 */
export { CommentEvaluator, PRIVATE_REPLY_WINDOW_MS, privateReplyKey } from './comment-evaluator';
export type { CommentEvaluationResult, CommentEvaluatorOptions } from './comment-evaluator';
export { CompiledRulesCache } from './compiled-rules';
export type { AccountRules } from './compiled-rules';
export { RuleEvaluator, ruleReplyKey } from './rule-evaluator';
export type { EvaluationOutcome, EvaluationResult, RuleEvaluatorOptions } from './rule-evaluator';
export { RuleLab } from './rule-lab';
export { RuleTransfer } from './rule-transfer';
export { RulesService } from './rules-service';
export type { RuleRef, RulesServiceOptions } from './rules-service';
export type { RuleList } from './rule-views';
export { rulesHandlers } from './rules-handlers';
