/**
 * Connected Instagram business accounts (`instagram_business_accounts`).
 */
import { randomUUID } from 'node:crypto';
import type { Selectable, Updateable } from 'kysely';
import { z } from 'zod';
import type { AccountsTable } from '../schema';
import { asciiId, instant, longText, parseInput, toJsonText, varchar } from '../validation';
import { inTransaction, notFound } from './context';
import type { RepositoryContext } from './context';
import { preparedQuery } from './prepared-query';

/** How the account was connected: Instagram Login or Facebook Login (a Page). */
export const LOGIN_TYPES = ['instagram', 'facebook'] as const;
/** Account lifecycle. */
export const ACCOUNT_STATUSES = ['active', 'inactive', 'suspended', 'archived'] as const;
/** Health as shown in the sidebar. */
export const HEALTH_STATUSES = ['unknown', 'ok', 'warning', 'error'] as const;

/** One account's automation and business settings. */
export interface AccountSettings {
  /** IANA time zone for business hours, e.g. `Europe/Berlin`. */
  timezone: string;
  /** Opening hours per weekday (0 = Sunday); empty means always open. */
  businessHours: { day: number; start: string; end: string }[];
  automationEnabled: boolean;
  /** Maximum automatic sends per hour for this account. */
  hourlySendBudget: number;
  /** Whether replies may use the HUMAN_AGENT tag (7-day window). */
  humanAgentAllowed: boolean;
}

const settingsSchema = z
  .object({
    timezone: varchar(64).min(1),
    businessHours: z
      .array(
        z.object({
          day: z.number().int().min(0).max(6),
          start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM' }),
          end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, { message: 'must be HH:MM' }),
        }),
      )
      .max(50),
    automationEnabled: z.boolean(),
    hourlySendBudget: z.number().int().min(0).max(100_000),
    humanAgentAllowed: z.boolean(),
  })
  .strict();

/** Settings a new account starts with. */
export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  timezone: 'UTC',
  businessHours: [],
  automationEnabled: false,
  hourlySendBudget: 200,
  humanAgentAllowed: false,
};

/** The stored settings text as settings, defaults filling what an older row does not have. */
export function accountSettingsOf(text: string): AccountSettings {
  return { ...DEFAULT_ACCOUNT_SETTINGS, ...(JSON.parse(text) as Partial<AccountSettings>) };
}

/** An account as the app sees it. Secrets stay encrypted; decryption happens elsewhere. */
export interface Account {
  id: string;
  instagramAccountId: string;
  username: string;
  displayName: string | null;
  clientName: string | null;
  brandColor: string | null;
  loginType: (typeof LOGIN_TYPES)[number];
  accessTokenEncrypted: string | null;
  appSecretEncrypted: string | null;
  /** The Instagram app secret (Instagram Login apps), also accepted for webhook signatures. */
  instagramAppSecretEncrypted: string | null;
  webhookVerifyToken: string | null;
  status: (typeof ACCOUNT_STATUSES)[number];
  settings: AccountSettings;
  tokenExpiresAt: Date | null;
  tokenRefreshedAt: Date | null;
  healthStatus: (typeof HEALTH_STATUSES)[number];
  healthMessage: string | null;
  healthCheckedAt: Date | null;
  lastWebhookAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const editableFields = {
  username: varchar(255).min(1),
  displayName: varchar(255).nullable().optional(),
  clientName: varchar(255).nullable().optional(),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour like #1A2B3C' })
    .nullable()
    .optional(),
  loginType: z.enum(LOGIN_TYPES).optional(),
  accessTokenEncrypted: longText().nullable().optional(),
  appSecretEncrypted: longText().nullable().optional(),
  instagramAppSecretEncrypted: longText().nullable().optional(),
  webhookVerifyToken: varchar(255).nullable().optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  settings: settingsSchema.optional(),
  tokenExpiresAt: instant.nullable().optional(),
  tokenRefreshedAt: instant.nullable().optional(),
};

const newAccountSchema = z
  .object({ id: asciiId(64).optional(), instagramAccountId: asciiId(64), ...editableFields })
  .strict();
const accountPatchSchema = z
  .object({ ...editableFields, username: editableFields.username.optional() })
  .strict();
const healthSchema = z
  .object({
    status: z.enum(HEALTH_STATUSES),
    message: varchar(1000).nullable().optional(),
    checkedAt: instant.optional(),
  })
  .strict();

/** Input for `create` and `upsertByInstagramId`. */
export type NewAccount = z.input<typeof newAccountSchema>;
/** Input for `update`: only the fields to change. */
export type AccountPatch = z.input<typeof accountPatchSchema>;

const columnOf = {
  username: 'username',
  displayName: 'display_name',
  clientName: 'client_name',
  brandColor: 'brand_color',
  loginType: 'login_type',
  accessTokenEncrypted: 'access_token_encrypted',
  appSecretEncrypted: 'app_secret_encrypted',
  instagramAppSecretEncrypted: 'instagram_app_secret_encrypted',
  webhookVerifyToken: 'webhook_verify_token',
  status: 'status',
  settings: 'settings',
  tokenExpiresAt: 'token_expires_at',
  tokenRefreshedAt: 'token_refreshed_at',
} as const;

// Read on every webhook delivery (routing) and rule evaluation.
const accountById = preparedQuery((db, id: string) =>
  db.selectFrom('instagram_business_accounts').selectAll().where('id', '=', id),
);
const accountByInstagramId = preparedQuery((db, instagramAccountId: string) =>
  db
    .selectFrom('instagram_business_accounts')
    .selectAll()
    .where('instagram_account_id', '=', instagramAccountId),
);

/** Reads and writes accounts. */
export class AccountsRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** Adds an account; `DB_CONFLICT` if its Instagram id is already connected. */
  async create(input: NewAccount): Promise<Account> {
    const parsed = parseInput(newAccountSchema, input, 'account');
    const row = this.toRow(parsed, parsed.id ?? randomUUID());
    await this.context.db.insertInto('instagram_business_accounts').values(row).execute();
    return this.require(row.id);
  }

