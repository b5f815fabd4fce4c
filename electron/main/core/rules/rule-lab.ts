/**
 * The editor's offline tools: the test panel, replay of the draft over stored history, and conflict
 * warnings. Nothing here writes or sends: they run the same engine as live evaluation, on the draft.
 */
import { decide, findConflicts } from '../../../../shared/rules/index';
import type {
  ConversationContext,
  RuleConflict,
  RuleEventType,
  RuleHistory,
} from '../../../../shared/rules/index';
import type { Repositories } from '../db/repositories';
import type { AutomationMessage } from '../db/repositories/automation-state-repository';
import { replyTextOf, testMessage } from '../../../../shared/rules/test-message';
import type { TestOutcome } from '../../../../shared/rules/test-message';
import { compileAccountRules } from './compiled-rules';
import type { CompiledRulesCache } from './compiled-rules';
import { ruleEventOf } from './message-context';

/** What the test panel sends. */
export interface TestInput {
  accountId: string;
  text: string;
  eventType: RuleEventType;
  payload?: string | null | undefined;
  at?: string | undefined;
  firstMessage: boolean;
  conversation?:
    | {
        username?: string | null | undefined;
        name?: string | null | undefined;
        status?: ConversationContext['status'] | undefined;
        labels?: string[] | undefined;
        optedOut?: boolean | undefined;
        lastHumanReplyAt?: string | null | undefined;
        automationPausedUntil?: string | null | undefined;
      }
    | undefined;
  draftRule?: Record<string, unknown> | undefined;
}

/** One message of a replay. */
export interface ReplayItem {
  messageId: number;
  conversationId: number;
  at: string;
  text: string | null;
  draft: {
    outcome: 'reply' | 'no_reply';
    reason: string | null;
    ruleId: string | null;
    ruleName: string | null;
    reply: string | null;
  };
  actual: { outcome: string; ruleId: string | null; reply: string | null } | null;
  changed: boolean;
}

function epoch(value: string | null | undefined): number | null {
  return value ? Date.parse(value) : null;
}

/** Reads the reply recorded in a live evaluation's trace (see RuleEvaluator). */
function recordedReply(trace: unknown): string | null {
  const decision = (trace as { decision?: { outcome?: string; response?: { text?: unknown } } } | null)
    ?.decision;
  return decision?.outcome === 'reply' && typeof decision.response?.text === 'string'
    ? decision.response.text
    : null;
}

/** The editor's test panel, replay and conflicts. */
export class RuleLab {
  constructor(
    private readonly options: {
      repositories: () => Repositories;
      cache: CompiledRulesCache;
      now?: () => Date;
    },
  ) {}

  /** Runs the draft (with the unsaved rule, if any) on a typed message; full trace. */
  async test(input: TestInput): Promise<TestOutcome> {
    const repos = this.options.repositories();
    let loaded = await this.options.cache.load(repos, input.accountId);
    if (input.draftRule)
      loaded = compileAccountRules(loaded.account, loaded.settings, loaded.rows, input.draftRule);
    const conversation = input.conversation ?? {};
    return testMessage(loaded.draft, {
      text: input.text,
      eventType: input.eventType,
      payload: input.payload,
      at: epoch(input.at) ?? (this.options.now?.() ?? new Date()).getTime(),
      firstMessage: input.firstMessage,
      conversation: {
        ...conversation,
        lastHumanReplyAt: epoch(conversation.lastHumanReplyAt),
        automationPausedUntil: epoch(conversation.automationPausedUntil),
      },
    });
  }

