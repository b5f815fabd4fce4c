import { z } from 'zod';
import {
  IntentDefinitionSchema,
  MAX_EVENT_TEXT,
  RULE_LIMITS,
  RuleEventTypeSchema,
  RuleSchema,
} from '../rules/index';
import type { Decision, Rule, RuleConflict } from '../rules/index';
import { event, method } from './define';

/**
 * Automatic replies: each account's rules (draft and published), their counters and compile errors,
 * the editor's test panel and replay, conflict warnings, import/export and copy between accounts, and
 * the account's intents and template variables.
 *
 * Every edit names the version it was made against: a stale one is CONFLICT, whose first issue
 * (`expectedVersion`) says the current version (see `currentVersionOf`).
 */

const isoInstant = z.iso.datetime({ offset: true, error: 'Write the time as an ISO 8601 instant' });
const accountId = z.string().min(1, 'Choose an account');
const expectedVersion = z.int('The version is a whole number').min(1, 'The version starts at 1');

/** Fields Switchboard sets itself: a rule sent with them is refused rather than half-applied. */
const SERVER_FIELDS = ['accountId', 'version', 'status'] as const;

/**
 * A rule's editable fields, checked with the engine's own schema (keywords, patterns on RE2,
 * templates and their variables, conditions, priority) so every message says what to fix.
 */
export const ruleBodySchema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const body: Record<string, unknown> = { ...value };
  for (const field of SERVER_FIELDS) {
    if (field in body) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `"${field}" is set by Switchboard: remove it from the rule`,
      });
      delete body[field];
    }
  }
  const parsed = RuleSchema.safeParse({ id: 'new-rule', ...body, accountId: 'account' });
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
/** Input form of a rule (what the editor sends). */
export type RuleBody = z.input<typeof ruleBodySchema>;

const ruleRef = z.object({ id: z.string().min(1), expectedVersion }).strict();

const countersSchema = z
  .object({
    /** Times its trigger matched a message (whether or not it answered). */
    matched: z.number(),
    /** Replies handed to the outbox. */
    answered: z.number(),
    /** Matched but did not answer, by reason (a condition name, `shadowed`, `automation_off`…). */
    suppressed: z.record(z.string(), z.number()),
    /** Its reply could not be rendered or queued. */
    failed: z.number(),
  })
  .strict();

export const ruleViewSchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    name: z.string(),
    priority: z.number(),
    isActive: z.boolean(),
    /** 'draft': the working copy has changes not yet published (or was never published). */
    status: z.enum(['draft', 'published']),
    version: z.number(),
    /** The version that runs live; null when never published. */
    publishedVersion: z.number().nullable(),
    /** The working copy; null for a rule stored before the editor existed (save it again). */
    rule: z.custom<Rule>((v) => typeof v === 'object' && v !== null).nullable(),
    counters: countersSchema,
    /** Why the working copy cannot run, in words staff can act on; empty when it compiles. */
    compileErrors: z.array(z.string()),
    /** Why the published copy does not run live (e.g. an intent deleted since). */
    liveErrors: z.array(z.string()),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  })
  .strict();
export type RuleView = z.infer<typeof ruleViewSchema>;

const ruleListSchema = z
  .object({
    rules: z.array(ruleViewSchema),
    /** Problems with the account's settings as rules read them (time zone, opening hours). */
    accountErrors: z.array(z.string()),
    /** Intents that cannot be used, with what to fix. */
    intentErrors: z.array(z.string()),
  })
  .strict();

const conversationSchema = z
  .object({
    username: z.string().nullable().optional(),
    name: z.string().nullable().optional(),
    status: z.enum(['active', 'archived', 'blocked']).optional(),
    labels: z.array(z.string()).optional(),
    optedOut: z.boolean().optional(),
    lastHumanReplyAt: isoInstant.nullable().optional(),
    automationPausedUntil: isoInstant.nullable().optional(),
  })
  .strict();

const decisionSchema = z.custom<Decision>((v) => typeof v === 'object' && v !== null);

const conflictSchema = z.custom<RuleConflict>((v) => typeof v === 'object' && v !== null);

export const intentListSchema = z
  .array(IntentDefinitionSchema)
  .max(500, 'At most 500 intents per account')
  .superRefine((intents, ctx) => {
    const seen = new Set<string>();
    intents.forEach((intent, i) => {
      if (seen.has(intent.name))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `Two intents are named "${intent.name}": rename one`,
        });
      seen.add(intent.name);
    });
  });

const variablesSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'A variable name uses letters, digits and "_"'),
    z.string().max(RULE_LIMITS.templateLength),
  )
  .refine((v) => Object.keys(v).length <= 200, 'At most 200 variables per account');

/** An exported rule set, importable into any account. */
export const rulesDocumentSchema = z
  .object({
    format: z.literal('switchboard.rules', 'This is not a Switchboard rules file'),
    formatVersion: z.literal(1, 'This rules file comes from a newer Switchboard: update the app'),
    exportedAt: isoInstant,
    source: z.object({ accountId: z.string(), username: z.string().nullable() }).strict(),
    rules: z.array(ruleBodySchema).max(20_000, 'At most 20,000 rules per file'),
    intents: intentListSchema,
    variables: variablesSchema,
  })
  .strict();
export type RulesDocument = z.infer<typeof rulesDocumentSchema>;

const replayItemSchema = z
  .object({
    messageId: z.number(),
    conversationId: z.number(),
    at: isoInstant,
    text: z.string().nullable(),
    /** What the current draft would do. */
    draft: z
      .object({
        outcome: z.enum(['reply', 'no_reply']),
        reason: z.string().nullable(),
        ruleId: z.string().nullable(),
        ruleName: z.string().nullable(),
        reply: z.string().nullable(),
      })
      .strict(),
    /** What was recorded live for this message; null when it was never evaluated. */
    actual: z
      .object({ outcome: z.string(), ruleId: z.string().nullable(), reply: z.string().nullable() })
      .strict()
      .nullable(),
    /** The draft answers with another rule (or answers where nothing did, or the reverse). */
    changed: z.boolean(),
  })
  .strict();

const settingsViewSchema = z
  .object({
    intents: z.array(IntentDefinitionSchema),
    variables: z.record(z.string(), z.string()),
    /** Minutes automation stays silent after a human replied; null = the default (60). */
    humanPauseMinutes: z.number().nullable(),
    /** 0 until first saved. */
    version: z.number(),
  })
  .strict();