  /**
   * Adds the account, or — when its Instagram id is already connected — refreshes the given
   * fields (reconnecting an account keeps its id, conversations and rules).
   */
  async upsertByInstagramId(input: NewAccount): Promise<Account> {
    const parsed = parseInput(newAccountSchema, input, 'account');
    const row = this.toRow(parsed, parsed.id ?? randomUUID());
    const update = [
      ...Object.entries(columnOf)
        .filter(([field]) => (parsed as Record<string, unknown>)[field] !== undefined)
        .map(([, column]) => column),
      'updated_at',
    ];
    const { specifics } = this.context;
    return inTransaction(this.context, async (context) => {
      await specifics
        .upsert(
          context.db.insertInto('instagram_business_accounts').values(row),
          ['instagram_account_id'],
          update,
        )
        .execute();
      const account = await new AccountsRepository(context).getByInstagramId(parsed.instagramAccountId);
      if (!account) throw notFound('account', parsed.instagramAccountId);
      return account;
    });
  }

  /** The account, or null. */
  async get(id: string): Promise<Account | null> {
    const row = await accountById.first(this.context, id);
    return row ? this.fromRow(row) : null;
  }

  /** The account whose professional-account id (webhook `entry.id`) is `instagramAccountId`, or null. */
  async getByInstagramId(instagramAccountId: string): Promise<Account | null> {
    const row = await accountByInstagramId.first(this.context, instagramAccountId);
    return row ? this.fromRow(row) : null;
  }

  /** All accounts by username; archived ones only when asked. */
  async list(options: { includeArchived?: boolean } = {}): Promise<Account[]> {
    let query = this.context.db
      .selectFrom('instagram_business_accounts')
      .selectAll()
      .orderBy('username')
      .orderBy('id');
    if (!options.includeArchived) query = query.where('status', '!=', 'archived');
    return (await query.execute()).map((row) => this.fromRow(row));
  }

  /** Changes the given fields; `DB_NOT_FOUND` if the account is gone. */
  async update(id: string, patch: AccountPatch): Promise<Account> {
    const parsed = parseInput(accountPatchSchema, patch, 'account');
    const values = this.patchRow(parsed);
    const result = await this.context.db
      .updateTable('instagram_business_accounts')
      .set(values)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('account', id);
    return this.require(id);
  }

