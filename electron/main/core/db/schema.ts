/**
 * Table types: the one schema type every repository is typed from.
 *
 * These describe rows as the drivers return them on both dialects. Values whose storage differs
 * by dialect use the column helpers below and are converted in `dialect.ts`, so repositories
 * never see `number | string` timestamps or 0/1 booleans in their public API.
 */
import type { ColumnType, Generated } from 'kysely';

/** UTC instant with millisecond precision: epoch ms (INTEGER) on SQLite, `DATETIME(3)` on MariaDB. */
export type DbTime = ColumnType<number | string | Date, number | string, number | string>;
/** Nullable `DbTime`. */
export type DbTimeNull = ColumnType<
  number | string | Date | null,
  number | string | null,
  number | string | null
>;
/** Boolean stored as 0/1 (SQLite INTEGER, MariaDB TINYINT(1)). */
export type DbBool = ColumnType<number | boolean, number, number>;
/** JSON document stored as text (SQLite TEXT, MariaDB JSON = LONGTEXT with a validity check). */
export type DbJson = ColumnType<string, string, string>;
/** Nullable `DbJson`. */
export type DbJsonNull = ColumnType<string | null, string | null, string | null>;
/** Auto-increment integer key (BIGINT on MariaDB; mysql2 returns it as a number below 2^53). */
export type DbSerial = Generated<number>;

/** `instagram_business_accounts`: one connected client account. */
export interface AccountsTable {
  id: string;
  instagram_account_id: string;
  username: string;
  display_name: string | null;
  client_name: string | null;
  brand_color: string | null;
  login_type: string;
  access_token_encrypted: string | null;
  app_secret_encrypted: string | null;
  instagram_app_secret_encrypted: string | null;
  webhook_verify_token: string | null;
  status: string;
  settings: DbJson;
  token_expires_at: DbTimeNull;
  token_refreshed_at: DbTimeNull;
  health_status: string;
  health_message: string | null;
  health_checked_at: DbTimeNull;
  last_webhook_at: DbTimeNull;
  created_at: DbTime;
  updated_at: DbTime;
}

/** `conversations`: one thread between a business account and one person (IGSID). */
export interface ConversationsTable {
  id: DbSerial;
  account_id: string;
  participant_igsid: string;
  participant_username: string | null;
  participant_name: string | null;
  status: string;
  last_message_at: DbTimeNull;
  last_inbound_at: DbTimeNull;
  last_message_preview: string | null;
  message_count: ColumnType<number, number | undefined, number>;
  unread_count: ColumnType<number, number | undefined, number>;
  assigned_to: string | null;
  automation_paused_until: DbTimeNull;
  labels: DbJson;
  notes: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

/** `messages`: every message seen in a conversation, inbound or outbound (echoes included). */
export interface MessagesTable {
  id: DbSerial;
  account_id: string;
  conversation_id: number;
  mid: string;
  direction: string;
  kind: string;
  text: string | null;
  attachments: DbJsonNull;
  reply_to_mid: string | null;
  is_echo: DbBool;
  sent_by: string | null;
  is_deleted: DbBool;
  deleted_at: DbTimeNull;
  edit_history: DbJsonNull;
  reactions: DbJsonNull;
  raw_event: DbJsonNull;
  created_at: DbTime;
  received_at: DbTime;
}

/** `response_rules`: automatic replies, edited offline and merged on `version`. */
export interface ResponseRulesTable {
  id: string;
  account_id: string | null;
  name: string;
  trigger_type: string;
  priority: number;
  is_active: DbBool;
  conditions: DbJson;
  response_template: string;
  version: number;
  created_at: DbTime;
  updated_at: DbTime;
}

/**
 * `rule_evaluations`: per inbound message (or per comment, for comment-to-DM rules), which rule was
 * chosen (or why none) and the trace. Exactly one of `message_id` and `comment_id` is set.
 */
export interface RuleEvaluationsTable {
  id: DbSerial;
  account_id: string;
  message_id: number | null;
  comment_id: ColumnType<number | null, number | null | undefined, number | null>;
  rule_id: string | null;
  rule_version: number | null;
  outcome: string;
  trace: DbJson;
  evaluated_at: DbTime;
}

/** `instagram_comments`: comments on the account's posts, and the private reply queued for each. */
export interface InstagramCommentsTable {
  id: DbSerial;
  account_id: string;
  comment_id: string;
  media_id: string | null;
  media_product_type: string | null;
  parent_comment_id: string | null;
  from_id: string | null;
  from_username: string | null;
  text: string | null;
  field: string;
  is_own: DbBool;
  created_at: DbTime;
  received_at: DbTime;
  private_reply_outbox_id: number | null;
  private_reply_queued_at: DbTimeNull;
}

/** `webhook_events`: every delivery as received, stored before it is acknowledged. */
export interface WebhookEventsTable {
  id: DbSerial;
  account_id: string | null;
  raw_body: string;
  headers: DbJson;
  signature_valid: DbBool;
  received_at: DbTime;
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  processed_at: DbTimeNull;
  error: string | null;
}

/** `outbound_messages`: the outbox. */
export interface OutboundMessagesTable {
  id: DbSerial;
  account_id: string;
  conversation_id: number;
  idempotency_key: string;
  payload: DbJson;
  text: string | null;
  reply_to_mid: string | null;
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: DbTime;
  last_attempt_at: DbTimeNull;
  graph_message_id: string | null;
  error_code: string | null;
  error_text: string | null;
  created_by_kind: string;
  created_by_id: string | null;
  created_at: DbTime;
  updated_at: DbTime;
  sent_at: DbTimeNull;
  /** Why a pending message waits (`retry`, `paced`, `held`, `verify`); null when it is simply due. */
  wait_kind: ColumnType<string | null, string | null | undefined, string | null>;
  wait_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** `audit_log`: who did what to which entity, with secret-free before/after summaries. */
export interface AuditLogTable {
  id: DbSerial;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  account_id: string | null;
  before_summary: DbJsonNull;
  after_summary: DbJsonNull;
  at: DbTime;
}

/** `webhook_security_log`: refused webhook requests, coalesced per account, reason and second; never a body. */
export interface WebhookSecurityLogTable {
  id: DbSerial;
  account_id: string | null;
  instagram_account_id: string;
  reason: string;
  http_status: number;
  method: string;
  remote_address: string | null;
  user_agent: string | null;
  body_bytes: number | null;
  occurrences: ColumnType<number, number | undefined, number>;
  first_at: DbTime;
  last_at: DbTime;
}

/** `settings`: application-wide key/value settings (never secrets: those live in the keychain). */
export interface SettingsTable {
  key: string;
  value: DbJson;
  updated_at: DbTime;
}

/** The whole database, as Kysely sees it. */
export interface DatabaseSchema {
  instagram_business_accounts: AccountsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  response_rules: ResponseRulesTable;
  rule_evaluations: RuleEvaluationsTable;
  instagram_comments: InstagramCommentsTable;
  webhook_events: WebhookEventsTable;
  outbound_messages: OutboundMessagesTable;
  audit_log: AuditLogTable;
  webhook_security_log: WebhookSecurityLogTable;
  settings: SettingsTable;
}
