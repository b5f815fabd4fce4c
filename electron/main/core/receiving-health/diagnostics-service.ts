/**
 * What the diagnostics screen reads: deliveries as stored (with replay), the ones not understood, and the
 * security log of refused requests.
 */
import { parseWebhookBody } from '../../../../shared/instagram';
import type { WebhookDeliveryView, SecurityEntryView } from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { Repositories } from '../db/repositories';
import type { WebhookEvent } from '../db/repositories/webhook-events-repository';
import type { WebhookSecurityEntry } from '../db/repositories/webhook-security-repository';

export class DiagnosticsService {
  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      /** Wakes ingest after a replay (it also finds the delivery on its own safety timer). */
      notifyIngest: () => void;
    },
  ) {}

  async listDeliveries(filter: { accountId?: string; limit?: number }): Promise<WebhookDeliveryView[]> {
    return (await this.deps.repositories().webhookEvents.listRecent(filter)).map(deliveryView);
  }

  /** Deliveries with something not understood (ignored) or that ingest could not finish (failed). */
  async listNotUnderstood(filter: { accountId?: string; limit?: number }): Promise<WebhookDeliveryView[]> {
    const deliveries = await this.deps
      .repositories()
      .webhookEvents.listRecent({ ...filter, states: ['ignored', 'failed'] });
    return deliveries.map(deliveryView);
  }

  /** Queues a stored delivery for ingest again; replaying is harmless (duplicates change nothing). */
  async replay(id: number): Promise<WebhookDeliveryView> {
    const repos = this.deps.repositories();
    if (!(await repos.webhookEvents.requeue(id)))
      throw new ApiError('NOT_FOUND', 'There is no stored delivery with this id.');
    this.deps.notifyIngest();
    return deliveryView((await repos.webhookEvents.get(id))!);
  }

  async listSecurityLog(filter: { accountId?: string; limit?: number }): Promise<SecurityEntryView[]> {
    return (await this.deps.repositories().webhookSecurity.list(filter)).map(securityView);
  }
}

function deliveryView(delivery: WebhookEvent): WebhookDeliveryView {
  const base64 = delivery.headers['x-switchboard-body-encoding'] === 'base64';
  return {
    id: delivery.id,
    accountId: delivery.accountId,
    receivedAt: delivery.receivedAt.toISOString(),
    bytes: base64
      ? Buffer.from(delivery.rawBody, 'base64').length
      : Buffer.byteLength(delivery.rawBody, 'utf8'),
    signatureValid: delivery.signatureValid,
    events: base64 ? null : eventCount(delivery.rawBody),
    state: delivery.state,
    attempts: delivery.attempts,
    processedAt: delivery.processedAt?.toISOString() ?? null,
    error: delivery.error,
  };
}

function eventCount(rawBody: string): number | null {
  const parsed = parseWebhookBody(rawBody);
  if (!parsed.ok) return null;
  return parsed.entries.reduce((sum, entry) => sum + entry.events.length, 0);
}

function securityView(entry: WebhookSecurityEntry): SecurityEntryView {
  return {
    ...entry,
    firstAt: entry.firstAt.toISOString(),
    lastAt: entry.lastAt.toISOString(),
  };
}
