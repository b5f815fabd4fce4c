import { z } from 'zod';
import { method } from './define';

/**
 * Settings: the connection secrets that are not per-account (the ngrok authtoken, the MySQL password).
 * They live in the OS keychain; the contract only ever says whether one is set, never its value.
 */

export const connectionSecretNameSchema = z.enum(['ngrok-authtoken', 'mysql-password'], {
  error: 'Choose the ngrok authtoken or the MySQL password',
});
export type ConnectionSecretName = z.infer<typeof connectionSecretNameSchema>;

const secretState = z.enum(['set', 'missing']);

export const secretsStatusSchema = z
  .object({
    /** Whether the OS keychain could be used; `message` says why not, in plain words. */
    keychain: z.enum(['available', 'unavailable']),
    message: z.string().nullable(),
    ngrokAuthtoken: secretState,
    mysqlPassword: secretState,
  })
  .strict();
export type SecretsStatus = z.infer<typeof secretsStatusSchema>;

export const secretValueSchema = z
  .string()
  .min(1, 'Enter a value')
  .max(512, 'The value can be at most 512 characters')
  .regex(/^\S+$/, 'The value cannot contain spaces or line breaks');

export const settingsMethods = {
  'settings.getSecrets': method({
    summary:
      'Whether the ngrok authtoken and the MySQL password are set in the OS keychain (never their values).',
    input: z.object({}).strict(),
    output: secretsStatusSchema,
  }),
  'settings.setSecret': method({
    summary:
      'Stores the ngrok authtoken or the MySQL password in the OS keychain; a new authtoken restarts the tunnel.',
    input: z.object({ name: connectionSecretNameSchema, value: secretValueSchema }).strict(),
    output: secretsStatusSchema,
  }),
  'settings.clearSecret': method({
    summary: 'Removes the ngrok authtoken or the MySQL password from the OS keychain.',
    input: z.object({ name: connectionSecretNameSchema }).strict(),
    output: secretsStatusSchema,
  }),
} as const;
