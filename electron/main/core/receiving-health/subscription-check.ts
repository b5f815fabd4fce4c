/**
 * Subscription health: does Meta still send this account's webhooks?
 *
 * Meta unsubscribes an account after an hour of failed deliveries (instagram-api.md §3, §8) and says so
 * only in a developer alert, so the app asks `subscribed_apps` itself and subscribes again when the
 * messaging fields are gone.
 */
import { isGraphApiError, type InstagramClient, type WebhookField } from '../instagram';
import type { StoredHealth } from './health-store';

/** What Switchboard subscribes: every messaging field it ingests. */
export const WANTED_FIELDS: readonly WebhookField[] = [
  'messages',
  'messaging_postbacks',
  'messaging_seen',
  'message_reactions',
  'messaging_referral',
];
/** When the setup refuses the full list (a field not enabled for the app), the one that matters most. */
const FALLBACK_FIELDS: readonly WebhookField[] = ['messages'];

/** Checks and, when Meta dropped the subscription, re-subscribes. Never throws for a Graph error. */
export async function checkSubscription(
  client: InstagramClient,
  now: Date,
): Promise<StoredHealth['subscription']> {
  const checkedAt = now.toISOString();
  try {
    const fields = await subscribedFields(client);
    if (fields.includes('messages')) {
      const missing = WANTED_FIELDS.filter((field) => !fields.includes(field));
      return {
        state: 'ok',
        fields,
        checkedAt,
        message:
          missing.length === 0
            ? null
            : `Meta does not send ${missing.join(', ')} for this account (enable them in the app's webhook settings to receive them).`,
      };
    }
    // Dropped (or never done): subscribe again, with what was there plus what Switchboard needs.
    const wanted = [...new Set([...WANTED_FIELDS, ...fields])] as WebhookField[];
    try {
      await client.subscribeApp(wanted);
    } catch (error) {
      if (!isGraphApiError(error) || error.needsReconnect) throw error;
      await client.subscribeApp(FALLBACK_FIELDS);
    }
    const after = await subscribedFields(client);
    return after.includes('messages')
      ? {
          state: 'resubscribed',
          fields: after,
          checkedAt,
          message: `Meta had stopped sending this account's webhooks${fields.length ? ` (only ${fields.join(', ')} were left)` : ''}; Switchboard subscribed again. Messages sent meanwhile are fetched by gap recovery.`,
        }
      : {
          state: 'missing',
          fields: after,
          checkedAt,
          message:
            'Meta accepted the subscription but does not list the messages field. Check the app settings.',
        };
  } catch (error) {
    if (!isGraphApiError(error)) throw error;
    return {
      state: 'error',
      fields: [],
      checkedAt,
      message: `Checking the webhook subscription failed: ${error.explanation}`,
    };
  }
}

async function subscribedFields(client: InstagramClient): Promise<string[]> {
  const apps = await client.getSubscribedApps();
  return [...new Set(apps.flatMap((app) => app.subscribedFields))].sort();
}
