/**
 * Words and tones for receiving health (is Meta still sending an account's webhooks?), shared by the
 * diagnostics screen, the account detail and the status bar.
 */
import type { ReceivingHealth } from '../../../shared/contract';
import type { Tone } from './accounts';

type SubscriptionState = ReceivingHealth['subscription']['state'];

export const subscriptionTone: Record<SubscriptionState, Tone> = {
  unchecked: 'idle',
  ok: 'ok',
  resubscribed: 'warn',
  missing: 'error',
  error: 'error',
};

export const subscriptionLabel: Record<SubscriptionState, string> = {
  unchecked: 'Not checked yet',
  ok: 'Subscribed',
  resubscribed: 'Re-subscribed',
  missing: 'Not subscribed',
  error: 'Check failed',
};

/**
 * Meta does not send this account's webhooks (its subscription is missing) or the last check could not
 * tell (the check failed): messages may not be arriving.
 */
export function isNotReceiving(row: ReceivingHealth): boolean {
  return row.subscription.state === 'missing' || row.subscription.state === 'error';
}
