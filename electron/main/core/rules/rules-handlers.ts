import type { Handlers } from '../api/dispatcher';
import type { RuleLab } from './rule-lab';
import type { RuleTransfer } from './rule-transfer';
import type { RulesService } from './rules-service';

type RulesHandlers = Pick<
  Handlers,
  | 'rules.list'
  | 'rules.get'
  | 'rules.create'
  | 'rules.update'
  | 'rules.delete'
  | 'rules.reorder'
  | 'rules.setActive'
  | 'rules.publish'
  | 'rules.test'
  | 'rules.replay'
  | 'rules.conflicts'
  | 'rules.export'
  | 'rules.import'
  | 'rules.copy'
  | 'rules.getIntents'
  | 'rules.setIntents'
  | 'rules.setVariables'
>;

/** The automatic-replies part of the contract. */
export function rulesHandlers(deps: {
  rules: RulesService;
  lab: RuleLab;
  transfer: RuleTransfer;
}): RulesHandlers {
  const { rules, lab, transfer } = deps;
  return {
    'rules.list': (input) => rules.list(input.accountId),
    'rules.get': (input) => rules.get(input.id),
    'rules.create': (input) => rules.create(input.accountId, input.rule),
    'rules.update': (input) => rules.update(input.id, input.expectedVersion, input.rule),
    'rules.delete': async (input) => {
      await rules.delete(input.id, input.expectedVersion);
      return { deleted: true as const };
    },
    'rules.reorder': (input) => rules.reorder(input.accountId, input.order),
    'rules.setActive': (input) => rules.setActive(input.id, input.expectedVersion, input.isActive),
    'rules.publish': (input) => rules.publish(input.accountId, input.rules),
    'rules.test': (input) => lab.test(input),
    'rules.replay': (input) => lab.replay(input.accountId, { limit: input.limit, since: input.since }),
    'rules.conflicts': async (input) => ({ conflicts: await lab.conflicts(input.accountId, input.mode) }),
    'rules.export': async (input) => ({ document: await transfer.exportRules(input.accountId) }),
    'rules.import': (input) => transfer.importRules(input.accountId, input.document, input.mode),
    'rules.copy': (input) => transfer.copy(input.fromAccountId, input.toAccountId, input.ruleIds),
    'rules.getIntents': (input) => rules.getSettings(input.accountId),
    'rules.setIntents': (input) => rules.setIntents(input.accountId, input.expectedVersion, input.intents),
    'rules.setVariables': (input) =>
      rules.setVariables(input.accountId, input.expectedVersion, {
        ...(input.variables !== undefined ? { variables: input.variables } : {}),
        ...(input.humanPauseMinutes !== undefined ? { humanPauseMinutes: input.humanPauseMinutes } : {}),
      }),
  };
}