export const rulesMethods = {
  'rules.list': method({
    summary: "An account's rules in evaluation order, with counters and compile errors.",
    input: z.object({ accountId }).strict(),
    output: ruleListSchema,
  }),
  'rules.get': method({
    summary: 'One rule.',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: ruleViewSchema,
  }),
  'rules.create': method({
    summary: 'Adds a rule as a draft (publish it to run it live). The id may be chosen offline.',
    input: z.object({ accountId, rule: ruleBodySchema }).strict(),
    output: ruleViewSchema,
  }),
  'rules.update': method({
    summary: 'Replaces the working copy of a rule edited at `expectedVersion`; it becomes a draft.',
    input: z.object({ id: z.string().min(1), expectedVersion, rule: ruleBodySchema }).strict(),
    output: ruleViewSchema,
  }),
  'rules.delete': method({
    summary: 'Deletes a rule last seen at `expectedVersion` (live at once).',
    input: ruleRef,
    output: z.object({ deleted: z.literal(true) }).strict(),
  }),
  'rules.reorder': method({
    summary: 'Sets the evaluation order (first = highest priority) in one transaction; a draft change.',
    input: z
      .object({ accountId, order: z.array(ruleRef).min(1, 'List the rules in their new order') })
      .strict(),
    output: ruleListSchema,
  }),
  'rules.setActive': method({
    summary: 'Switches a rule on or off, live at once.',
    input: z.object({ id: z.string().min(1), expectedVersion, isActive: z.boolean() }).strict(),
    output: ruleViewSchema,
  }),
  'rules.publish': method({
    summary: 'Publishes drafts (all of the account, or the listed versions): they replace the live copies.',
    input: z.object({ accountId, rules: z.array(ruleRef).optional() }).strict(),
    output: z.object({ published: z.array(z.string()), rules: z.array(ruleViewSchema) }).strict(),
  }),
  'rules.test': method({
    summary: "The editor's test panel: which draft rule answers a message, the reply and the full trace.",
    input: z
      .object({
        accountId,
        text: z.string().max(MAX_EVENT_TEXT).default(''),
        eventType: RuleEventTypeSchema.default('dm'),
        payload: z.string().max(1_000).nullable().optional(),
        /** When the message arrives (business hours, cooldowns); default now. */
        at: isoInstant.optional(),
        firstMessage: z.boolean().default(false),
        conversation: conversationSchema.optional(),
        /** The rule being edited, unsaved: replaces the stored rule with this id, or is added. */
        draftRule: ruleBodySchema.optional(),
      })
      .strict(),
    output: z
      .object({ decision: decisionSchema, reply: z.string().nullable(), compileErrors: z.array(z.string()) })
      .strict(),
  }),
  'rules.replay': method({
    summary: "Runs the draft over the account's stored inbound messages: what would fire vs what did.",
    input: z
      .object({ accountId, limit: z.int().min(1).max(2_000).default(200), since: isoInstant.optional() })
      .strict(),
    output: z
      .object({
        items: z.array(replayItemSchema),
        summary: z
          .object({
            examined: z.number(),
            wouldReply: z.number(),
            didReply: z.number(),
            changed: z.number(),
          })
          .strict(),
      })
      .strict(),
  }),
  'rules.conflicts': method({
    summary: 'Rules that can never fire (a higher rule always answers first) and rules sharing a keyword.',
    input: z.object({ accountId, mode: z.enum(['draft', 'live']).default('draft') }).strict(),
    output: z.object({ conflicts: z.array(conflictSchema) }).strict(),
  }),
  'rules.export': method({
    summary: "An account's rules (working copies), intents and variables as a JSON document.",
    input: z.object({ accountId }).strict(),
    output: z.object({ document: rulesDocumentSchema }).strict(),
  }),
  'rules.import': method({
    summary:
      'Imports a rules document as drafts (appended, or replacing the account’s rules), all or nothing.',
    input: z
      .object({
        accountId,
        document: rulesDocumentSchema,
        mode: z.enum(['append', 'replace']).default('append'),
      })
      .strict(),
    output: z.object({ created: z.array(ruleViewSchema), variablesAdded: z.array(z.string()) }).strict(),
  }),
  'rules.copy': method({
    summary:
      'Copies rules (all, or the listed ones) to another account as drafts, with the intents and variables they use.',
    input: z
      .object({ fromAccountId: accountId, toAccountId: accountId, ruleIds: z.array(z.string()).optional() })
      .strict(),
    output: z
      .object({
        created: z.array(ruleViewSchema),
        variablesAdded: z.array(z.string()),
        intentsAdded: z.array(z.string()),
      })
      .strict(),
  }),
  'rules.getIntents': method({
    summary: "The account's intents, its template variables and the human-takeover pause.",
    input: z.object({ accountId }).strict(),
    output: settingsViewSchema,
  }),
  'rules.setIntents': method({
    summary:
      "Replaces the account's intents (example phrases), checked against `expectedVersion` (0 = first save).",
    input: z.object({ accountId, intents: intentListSchema, expectedVersion: z.int().min(0) }).strict(),
    output: settingsViewSchema,
  }),
  'rules.setVariables': method({
    summary: 'Sets template variables (`{{var.key}}`) and the human-takeover pause of an account.',
    input: z
      .object({
        accountId,
        expectedVersion: z.int().min(0),
        variables: variablesSchema.optional(),
        humanPauseMinutes: z.int().min(0).max(RULE_LIMITS.maxPauseMinutes).nullable().optional(),
      })
      .strict(),
    output: settingsViewSchema,
  }),
} as const;

export const rulesEvents = {
  'rules.changed': event({
    summary: "An account's rules, intents or variables changed: reload the editor.",
    payload: z.object({ accountId: z.string() }).strict(),
  }),
  'rules.evaluated': event({
    summary: 'The rules ran on an inbound message; `outboxId` is set when a reply was queued.',
    payload: z
      .object({
        accountId: z.string(),
        conversationId: z.number(),
        messageId: z.number(),
        outcome: z.enum(['matched', 'no_match', 'suppressed', 'error']),
        ruleId: z.string().nullable(),
        outboxId: z.number().nullable(),
      })
      .strict(),
  }),
} as const;

/** The current version carried by a CONFLICT on a rule, or null. */
export function currentVersionOf(error: { code: string; issues?: { path: string; message: string }[] }) {
  if (error.code !== 'CONFLICT') return null;
  const issue = error.issues?.find((i) => i.path === 'expectedVersion');
  const match = issue ? /current version is (\d+)/.exec(issue.message) : null;
  return match ? Number(match[1]) : null;
}
