import { z } from 'zod';
import { method } from './define';

/**
 * Settings → Database: which database this workstation uses, where that choice came from, a
 * connection test, and saving a new choice (the password goes to the OS keychain, never to a file).
 * A saved choice takes effect at the next start; flags and environment variables win over it.
 */

const mysqlFields = {
  /** `mysql://user:password@host:3306/database`; the fields below are ignored when it is given. */
  url: z.string().max(2000, 'The URL can be at most 2000 characters').optional(),
  host: z.string().max(255, 'The host can be at most 255 characters').optional(),
  port: z
    .number()
    .int('The port is a whole number')
    .min(1, 'The port is between 1 and 65535')
    .max(65535, 'The port is between 1 and 65535')
    .optional(),
  database: z.string().max(64, 'MySQL database names have up to 64 characters').optional(),
  user: z.string().max(80, 'MySQL user names have up to 80 characters').optional(),
  /** Used for the test and, when saved, stored in the OS keychain; empty or absent keeps the stored one. */
  password: z.string().max(512, 'The password can be at most 512 characters').optional(),
};

export const databaseTargetSchema = z
  .discriminatedUnion('dialect', [
    z.object({ dialect: z.literal('sqlite') }).strict(),
    z.object({ dialect: z.literal('mysql'), ...mysqlFields }).strict(),
  ])
  .superRefine((target, context) => {
    if (target.dialect !== 'mysql' || target.url?.trim()) return;
    const missing: [keyof typeof mysqlFields, string][] = [
      ['host', 'Enter the server name or address'],
      ['database', 'Enter the database name'],
      ['user', 'Enter the MySQL user'],
    ];
    for (const [field, message] of missing)
      if (!target[field]?.toString().trim()) context.addIssue({ code: 'custom', path: [field], message });
  });
export type DatabaseTarget = z.input<typeof databaseTargetSchema>;

const savedChoiceSchema = z.discriminatedUnion('dialect', [
  z.object({ dialect: z.literal('sqlite') }).strict(),
  z
    .object({
      dialect: z.literal('mysql'),
      host: z.string(),
      port: z.number().int(),
      database: z.string(),
      user: z.string(),
    })
    .strict(),
]);

export const databaseSettingsSchema = z
  .object({
    /** The database in use now (never a password). */
    active: z
      .object({
        dialect: z.enum(['sqlite', 'mysql']),
        /** The SQLite file; null for MySQL. */
        file: z.string().nullable(),
        mysql: z
          .object({ host: z.string(), port: z.number().int(), database: z.string(), user: z.string() })
          .strict()
          .nullable(),
      })
      .strict()
      .nullable(),
    /** What chose it: a command-line flag, an environment variable, the choice saved here, or the default. */
    source: z
      .object({
        kind: z.enum(['flag', 'environment', 'saved', 'default']),
        /** `--database`, `MYSQL_HOST`, `DATABASE_URL`…; null for saved and default. */
        setting: z.string().nullable(),
        /** Plain words: "set by MYSQL_HOST in the environment". */
        explanation: z.string(),
      })
      .strict(),
    /** The choice saved in Settings (used at start unless a flag or variable decides), or null. */
    saved: savedChoiceSchema.nullable(),
    /** Why a saved file was ignored, in plain words; null when it was fine or absent. */
    savedProblem: z.string().nullable(),
    /** The saved choice differs from the database in use and takes effect when Switchboard starts again. */
    restartNeeded: z.boolean(),
    /** Whether the OS keychain holds a MySQL password (`unavailable`: the keychain could not be read). */
    mysqlPassword: z.enum(['set', 'missing', 'unavailable']),
    /** The embedded database file in the data folder. */
    defaultSqliteFile: z.string(),
  })
  .strict();
export type DatabaseSettings = z.infer<typeof databaseSettingsSchema>;

export const databaseTestSchema = z
  .object({
    ok: z.boolean(),
    /** `DB_UNREACHABLE`, `DB_AUTH`, `DB_MISSING`, `DB_PRIVILEGES`…; null when it worked. */
    code: z.string().nullable(),
    /** Plain words: what happened. */
    message: z.string(),
    /** What to change; null when it worked. */
    hint: z.string().nullable(),
  })
  .strict();
export type DatabaseTest = z.infer<typeof databaseTestSchema>;

export const databaseSettingsMethods = {
  'settings.getDatabase': method({
    summary:
      'The database in use (never its password), which setting chose it, and the choice saved in Settings.',
    input: z.object({}).strict(),
    output: databaseSettingsSchema,
  }),
  'settings.testDatabase': method({
    summary:
      'Connects to a database without switching to it and says in plain words whether it works (unreachable, wrong password, missing database, no privileges…).',
    input: z.object({ target: databaseTargetSchema }).strict(),
    output: databaseTestSchema,
  }),
  'settings.saveDatabase': method({
    summary:
      'Tests a database and, if it works, saves it as this workstation’s choice (password in the OS keychain); it is used from the next start.',
    input: z.object({ target: databaseTargetSchema }).strict(),
    output: z
      .object({ saved: z.boolean(), test: databaseTestSchema, settings: databaseSettingsSchema })
      .strict(),
  }),
} as const;
