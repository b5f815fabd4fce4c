/**
 * Small builders for db tests: unique ids and realistic values (long mids, emoji, ms timestamps).
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** A unique digit string like an Instagram professional-account id or IGSID. */
export function igId(): string {
  return `17841${BigInt(`0x${randomBytes(6).toString('hex')}`)
    .toString()
    .padStart(12, '0')}`;
}

/**
 * A message id shaped like Instagram's: base64url of a long internal id, about 150+ characters,
 * mixed case (case matters: two mids differing only in case are different messages).
 */
export function longMid(): string {
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(96).toString('base64url')}`;
}

/** A unique account input. */
export function newAccount(overrides: Record<string, unknown> = {}) {
  return { instagramAccountId: igId(), username: `client_${randomUUID().slice(0, 8)}`, ...overrides };
}
