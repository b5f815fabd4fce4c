import { z } from 'zod';

/**
 * Shapes of Meta's answers (instagram-api.md §5–§8, §10). Objects are not
 * strict: Meta adds fields over time and an extra field must not break us;
 * a missing or mistyped field we rely on must (it becomes `invalid_response`).
 * Optional fields are `nullish` because Graph writes `null` for absent
 * values (profile `name`, `profile_pic`).
 */

const id = z.string().min(1);

/** `{"error":{…}}` — Meta's error body, on either host. */
export const graphErrorBodySchema = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    code: z.number().int(),
    error_subcode: z.number().int().nullish(),
    is_transient: z.boolean().nullish(),
    error_user_title: z.string().nullish(),
    error_user_msg: z.string().nullish(),
    fbtrace_id: z.string().nullish(),
  }),
});
export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;

/** IG Login `/me?fields=id,user_id,username,name`. */
export const instagramMeSchema = z.object({
  id,
  user_id: id,
  username: z.string(),
  name: z.string().nullish(),
});

/** FB Login `/me?fields=id,name,instagram_business_account` (the Page). */
export const facebookMeSchema = z.object({
  id,
  name: z.string().nullish(),
  instagram_business_account: z.object({ id }).nullish(),
});

/** `debug_token` → `{data:{…}}`; an invalid token still answers 200 with `is_valid:false`. */
export const debugTokenSchema = z.object({
  data: z.object({
    app_id: z.string().nullish(),
    type: z.string().nullish(),
    application: z.string().nullish(),
    expires_at: z.number().nullish(),
    data_access_expires_at: z.number().nullish(),
    is_valid: z.boolean(),
    scopes: z.array(z.string()).nullish(),
    user_id: z.string().nullish(),
    profile_id: z.string().nullish(),
    error: z
      .object({
        code: z.number().nullish(),
        subcode: z.number().nullish(),
        message: z.string().nullish(),
      })
      .nullish(),
  }),
});

/** `refresh_access_token` → `{access_token, token_type, expires_in}`. */
export const refreshTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().nonnegative(),
});

/** Send API success. Reactions and sender actions carry no `message_id`. */
export const sendResultSchema = z.object({
  recipient_id: id,
  message_id: id.nullish(),
});

/** User Profile API. */
export const userProfileSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  username: z.string().nullish(),
  profile_pic: z.string().nullish(),
  follower_count: z.number().nullish(),
  is_user_follow_business: z.boolean().nullish(),
  is_business_follow_user: z.boolean().nullish(),
  is_verified_user: z.boolean().nullish(),
});

const party = z.object({ id, username: z.string().nullish() });

const paging = z
  .object({
    cursors: z.object({ before: z.string().nullish(), after: z.string().nullish() }).nullish(),
    next: z.string().nullish(),
  })
  .nullish();

/** `/{node}/conversations?platform=instagram`. */
export const conversationListSchema = z.object({
  data: z.array(
    z.object({
      id,
      updated_time: z.string().nullish(),
      participants: z.object({ data: z.array(party) }).nullish(),
    }),
  ),
  paging,
});

/** `/{conversation-id}?fields=messages`. */
export const conversationMessagesSchema = z.object({
  id: z.string().nullish(),
  messages: z.object({
    data: z.array(z.object({ id, created_time: z.string().nullish() })),
    paging,
  }),
});

/** `/{message-id}?fields=id,created_time,from,to,message`. */
export const messageDetailsSchema = z.object({
  id,
  created_time: z.string().nullish(),
  from: party.nullish(),
  to: z.object({ data: z.array(party) }).nullish(),
  message: z.string().nullish(),
});

/** `GET /{node}/subscribed_apps`. */
export const subscribedAppsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string().nullish(),
      name: z.string().nullish(),
      subscribed_fields: z.array(z.string()).nullish(),
    }),
  ),
});

/** `POST /{node}/subscribed_apps`: `true` on the Instagram page, `"true"` on the Messenger page (§14.14). */
export const successSchema = z.object({
  success: z.union([z.boolean(), z.literal('true'), z.literal('false')]),
});