  /** Records the outcome of a health check. */
  async setHealth(
    id: string,
    health: { status: Account['healthStatus']; message?: string | null; checkedAt?: Date },
  ): Promise<void> {
    const parsed = parseInput(healthSchema, health, 'account health');
    const { specifics } = this.context;
    const result = await this.context.db
      .updateTable('instagram_business_accounts')
      .set({
        health_status: parsed.status,
        health_message: parsed.message ?? null,
        health_checked_at: specifics.time(parsed.checkedAt ?? this.context.now()),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('account', id);
  }

  /** Notes that a webhook arrived for the account (shown as "last heard from Instagram"). */
  async touchLastWebhook(id: string, at: Date): Promise<void> {
    await this.context.db
      .updateTable('instagram_business_accounts')
      .set({ last_webhook_at: this.context.specifics.time(parseInput(instant, at, 'webhook time')) })
      .where('id', '=', id)
      .execute();
  }

  /** Removes the account and, by cascade, its conversations, messages, rules and outbox. */
  async delete(id: string): Promise<void> {
    const result = await this.context.db
      .deleteFrom('instagram_business_accounts')
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('account', id);
  }

  private async require(id: string): Promise<Account> {
    const account = await this.get(id);
    if (!account) throw notFound('account', id);
    return account;
  }

  private toRow(parsed: z.output<typeof newAccountSchema>, id: string) {
    const { specifics } = this.context;
    const now = specifics.time(this.context.now());
    return {
      id,
      instagram_account_id: parsed.instagramAccountId,
      username: parsed.username,
      display_name: parsed.displayName ?? null,
      client_name: parsed.clientName ?? null,
      brand_color: parsed.brandColor ?? null,
      login_type: parsed.loginType ?? 'instagram',
      access_token_encrypted: parsed.accessTokenEncrypted ?? null,
      app_secret_encrypted: parsed.appSecretEncrypted ?? null,
      instagram_app_secret_encrypted: parsed.instagramAppSecretEncrypted ?? null,
      webhook_verify_token: parsed.webhookVerifyToken ?? null,
      status: parsed.status ?? 'active',
      settings: toJsonText(parsed.settings ?? DEFAULT_ACCOUNT_SETTINGS, 'settings'),
      token_expires_at: specifics.timeOrNull(parsed.tokenExpiresAt),
      token_refreshed_at: specifics.timeOrNull(parsed.tokenRefreshedAt),
      health_status: 'unknown',
      created_at: now,
      updated_at: now,
    };
  }

  private patchRow(parsed: z.output<typeof accountPatchSchema>) {
    const { specifics } = this.context;
    const values: Updateable<AccountsTable> = {
      updated_at: specifics.time(this.context.now()),
    };
    if (parsed.username !== undefined) values.username = parsed.username;
    if (parsed.displayName !== undefined) values.display_name = parsed.displayName;
    if (parsed.clientName !== undefined) values.client_name = parsed.clientName;
    if (parsed.brandColor !== undefined) values.brand_color = parsed.brandColor;
    if (parsed.loginType !== undefined) values.login_type = parsed.loginType;
    if (parsed.accessTokenEncrypted !== undefined)
      values.access_token_encrypted = parsed.accessTokenEncrypted;
    if (parsed.appSecretEncrypted !== undefined) values.app_secret_encrypted = parsed.appSecretEncrypted;
    if (parsed.instagramAppSecretEncrypted !== undefined)
      values.instagram_app_secret_encrypted = parsed.instagramAppSecretEncrypted;
    if (parsed.webhookVerifyToken !== undefined) values.webhook_verify_token = parsed.webhookVerifyToken;
    if (parsed.status !== undefined) values.status = parsed.status;
    if (parsed.settings !== undefined) values.settings = toJsonText(parsed.settings, 'settings');
    if (parsed.tokenExpiresAt !== undefined)
      values.token_expires_at = specifics.timeOrNull(parsed.tokenExpiresAt);
    if (parsed.tokenRefreshedAt !== undefined)
      values.token_refreshed_at = specifics.timeOrNull(parsed.tokenRefreshedAt);
    return values;
  }

  private fromRow(row: Selectable<AccountsTable>): Account {
    const { specifics } = this.context;
    return {
      id: row.id,
      instagramAccountId: row.instagram_account_id,
      username: row.username,
      displayName: row.display_name,
      clientName: row.client_name,
      brandColor: row.brand_color,
      loginType: row.login_type as Account['loginType'],
      accessTokenEncrypted: row.access_token_encrypted,
      appSecretEncrypted: row.app_secret_encrypted,
      instagramAppSecretEncrypted: row.instagram_app_secret_encrypted,
      webhookVerifyToken: row.webhook_verify_token,
      status: row.status as Account['status'],
      settings: accountSettingsOf(row.settings),
      tokenExpiresAt: specifics.readTimeOrNull(row.token_expires_at),
      tokenRefreshedAt: specifics.readTimeOrNull(row.token_refreshed_at),
      healthStatus: row.health_status as Account['healthStatus'],
      healthMessage: row.health_message,
      healthCheckedAt: specifics.readTimeOrNull(row.health_checked_at),
      lastWebhookAt: specifics.readTimeOrNull(row.last_webhook_at),
      createdAt: specifics.readTime(row.created_at),
      updatedAt: specifics.readTime(row.updated_at),
    };
  }
}
