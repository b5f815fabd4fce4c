import { z } from 'zod';
import { keyStatusSchema } from './accounts';
import { event, method } from './define';

export const appInfoSchema = z
  .object({
    name: z.literal('Switchboard'),
    version: z.string(),
    /** Which shell runs the core: the desktop app or the headless server. */
    shell: z.enum(['electron', 'headless']),
    demo: z.boolean(),
    dataDir: z.string(),
    platform: z.string(),
  })
  .strict();
export type AppInfo = z.infer<typeof appInfoSchema>;

export const databaseStatusSchema = z
  .object({
    state: z.enum(['starting', 'ok', 'needs_attention', 'unreachable']),
    dialect: z.enum(['sqlite', 'mysql']),
    /** Where the data lives, without credentials: a file path or host:port/database. */
    location: z.string(),
    /** Plain-words explanation when state is not ok. */
    message: z.string().optional(),
  })
  .strict();

export const tunnelStatusSchema = z
  .object({
    state: z.enum(['off', 'connecting', 'online', 'error']),
    url: z.string().optional(),
    message: z.string().optional(),
  })
  .strict();

export const syncStatusSchema = z
  .object({
    state: z.enum(['idle', 'receiving', 'sending', 'offline']),
    message: z.string().optional(),
  })
  .strict();

export const appStatusSchema = z
  .object({
    database: databaseStatusSchema,
    tunnel: tunnelStatusSchema,
    sync: syncStatusSchema,
    /** The master key that protects client credentials. */
    encryption: keyStatusSchema,
    /** Where Meta must send webhooks for this workstation (local port; the tunnel URL when online). */
    webhookBaseUrl: z.string().optional(),
  })
  .strict();
export type AppStatus = z.infer<typeof appStatusSchema>;

const noInput = z.object({}).strict();

export const appMethods = {
  'app.getInfo': method({
    summary: 'What is running: version, shell (electron or headless), demo mode, data folder.',
    input: noInput,
    output: appInfoSchema,
  }),
  'app.getStatus': method({
    summary: 'Health of the database, the tunnel and synchronisation, for the status bar.',
    input: noInput,
    output: appStatusSchema,
  }),
} as const;

export const appEvents = {
  'app.statusChanged': event({
    summary: 'The database, tunnel or sync state changed; carries the whole new status.',
    payload: appStatusSchema,
  }),
} as const;
