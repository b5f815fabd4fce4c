import { z } from 'zod';
import { DaySchema, OpeningHoursSchema } from '../rules/schema';
import { event, method } from './define';

/**
 * Desktop behaviour: how new messages are announced (OS notifications in the app, in-app toasts in a
 * browser), quiet hours per client and starting at login. Kept by the core, so every client edits them.
 */

const clientName = z
  .string()
  .trim()
  .min(1, 'Choose the client these quiet hours are for')
  .max(255, 'A client name has up to 255 characters');

/** Quiet hours for one client: no notification from its accounts `from`–`to` on `days`, local time. */
export const quietHoursSchema = OpeningHoursSchema.extend({
  clientName,
  days: z.array(DaySchema).min(1, 'Pick at least one day for the quiet hours'),
}).refine((hours) => hours.from !== hours.to || hours.from === '00:00', {
  message: 'Quiet hours start and end at the same time: pick an end time (or 00:00–00:00 for the whole day)',
  path: ['to'],
});
export type QuietHours = z.infer<typeof quietHoursSchema>;

const quietHoursListSchema = z
  .array(quietHoursSchema)
  .max(200, 'Up to 200 quiet-hours windows')
  .refine((list) => new Set(list.map((hours) => hours.clientName)).size === list.length, {
    message: 'Each client can have one quiet-hours window: remove the duplicate',
  });

export const desktopSettingsSchema = z
  .object({
    /** Announce new inbound messages (OS notification in the app, a toast in a browser). */
    notifications: z.boolean(),
    /** Show who wrote, never what: the message text stays out of notifications. */
    privateNotifications: z.boolean(),
    /** Start the desktop app when the user logs in (no effect in headless mode). */
    startAtLogin: z.boolean(),
    /** Per client, in each account's time zone. */
    quietHours: quietHoursListSchema,
  })
  .strict();
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;

export const defaultDesktopSettings: DesktopSettings = {
  notifications: true,
  privateNotifications: false,
  startAtLogin: false,
  quietHours: [],
};

export const desktopNotificationSchema = z
  .object({
    accountId: z.string(),
    conversationId: z.number().int(),
    title: z.string(),
    body: z.string(),
    /** Messages this notification stands for (a burst is grouped into one). */
    count: z.number().int().min(1),
    /** The body leaves the message text out (private notifications). */
    private: z.boolean(),
  })
  .strict();
export type DesktopNotification = z.infer<typeof desktopNotificationSchema>;

export const desktopMethods = {
  'desktop.getSettings': method({
    summary: 'Notification, quiet-hours and start-at-login preferences.',
    input: z.object({}).strict(),
    output: desktopSettingsSchema,
  }),
  'desktop.updateSettings': method({
    summary:
      'Changes some desktop preferences (the others stay); quiet hours replace the whole list when given.',
    input: desktopSettingsSchema.partial().strict(),
    output: desktopSettingsSchema,
  }),
} as const;

export const desktopEvents = {
  'desktop.settingsChanged': event({
    summary: 'Desktop preferences changed (the app applies start-at-login at once).',
    payload: desktopSettingsSchema,
  }),
  'desktop.notify': event({
    summary:
      'Announce a new inbound message: the app shows an OS notification, a browser an in-app toast; already filtered by the preferences.',
    payload: desktopNotificationSchema,
  }),
} as const;
