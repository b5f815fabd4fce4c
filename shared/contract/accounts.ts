import { z } from 'zod';
import { event, method } from './define';

/**
 * Client accounts: the Instagram professional accounts an agency runs, and the encryption key that protects
 * their credentials. Secrets go in (access token, app secrets) but never come out: views only say whether
 * each credential is present and readable.
 */

const noWhitespace = (label: string) =>
  z
    .string()
    .min(1, `${label} is required`)
    .refine((value) => !/\s/.test(value), {
      message: `${label} contains spaces or line breaks — copy it again without them`,
    });

export const accessTokenSchema = noWhitespace('The access token').pipe(
  z.string().min(20, 'The access token is too short to be real — copy the whole token').max(2048),
);

/** Meta app secrets are 32 hexadecimal characters. */
export const appSecretSchema = z
  .string()
  .refine((value) => !/\s/.test(value), { message: 'The app secret contains spaces — copy it again' })
  .pipe(z.string().regex(/^[0-9a-f]{32}$/i, 'An app secret is 32 characters, only 0–9 and a–f'));

export const instagramAccountIdSchema = z
  .string()
  .trim()
  .regex(/^\d{5,30}$/, 'The Instagram account id is a number of 5 to 30 digits (see Meta’s dashboard)');

export const timezoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Unknown time zone — use a name like Europe/Berlin or America/New_York' },
);

export const accountSettingsSchema = z
  .object({
    timezone: timezoneSchema,
    businessHours: z
      .array(
        z
          .object({
            day: z.number().int().min(0).max(6),
            start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, e.g. 09:00'),
            end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'Use HH:MM, e.g. 17:30'),
          })
          .strict(),
      )
      .max(50),
    automationEnabled: z.boolean(),
    hourlySendBudget: z.number().int().min(0).max(100_000),
    humanAgentAllowed: z.boolean(),
  })
  .strict();

export const loginTypeSchema = z.enum(['instagram', 'facebook']);
export const accountStatusSchema = z.enum(['active', 'inactive', 'suspended', 'archived']);

const usernameSchema = z
  .string()
  .trim()
  .transform((value) => value.replace(/^@/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._]{1,30}$/,
        'An Instagram username has up to 30 letters, digits, dots or underscores',
      ),
  );

const brandColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Pick a colour like #1A2B3C');

