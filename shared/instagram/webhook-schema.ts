import { z } from 'zod';

/**
 * Zod schemas of Meta's Instagram webhook envelope and items (instagram-api.md §3–§4).
 *
 * Lenient about what Meta may add (unknown keys are allowed and ignored: the original item
 * is kept as `raw` anyway), strict about the types of fields the normaliser relies on.
 * Optional fields are `nullish` because senders differ on absent vs null.
 */

/**
 * Anything below this is a time in seconds: as milliseconds it would be before March 1973,
 * as seconds it reaches the year 5138. Meta sends seconds in `changes` entries and
 * milliseconds in `messaging` ones (instagram-api.md §3), so the unit is detected per value.
 */
export const SECONDS_THRESHOLD = 1e11;

/** Converts a Meta time (seconds or milliseconds) to epoch milliseconds. */
export function toMilliseconds(value: number): number {
  return Math.round(value < SECONDS_THRESHOLD ? value * 1000 : value);
}

/**
 * An id: a non-empty string, or a JSON number that is a safe non-negative integer, always
 * handed out as a string. Numbers too big to be exact never get here as numbers:
 * `parseJsonLossless` has already turned them into digit strings.
 */
export const idSchema = z
  .union([z.string().min(1), z.int().nonnegative()], {
    error: 'expected an id (a non-empty string or a whole number)',
  })
  .transform((value) => String(value));

/** A Meta time in seconds or ms, handed out as epoch ms. */
export const timeSchema = z.number().nonnegative().transform(toMilliseconds);

const optionalText = z.string().nullish();

/** The top level of a delivery. Other `object` values (e.g. WhatsApp) are not ours. */
export const envelopeSchema = z.object({
  object: z.enum(['instagram', 'page']),
  entry: z.array(z.unknown()),
});

/** The routing part of an `entry[]` element. */
export const entryIdSchema = z.object({ id: idSchema });

/** The part common to every `messaging[]` / `standby[]` item. */
export const directItemSchema = z.object({
  sender: z.object({ id: idSchema }),
  recipient: z.object({ id: idSchema }),
  timestamp: timeSchema,
});

export const referralSchema = z.object({
  ref: optionalText,
  source: optionalText,
  type: optionalText,
  ad_id: idSchema.nullish(),
  ads_context_data: z
    .object({
      ad_title: optionalText,
      photo_url: optionalText,
      video_url: optionalText,
      post_id: idSchema.nullish(),
    })
    .nullish(),
  product: z.object({ id: idSchema }).nullish(),
});

export const attachmentSchema = z.object({
  type: z.string().min(1),
  // Loose so that reel/sticker/product ids Meta adds stay available to callers.
  payload: z.looseObject({ url: optionalText, title: optionalText }).nullish(),
});

export const messageSchema = z.object({
  mid: z.string().min(1),
  text: optionalText,
  attachments: z.array(attachmentSchema).nullish(),
  reply_to: z
    .object({
      mid: z.string().min(1).nullish(),
      story: z.object({ id: idSchema.nullish(), url: optionalText }).nullish(),
    })
    .nullish(),
  quick_reply: z.object({ payload: z.string() }).nullish(),
  referral: referralSchema.nullish(),
  is_echo: z.boolean().nullish(),
  is_self: z.boolean().nullish(),
  is_deleted: z.boolean().nullish(),
  is_unsupported: z.boolean().nullish(),
});

export const messageEditSchema = z.object({
  mid: z.string().min(1),
  text: optionalText,
  // Documented as a count; Meta's example shows a string placeholder, so digits in a string pass.
  num_edit: z.union([z.int().nonnegative(), z.string()]).nullish(),
});

export const reactionSchema = z.object({
  mid: z.string().min(1),
  action: z.enum(['react', 'unreact']),
  reaction: optionalText,
  emoji: optionalText,
});

export const readSchema = z.object({ mid: z.string().min(1) });

export const postbackSchema = z.object({
  mid: z.string().min(1).nullish(),
  title: optionalText,
  payload: optionalText,
  referral: referralSchema.nullish(),
});

export const optinSchema = z.record(z.string(), z.unknown());

export const threadControlSchema = z.object({
  previous_owner_app_id: idSchema.nullish(),
  new_owner_app_id: idSchema.nullish(),
  requested_owner_app_id: idSchema.nullish(),
  metadata: optionalText,
});

/** A `changes[]` item; `value` is checked per field. */
export const changeSchema = z.object({ field: z.string().min(1), value: z.unknown() });

export const commentValueSchema = z
  .object({
    id: idSchema.nullish(),
    comment_id: idSchema.nullish(),
    from: z.object({ id: idSchema, username: optionalText }).nullish(),
    text: optionalText,
    media: z
      .object({
        id: idSchema,
        media_product_type: optionalText,
        ad_id: idSchema.nullish(),
        ad_title: optionalText,
        original_media_id: idSchema.nullish(),
      })
      .nullish(),
    parent_id: idSchema.nullish(),
  })
  .refine((value) => value.id != null || value.comment_id != null, {
    message: 'a comment needs `id` (Instagram Login) or `comment_id` (Facebook Login)',
  });

export const mentionValueSchema = z.object({ media_id: idSchema, comment_id: idSchema.nullish() });

/** Short plain-words summary of a zod error, for `unknown` reasons and `wrong_shape` messages. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return issues.join('; ') + more;
}
