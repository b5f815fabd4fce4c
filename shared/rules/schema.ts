/**
 * The rule model: one zod schema per concept, shared by the engine, the contract and storage.
 *
 * Every message says what to fix, because staff read them in the editor.
 */
import { z } from 'zod';
import { normalizeText } from './normalize';
import { compilePattern, MAX_PATTERN_LENGTH } from './pattern';
import { checkTemplate } from './template';

/** Limits that keep one rule from slowing an account down; reported with what to change. */
export const RULE_LIMITS = {
  keywordsPerRule: 500,
  keywordLength: 100,
  variantsPerResponse: 20,
  templateLength: 2_000,
  intentExamples: 200,
  intentExampleLength: 300,
  priorityMagnitude: 1_000_000,
  maxCooldownSeconds: 90 * 24 * 3600,
  maxPauseMinutes: 30 * 24 * 60,
} as const;

/** Graph API limits on a sent message (instagram-api.md §5.3). */
export const GRAPH_LIMITS = {
  textBytes: 1_000,
  quickReplies: 13,
  quickReplyTitleChars: 20,
  quickReplyPayloadChars: 1_000,
} as const;

/** Event kinds a rule can answer. */
export const RuleEventTypeSchema = z.enum([
  'dm',
  'story_mention',
  'story_reply',
  'comment',
  'postback',
  'quick_reply',
  'referral',
]);
export type RuleEventType = z.infer<typeof RuleEventTypeSchema>;

/** How a keyword must appear: as whole word(s) (default), anywhere, as the whole message, or at its start. */
export const KeywordModeSchema = z.enum(['word', 'contains', 'exact', 'starts_with']);
export type KeywordMode = z.infer<typeof KeywordModeSchema>;

const keywordSchema = z
  .string()
  .max(RULE_LIMITS.keywordLength, `A keyword can be at most ${RULE_LIMITS.keywordLength} characters`)
  .refine(
    (k) => normalizeText(k) !== '',
    'A keyword is empty (or only accents/spaces): type a word or remove it',
  );

/** Keyword trigger: any of the keywords, matched case-, accent- and width-insensitively. */
export const KeywordTriggerSchema = z.strictObject({
  type: z.literal('keyword'),
  keywords: z
    .array(keywordSchema)
    .min(1, 'Add at least one keyword')
    .max(
      RULE_LIMITS.keywordsPerRule,
      `At most ${RULE_LIMITS.keywordsPerRule} keywords per rule: split the list into several rules or use an intent`,
    ),
  mode: KeywordModeSchema.default('word'),
});

/** Pattern trigger: an RE2 regular expression, matched against the message as written. */
export const PatternTriggerSchema = z.strictObject({
  type: z.literal('pattern'),
  pattern: z
    .string()
    .min(1, 'Type a pattern')
    .max(MAX_PATTERN_LENGTH, `A pattern can be at most ${MAX_PATTERN_LENGTH} characters`),
  flags: z
    .string()
    .regex(/^[ims]*$/, 'Flags are letters among i (ignore case), s (dot matches newline), m (multi-line)')
    .default('i'),
});

/** Intent trigger: the account's named intent, scored by the offline classifier, at or above `threshold`. */
export const IntentTriggerSchema = z.strictObject({
  type: z.literal('intent'),
  intent: z.string().min(1, 'Choose an intent'),
  threshold: z
    .number()
    .min(0, 'The threshold is between 0 and 1')
    .max(1, 'The threshold is between 0 and 1')
    .default(0.5),
});

/** What makes a rule a candidate for an event. */
export const TriggerSchema = z.discriminatedUnion('type', [
  KeywordTriggerSchema,
  PatternTriggerSchema,
  IntentTriggerSchema,
]);
export type Trigger = z.infer<typeof TriggerSchema>;
export type TriggerType = Trigger['type'];

/** Days of the week, in the account's time zone. */
export const DaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Day = z.infer<typeof DaySchema>;

const clockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Write times as HH:MM, 00:00 to 24:00');

