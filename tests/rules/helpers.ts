/** Builders shared by the rule engine tests: a valid rule, an account, a conversation. */
import type { AccountContextInput, ConversationContext, RuleInput } from '../../shared/rules/index';

export const ACCOUNT: AccountContextInput = {
  accountId: 'acc-1',
  name: 'Rosa Bakery',
  username: 'rosabakery',
  timezone: 'Europe/Paris',
  openingHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
  humanPauseMinutes: 30,
};

/** Monday 6 January 2025, 10:00 in Paris (09:00 UTC). */
export const MONDAY_10_PARIS = Date.UTC(2025, 0, 6, 9, 0);

export function rule(overrides: Partial<RuleInput> & { id: string }): RuleInput {
  return {
    accountId: 'acc-1',
    name: overrides.id,
    priority: 0,
    status: 'published',
    trigger: { type: 'keyword', keywords: ['price'] },
    response: { kind: 'text', variants: [`reply from ${overrides.id}`] },
    ...overrides,
  };
}

export function conversation(overrides: Partial<ConversationContext> = {}): ConversationContext {
  return {
    isFirstMessage: false,
    status: 'active',
    labels: [],
    optedOut: false,
    name: 'Ana Lima',
    username: 'ana.l',
    ...overrides,
  };
}
