import { z } from 'zod';
import { SAVED_REPLY_BODY_MAX_BYTES, savedReplyNameProblem } from '../saved-replies';
import { method } from './define';

/**
 * Saved replies: named texts staff insert in the composer by typing `/name`, for one account or for all.
 * Bodies use the rules' template variables (`{{first_name | "there"}}`, `{{var.booking_url}}`); they are
 * checked when saved. Every change names the version it was made against: a stale one is CONFLICT.
 */

/** ISO 8601 instant in UTC. */
const isoInstant = z.string();

const nameSchema = z.string().superRefine((value, ctx) => {
  const problem = savedReplyNameProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** The byte limit and the variables are checked by the core (it knows the account's variables). */
const bodySchema = z
  .string()
  .min(1, 'Write the text of the reply')
  .max(SAVED_REPLY_BODY_MAX_BYTES * 4, `A reply has at most ${SAVED_REPLY_BODY_MAX_BYTES} bytes`);
const accountIdSchema = z.string().min(1).max(64);

export const savedReplyViewSchema = z
  .object({
    id: z.number().int(),
    /** null: offered in every account's conversations. */
    accountId: z.string().nullable(),
    name: z.string(),
    body: z.string(),
    version: z.number().int(),
    createdAt: isoInstant,
    updatedAt: isoInstant,
    /**
     * Only when listed for a conversation: the body filled for it. Variables without a value there (and no
     * fallback) stay as `{{name}}` in `text` and are listed in `missing`.
     */
    rendered: z
      .object({ text: z.string(), missing: z.array(z.string()) })
      .strict()
      .optional(),
  })
  .strict();
export type SavedReplyView = z.infer<typeof savedReplyViewSchema>;

export const savedRepliesMethods = {
  'savedReplies.list': method({
    summary:
      "Saved replies by name. With accountId: that account's and the all-accounts ones; with conversationId: those of its account, each filled in for it (rendered).",
    input: z
      .object({
        accountId: accountIdSchema.optional(),
        conversationId: z.number().int().positive().optional(),
      })
      .strict(),
    output: z.object({ replies: z.array(savedReplyViewSchema) }).strict(),
  }),
  'savedReplies.create': method({
    summary:
      'Saves a reply for one account (accountId) or all accounts (null). Names are one word, unique among the replies an account is offered.',
    input: z.object({ accountId: accountIdSchema.nullable(), name: nameSchema, body: bodySchema }).strict(),
    output: savedReplyViewSchema,
  }),
  'savedReplies.update': method({
    summary: 'Changes a saved reply made against `version`; a stale version is CONFLICT.',
    input: z
      .object({
        id: z.number().int().positive(),
        version: z.number().int().min(1),
        accountId: accountIdSchema.nullable().optional(),
        name: nameSchema.optional(),
        body: bodySchema.optional(),
      })
      .strict(),
    output: savedReplyViewSchema,
  }),
  'savedReplies.delete': method({
    summary: 'Deletes a saved reply made against `version`; a stale version is CONFLICT.',
    input: z.object({ id: z.number().int().positive(), version: z.number().int().min(1) }).strict(),
    output: z.object({ id: z.number().int() }).strict(),
  }),
} as const;
