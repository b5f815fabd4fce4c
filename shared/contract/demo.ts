import { z } from 'zod';
import { method } from './define';

/**
 * Demo mode (`--demo`): the app runs against the built-in Instagram sandbox, so staff and newcomers can
 * play the customer. Outside demo mode every method answers UNAVAILABLE: there is no sandbox to talk to.
 */

const isoInstant = z.string();

export const demoCustomerSchema = z
  .object({
    igsid: z.string(),
    username: z.string(),
    name: z.string().nullable(),
  })
  .strict();
export type DemoCustomer = z.infer<typeof demoCustomerSchema>;

export const demoAccountSchema = z
  .object({
    /** The app's account id (what `accounts.*` and `inbox.*` use). */
    accountId: z.string(),
    instagramAccountId: z.string(),
    username: z.string(),
    clientName: z.string().nullable(),
    brandColor: z.string().nullable(),
    /** Customers the sandbox knows for this account, newest first. */
    customers: z.array(demoCustomerSchema),
  })
  .strict();
export type DemoAccount = z.infer<typeof demoAccountSchema>;

export const demoEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('text'),
      text: z.string().trim().min(1, 'Type a message').max(1000, 'Instagram allows up to 1,000 characters'),
    })
    .strict(),
  z.object({ type: z.literal('image') }).strict(),
  z.object({ type: z.literal('story_mention') }).strict(),
  z.object({ type: z.literal('reaction'), emoji: z.string().min(1).max(16).optional() }).strict(),
]);
export type DemoEvent = z.infer<typeof demoEventSchema>;

export const demoReceivedSchema = z
  .object({
    at: isoInstant,
    /** message, reaction or sender_action, as the Send API call was. */
    kind: z.string(),
    text: z.string().nullable(),
    /** Attachment types (image, template…) of a message send. */
    attachments: z.array(z.string()),
  })
  .strict();
export type DemoReceived = z.infer<typeof demoReceivedSchema>;

export const demoMethods = {
  'demo.overview': method({
    summary: 'Demo mode only: the demo accounts with the sandbox customers each one has.',
    input: z.object({}).strict(),
    output: z.object({ accounts: z.array(demoAccountSchema) }).strict(),
  }),
  'demo.simulate': method({
    summary:
      'Demo mode only: a customer (existing, or new when no igsid is given) sends a text, image, story mention or reaction; it arrives through the webhook path.',
    input: z
      .object({
        accountId: z.string().min(1, 'Choose an account'),
        /** Omit for a new customer. */
        igsid: z.string().min(1).optional(),
        /** The new customer's username (ignored for an existing one). */
        username: z
          .string()
          .trim()
          .regex(
            /^[A-Za-z0-9._]{1,30}$/,
            'An Instagram username has up to 30 letters, digits, dots or underscores',
          )
          .optional(),
        event: demoEventSchema,
      })
      .strict(),
    output: z.object({ customer: demoCustomerSchema, mid: z.string().nullable() }).strict(),
  }),
  'demo.customerReceived': method({
    summary:
      'Demo mode only: what a customer received from the account (the sandbox’s Send API log since this start), oldest first.',
    input: z.object({ accountId: z.string().min(1), igsid: z.string().min(1) }).strict(),
    output: z.object({ messages: z.array(demoReceivedSchema) }).strict(),
  }),
} as const;
