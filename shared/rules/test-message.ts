/**
 * The editor's test panel as a pure function: a typed message run through a compiled draft rule set,
 * with the full trace. Main (`rules.test`) and the renderer (offline, with the unsaved rule) call the
 * same function, so both show the same rule, reply and trace.
 */
import type { AccountLike, RuleSettingsLike } from './account-input';
import { accountContextOf } from './account-input';
import type { CompiledRuleSet } from './compile';
import { compileRules } from './compile';
import { decide } from './rule-engine';
import type { Rule, RuleEventType } from './schema';
import type { ConversationContext, Decision } from './types';

/** The id given to an unsaved new rule tested before it has one. */
export const UNSAVED_RULE_ID = 'unsaved-rule';

/** A message typed in the test panel. */
export interface TestMessage {
  text: string;
  eventType: RuleEventType;
  payload?: string | null | undefined;
  /** When it arrives (epoch ms): business hours and cooldowns read it. */
  at: number;
  firstMessage: boolean;
  conversation?:
    | {
        username?: string | null | undefined;
        name?: string | null | undefined;
        status?: ConversationContext['status'] | undefined;
        labels?: readonly string[] | undefined;
        optedOut?: boolean | undefined;
        lastHumanReplyAt?: number | null | undefined;
        automationPausedUntil?: number | null | undefined;
      }
    | undefined;
}

/** What the test panel shows. */
export interface TestOutcome {
  decision: Decision;
  reply: string | null;
  compileErrors: string[];
}

/** The reply text of a decision, or `send_template(id)` for a saved template; null without a reply. */
export function replyTextOf(decision: Decision): string | null {
  if (decision.outcome !== 'reply') return null;
  return decision.response.kind === 'text'
    ? decision.response.text
    : `send_template(${decision.response.templateId})`;
}

/**
 * The working copies with the editor's unsaved rule in place of the stored rule of the same id (or
 * added when it has no id yet): the rule set the test panel runs while a rule is being edited.
 */
export function withDraftRule(
  rules: readonly Record<string, unknown>[],
  draft: Record<string, unknown> | null | undefined,
  accountId: string,
): Record<string, unknown>[] {
  if (!draft) return [...rules];
  const id = typeof draft.id === 'string' && draft.id !== '' ? draft.id : UNSAVED_RULE_ID;
  return [...rules.filter((rule) => rule.id !== id), { ...draft, id, accountId, status: 'draft' }];
}

/**
 * Compiles an account's working copies (the rule views' `rule`; rules without one are left out, as
 * main leaves out rules stored before the editor) with `draft` replacing or adding its rule.
 */
export function compileWorkingRules(
  account: AccountLike,
  settings: RuleSettingsLike & { intents: readonly unknown[] },
  rules: ReadonlyArray<{ rule: Rule | null }>,
  draft?: Record<string, unknown> | null,
): CompiledRuleSet {
  const { context } = accountContextOf(account, settings);
  const working = rules.flatMap((view) => (view.rule ? [{ ...view.rule }] : []));
  return compileRules(
    { rules: withDraftRule(working, draft, account.id), intents: settings.intents },
    context,
  );
}

/** Runs one typed message through a compiled draft set: the rule that answers, the reply, the trace. */
export function testMessage(draft: CompiledRuleSet, message: TestMessage): TestOutcome {
  const conversation = message.conversation ?? {};
  const context: ConversationContext = {
    username: conversation.username ?? null,
    name: conversation.name ?? null,
    isFirstMessage: message.firstMessage,
    status: conversation.status ?? 'active',
    labels: conversation.labels ?? [],
    optedOut: conversation.optedOut ?? false,
    lastHumanReplyAt: conversation.lastHumanReplyAt ?? null,
    automationPausedUntil: conversation.automationPausedUntil ?? null,
  };
  const decision = decide(
    draft,
    { kind: message.eventType, id: null, text: message.text, payload: message.payload ?? null },
    context,
    message.at,
    { mode: 'draft', trace: 'full', seed: 'test-panel' },
  );
  return {
    decision: JSON.parse(JSON.stringify(decision)) as Decision,
    reply: replyTextOf(decision),
    compileErrors: draft.errors.map(
      (e) => `${e.name ?? e.id ?? `#${e.inputIndex + 1}`}: ${e.messages.join('; ')}`,
    ),
  };
}