  /**
   * Runs the draft over the account's latest inbound messages, oldest first, as if they arrived again:
   * opt-outs and the draft's own replies (cooldowns, variants) are replayed in order, human replies
   * come from the stored thread. Compared with what the live rules recorded for each message.
   */
  async replay(accountId: string, options: { limit: number; since?: string | undefined }) {
    const repos = this.options.repositories();
    const loaded = await this.options.cache.load(repos, accountId);
    const inbound = await repos.automationState.listInbound(accountId, {
      limit: options.limit,
      ...(options.since ? { since: new Date(options.since) } : {}),
    });
    const conversationIds = [...new Set(inbound.map((m) => m.conversationId))];
    const outbound = await repos.automationState.listOutbound(conversationIds);
    const ruleRows = await repos.automationState.ruleOutbox(accountId);
    const ours = new Set(ruleRows.flatMap((r) => (r.graphMessageId ? [r.graphMessageId] : [])));
    const ourTexts = new Set(ruleRows.map((r) => `${r.conversationId}\u0000${r.text ?? ''}`));
    const humanReplies = outbound.filter(
      (m) =>
        m.sentBy !== 'rule' && !ours.has(m.mid) && !ourTexts.has(`${m.conversationId}\u0000${m.text ?? ''}`),
    );
    const evaluations = await repos.automationState.latestEvaluations(inbound.map((m) => m.id));
    const conversations = new Map<
      number,
      {
        status: ConversationContext['status'];
        labels: string[];
        username: string | null;
        name: string | null;
      }
    >();
    for (const id of conversationIds) {
      const c = await repos.conversations.getConversation(id);
      if (c)
        conversations.set(id, {
          status: c.status,
          labels: c.labels,
          username: c.participantUsername,
          name: c.participantName,
        });
    }

    const seenInbound = new Set<number>();
    const optedOut = new Map<number, boolean>();
    const fired = new Map<string, { person: Map<number, { at: number; count: number }>; account: number }>();
    const items: ReplayItem[] = [];
    for (const message of inbound) {
      const at = message.createdAt.getTime();
      const conversation = conversations.get(message.conversationId) ?? {
        status: 'active' as const,
        labels: [],
        username: null,
        name: null,
      };
      const lastHuman = humanReplies
        .filter((m) => m.conversationId === message.conversationId && m.createdAt.getTime() <= at)
        .at(-1);
      const ruleHistory: Record<string, RuleHistory> = {};
      for (const [ruleId, history] of fired) {
        const person = history.person.get(message.conversationId);
        ruleHistory[ruleId] = {
          lastFiredOnAccountAt: history.account,
          lastFiredForPersonAt: person?.at ?? null,
          answeredCount: person?.count ?? 0,
        };
      }
      const context: ConversationContext = {
        username: conversation.username,
        name: conversation.name,
        isFirstMessage: !seenInbound.has(message.conversationId) && !(await this.hadEarlier(repos, message)),
        status: conversation.status,
        labels: conversation.labels,
        optedOut: optedOut.get(message.conversationId) ?? false,
        lastHumanReplyAt: lastHuman?.createdAt.getTime() ?? null,
        ruleHistory,
      };
      seenInbound.add(message.conversationId);
      const decision = decide(loaded.draft, ruleEventOf(message), context, at, { mode: 'draft' });
      if (decision.optOut) optedOut.set(message.conversationId, decision.optOut === 'set');
      if (decision.outcome === 'reply') {
        const history = fired.get(decision.rule.id) ?? {
          person: new Map<number, { at: number; count: number }>(),
          account: at,
        };
        const person = history.person.get(message.conversationId);
        history.person.set(message.conversationId, { at, count: (person?.count ?? 0) + 1 });
        history.account = at;
        fired.set(decision.rule.id, history);
      }
      const recorded = evaluations.get(message.id);
      const actual = recorded
        ? {
            outcome: recorded.outcome,
            ruleId: recorded.outcome === 'matched' ? recorded.ruleId : null,
            reply: recordedReply(recorded.trace),
          }
        : null;
      const draftRule = decision.outcome === 'reply' ? decision.rule : null;
      items.push({
        messageId: message.id,
        conversationId: message.conversationId,
        at: message.createdAt.toISOString(),
        text: message.text,
        draft: {
          outcome: decision.outcome,
          reason: decision.outcome === 'no_reply' ? decision.reason : null,
          ruleId: draftRule?.id ?? null,
          ruleName: draftRule?.name ?? null,
          reply: replyTextOf(decision),
        },
        actual,
        changed: (draftRule?.id ?? null) !== (actual?.ruleId ?? null),
      });
    }
    return {
      items,
      summary: {
        examined: items.length,
        wouldReply: items.filter((i) => i.draft.outcome === 'reply').length,
        didReply: items.filter((i) => i.actual?.outcome === 'matched').length,
        changed: items.filter((i) => i.changed).length,
      },
    };
  }

  /** Conflict warnings on the draft (or the live rules). */
  async conflicts(accountId: string, mode: 'draft' | 'live'): Promise<RuleConflict[]> {
    const loaded = await this.options.cache.load(this.options.repositories(), accountId);
    return findConflicts(mode === 'live' ? loaded.live : loaded.draft, { mode });
  }

  /** Whether the conversation had inbound messages before the replay window. */
  private hadEarlier(repos: Repositories, message: AutomationMessage): Promise<boolean> {
    return repos.automationState.hasEarlierInbound(message.conversationId, message.id);
  }
}