/** Opening hours: `from` to `to` on `days`; `to` earlier than `from` runs past midnight. */
export const OpeningHoursSchema = z.strictObject({
  days: z.array(DaySchema).min(1, 'Pick at least one day'),
  from: clockTime,
  to: clockTime,
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

function unknownFields(what: string, allowed: readonly string[]) {
  return (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys'
      ? `Unknown ${what} field(s): ${(issue.keys ?? []).join(', ')}. Allowed: ${allowed.join(', ')}`
      : undefined;
}

const businessHoursShape = {
  when: z.enum(['open', 'closed']).default('open'),
  hours: OpeningHoursSchema.optional(),
  timezone: z.string().min(1).optional(),
};

const conditionShape = {
  eventTypes: z.array(RuleEventTypeSchema).min(1, 'Pick at least one event type').optional(),
  firstMessageOnly: z.boolean().optional(),
  businessHours: z
    .strictObject(businessHoursShape, {
      error: unknownFields('business hours', Object.keys(businessHoursShape)),
    })
    .optional(),
  cooldown: z
    .strictObject(
      {
        perPersonSeconds: z
          .int('Cooldowns are whole seconds')
          .min(0)
          .max(RULE_LIMITS.maxCooldownSeconds)
          .optional(),
        perAccountSeconds: z
          .int('Cooldowns are whole seconds')
          .min(0)
          .max(RULE_LIMITS.maxCooldownSeconds)
          .optional(),
      },
      { error: unknownFields('cooldown', ['perPersonSeconds', 'perAccountSeconds']) },
    )
    .optional(),
  conversationStatus: z
    .array(z.enum(['active', 'archived']))
    .min(1)
    .optional(),
  labels: z
    .strictObject(
      {
        any: z.array(z.string().min(1)).optional(),
        all: z.array(z.string().min(1)).optional(),
        none: z.array(z.string().min(1)).optional(),
      },
      { error: unknownFields('labels', ['any', 'all', 'none']) },
    )
    .optional(),
  humanPauseMinutes: z.int('The pause is whole minutes').min(0).max(RULE_LIMITS.maxPauseMinutes).optional(),
};

/**
 * Conditions that must all hold for a matched rule to answer. Unknown fields are rejected.
 *
 * Defaults: `eventTypes` is `['dm']` (a comment or a story mention must be chosen explicitly);
 * `humanPauseMinutes` is the account's; business hours without `hours` use the account's hours.
 */
export const ConditionsSchema = z.strictObject(conditionShape, {
  error: unknownFields('condition', Object.keys(conditionShape)),
});
export type Conditions = z.infer<typeof ConditionsSchema>;

/** A quick-reply button (text only on Instagram). */
export const QuickReplySchema = z.strictObject({
  title: z
    .string()
    .min(1, 'A quick reply needs a title')
    .refine(
      (t) => [...t].length <= GRAPH_LIMITS.quickReplyTitleChars,
      `Instagram cuts quick-reply titles after ${GRAPH_LIMITS.quickReplyTitleChars} characters: shorten it`,
    ),
  payload: z.string().min(1, 'A quick reply needs a payload').max(GRAPH_LIMITS.quickReplyPayloadChars),
});
export type QuickReply = z.infer<typeof QuickReplySchema>;

/** A text reply with variants (one is chosen per answer) and optional quick replies. */
export const TextResponseSchema = z.strictObject({
  kind: z.literal('text'),
  variants: z
    .array(z.string().min(1, 'A reply variant is empty').max(RULE_LIMITS.templateLength))
    .min(1, 'Write at least one reply')
    .max(RULE_LIMITS.variantsPerResponse),
  rotation: z.enum(['round_robin', 'random']).default('round_robin'),
  quickReplies: z
    .array(QuickReplySchema)
    .max(GRAPH_LIMITS.quickReplies, `Instagram allows at most ${GRAPH_LIMITS.quickReplies} quick replies`)
    .default([]),
});

/** A saved reusable template sent with `send_template(template_id, params)`; params are templates too. */
export const SavedTemplateResponseSchema = z.strictObject({
  kind: z.literal('saved_template'),
  savedTemplateId: z.string().min(1, 'Choose a saved template'),
  params: z.record(z.string(), z.string().max(RULE_LIMITS.templateLength)).default({}),
});

/** What a rule sends. */
export const ResponseSchema = z.discriminatedUnion('kind', [TextResponseSchema, SavedTemplateResponseSchema]);
export type RuleResponse = z.infer<typeof ResponseSchema>;

const ruleShape = {
  id: z.string().min(1).max(64),
  accountId: z.string().min(1),
  name: z.string().trim().min(1, 'Give the rule a name').max(120),
  /** Higher wins. Ties: lower `position`, then lower `id` (code-unit order). */
  priority: z
    .int('Priority must be a whole number')
    .min(
      -RULE_LIMITS.priorityMagnitude,
      `Priority is between -${RULE_LIMITS.priorityMagnitude} and ${RULE_LIMITS.priorityMagnitude}`,
    )
    .max(
      RULE_LIMITS.priorityMagnitude,
      `Priority is between -${RULE_LIMITS.priorityMagnitude} and ${RULE_LIMITS.priorityMagnitude}`,
    ),
  position: z.int('Position must be a whole number').min(0).default(0),
  isActive: z.boolean().default(true),
  isFallback: z.boolean().default(false),
  status: z.enum(['draft', 'published']).default('draft'),
  version: z.int().min(1).default(1),
  /** Required unless `isFallback`; a fallback with a trigger answers only unmatched messages that hit it. */
  trigger: TriggerSchema.optional(),
  conditions: ConditionsSchema.default({}),
  response: ResponseSchema,
};

/**
 * One rule of one account. Cross-field checks: a non-fallback rule needs a trigger; patterns must
 * compile on RE2; templates must parse and use known variables (captures must be named groups).
 */
export const RuleSchema = z
  .strictObject(ruleShape, { error: unknownFields('rule', Object.keys(ruleShape)) })
  .superRefine((rule, ctx) => {
    if (!rule.trigger && !rule.isFallback) {
      ctx.addIssue({
        code: 'custom',
        path: ['trigger'],
        message: 'Choose a trigger (keyword, pattern or intent), or mark the rule as the fallback',
      });
    }
    let captureNames: string[] | null = null;
    if (rule.trigger?.type === 'pattern') {
      const compiled = compilePattern(rule.trigger.pattern, rule.trigger.flags);
      if (compiled.ok) captureNames = compiled.value.captureNames;
      else ctx.addIssue({ code: 'custom', path: ['trigger', 'pattern'], message: compiled.message });
    }
    const scope = { captureNames, accountVariables: null };
    const templates: Array<[Array<string | number>, string]> =
      rule.response.kind === 'text'
        ? rule.response.variants.map((v, i): [Array<string | number>, string] => [
            ['response', 'variants', i],
            v,
          ])
        : Object.entries(rule.response.params).map(([k, v]): [Array<string | number>, string] => [
            ['response', 'params', k],
            v,
          ]);
    for (const [path, source] of templates) {
      for (const problem of checkTemplate(source, scope))
        ctx.addIssue({ code: 'custom', path, message: problem.message });
    }
  });
/** A validated rule (defaults applied). */
export type Rule = z.infer<typeof RuleSchema>;
/** A rule as written by a caller, before defaults. */
export type RuleInput = z.input<typeof RuleSchema>;

/** A named intent of an account, learnt from example phrases. */
export const IntentDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1, 'Give the intent a name').max(60),
  examples: z
    .array(
      z
        .string()
        .max(RULE_LIMITS.intentExampleLength)
        .refine((e) => normalizeText(e) !== '', 'An example phrase is empty'),
    )
    .min(1, 'An intent needs at least one example phrase (better five or more)')
    .max(RULE_LIMITS.intentExamples),
});
export type IntentDefinition = z.infer<typeof IntentDefinitionSchema>;

/** What the engine needs to know about the account whose rules run. */
export const AccountContextSchema = z.strictObject({
  accountId: z.string().min(1),
  name: z.string(),
  username: z.string().nullable().default(null),
  /** IANA time zone, e.g. "Europe/Paris"; business hours are read in it. */
  timezone: z.string().min(1),
  openingHours: OpeningHoursSchema.nullable().default(null),
  /** How long automation stays silent after a human replied (app or phone). */
  humanPauseMinutes: z.int().min(0).max(RULE_LIMITS.maxPauseMinutes).default(60),
  optOutWords: z.array(z.string().min(1)).default(['stop', 'unsubscribe']),
  optInWords: z.array(z.string().min(1)).default(['start']),
  /** Account variables for `{{var.key}}` (copied with rules to another client). */
  variables: z.record(z.string(), z.string()).default({}),
});
export type AccountContext = z.infer<typeof AccountContextSchema>;
export type AccountContextInput = z.input<typeof AccountContextSchema>;

/** An account's rule set as stored: rules and intents, each validated on its own at compile time. */
export interface RuleSetInput {
  rules: readonly unknown[];
  intents?: readonly unknown[];
}

/** Human-readable lines for a zod error: `path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
}