export const accountViewSchema = z
  .object({
    id: z.string(),
    instagramAccountId: z.string(),
    username: z.string(),
    displayName: z.string().nullable(),
    clientName: z.string().nullable(),
    brandColor: z.string().nullable(),
    loginType: loginTypeSchema,
    status: accountStatusSchema,
    settings: accountSettingsSchema,
    webhookVerifyToken: z.string().nullable(),
    /** Where Meta must send this account's webhooks (the public tunnel URL when online, else the local one). */
    callbackUrl: z.string(),
    credentials: z
      .object({
        accessToken: z.enum(['present', 'missing', 'unreadable']),
        appSecret: z.enum(['present', 'missing', 'unreadable']),
        instagramAppSecret: z.enum(['present', 'missing', 'unreadable']),
      })
      .strict(),
    tokenExpiresAt: z.string().nullable(),
    tokenRefreshedAt: z.string().nullable(),
    health: z
      .object({
        status: z.enum(['unknown', 'ok', 'warning', 'error']),
        /** The token was refused for good (expired, revoked): someone must paste a new one. */
        needsReconnect: z.boolean(),
        /** Plain words, without the "Needs reconnect:" marker. */
        message: z.string().nullable(),
        checkedAt: z.string().nullable(),
      })
      .strict(),
    lastWebhookAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type AccountView = z.infer<typeof accountViewSchema>;

export const newAccountInputSchema = z
  .object({
    instagramAccountId: instagramAccountIdSchema,
    username: usernameSchema,
    displayName: z.string().trim().max(255).optional(),
    clientName: z.string().trim().min(1, 'Name the client this account belongs to').max(255),
    brandColor: brandColorSchema.optional(),
    loginType: loginTypeSchema,
    accessToken: accessTokenSchema,
    appSecret: appSecretSchema,
    /** Instagram Login apps have a second secret that some setups sign webhooks with. */
    instagramAppSecret: appSecretSchema.optional(),
    settings: accountSettingsSchema.partial().optional(),
  })
  .strict();

export const accountPatchInputSchema = z
  .object({
    id: z.string().min(1),
    username: usernameSchema.optional(),
    displayName: z.string().trim().max(255).nullable().optional(),
    clientName: z.string().trim().min(1, 'Name the client this account belongs to').max(255).optional(),
    brandColor: brandColorSchema.nullable().optional(),
    loginType: loginTypeSchema.optional(),
    accessToken: accessTokenSchema.optional(),
    appSecret: appSecretSchema.optional(),
    instagramAppSecret: appSecretSchema.nullable().optional(),
    settings: accountSettingsSchema.partial().optional(),
  })
  .strict();

export const keyStatusSchema = z
  .object({
    state: z.enum(['ready', 'unavailable', 'wrong_key']),
    /** Where the master key came from. */
    source: z.enum(['keychain', 'environment', 'key-file']).nullable(),
    /** Short fingerprint of the key (never the key). */
    keyId: z.string().nullable(),
    message: z.string().nullable(),
  })
  .strict();
export type KeyStatus = z.infer<typeof keyStatusSchema>;

export const connectionTestSchema = z
  .object({
    ok: z.boolean(),
    /** Plain words: what works, or what is wrong and what to do. */
    explanation: z.string(),
    username: z.string().nullable(),
    tokenExpiresAt: z.string().nullable(),
  })
  .strict();

const idInput = z.object({ id: z.string().min(1) }).strict();
const passphrase = z.string().min(1, 'Enter a passphrase');

export const accountsMethods = {
  'accounts.list': method({
    summary:
      'Every client account (archived ones only when asked), with status, health and credential state.',
    input: z.object({ includeArchived: z.boolean().optional() }).strict(),
    output: z.object({ accounts: z.array(accountViewSchema) }).strict(),
  }),
  'accounts.get': method({ summary: 'One account.', input: idInput, output: accountViewSchema }),
  'accounts.create': method({
    summary: 'Adds a client account; its access token and app secrets are encrypted before they are stored.',
    input: newAccountInputSchema,
    output: accountViewSchema,
  }),
  'accounts.update': method({
    summary: 'Changes an account; credentials are replaced only when given.',
    input: accountPatchInputSchema,
    output: accountViewSchema,
  }),
  'accounts.setStatus': method({
    summary: 'Activates, deactivates, suspends or archives an account (messages are never deleted).',
    input: z.object({ id: z.string().min(1), status: accountStatusSchema }).strict(),
    output: accountViewSchema,
  }),
  'accounts.regenerateVerifyToken': method({
    summary: 'Makes a new webhook verify token (paste it into Meta’s dashboard afterwards).',
    input: idInput,
    output: accountViewSchema,
  }),
  'accounts.testConnection': method({
    summary: 'Checks the access token against the Graph API and explains the result in plain words.',
    input: idInput,
    output: connectionTestSchema,
  }),
  'keys.getStatus': method({
    summary: 'Whether the encryption key is available, where it comes from, and its fingerprint.',
    input: z.object({}).strict(),
    output: keyStatusSchema,
  }),
  'keys.rotate': method({
    summary:
      'Creates a new encryption key and re-encrypts every stored credential with it, in one transaction.',
    input: z.object({}).strict(),
    output: z.object({ keyId: z.string(), reencrypted: z.number().int() }).strict(),
  }),
  'keys.export': method({
    summary: 'The encryption key as a passphrase-protected file, to give a second workstation the same key.',
    input: z.object({ passphrase }).strict(),
    output: z.object({ fileName: z.string(), contents: z.string() }).strict(),
  }),
  'keys.import': method({
    summary: 'Installs a key exported from another workstation; it must match this database.',
    input: z
      .object({
        contents: z
          .string()
          .min(1)
          .max(64 * 1024),
        passphrase,
      })
      .strict(),
    output: keyStatusSchema,
  }),
} as const;

export const accountsEvents = {
  'accounts.changed': event({
    summary: 'An account was added or changed (status, health, credentials, settings).',
    payload: z.object({ accountId: z.string() }).strict(),
  }),
  'accounts.tokenExpiring': event({
    summary:
      'An access token expires soon and refreshing it keeps failing (sent 7, 3 and 1 days ahead): the desktop shows a notification.',
    payload: z
      .object({
        accountId: z.string(),
        username: z.string(),
        daysLeft: z.number().int(),
        message: z.string(),
      })
      .strict(),
  }),
} as const;
