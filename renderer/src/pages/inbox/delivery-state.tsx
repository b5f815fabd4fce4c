import { Badge } from '../../components/badge';
import type { Tone } from '../../lib/accounts';

const labels: Record<string, { label: string; tone: Tone }> = {
  pending: { label: 'Queued', tone: 'idle' },
  sending: { label: 'Sending', tone: 'info' },
  sent: { label: 'Sent', tone: 'ok' },
  failed: { label: 'Failed', tone: 'error' },
  expired: { label: 'Expired', tone: 'warn' },
  unknown: { label: 'Not sure it was sent', tone: 'warn' },
  cancelled: { label: 'Cancelled', tone: 'idle' },
};

/** An outbound message's state in words, with the reason on hover and Retry where it helps. */
export function DeliveryState(props: {
  delivery: { outboxId: number; state: string; waitKind: string | null; reason: string | null };
  onRetry?: (outboxId: number) => void;
  onCancel?: (outboxId: number) => void;
}) {
  const { delivery } = props;
  const meta =
    delivery.state === 'pending' && delivery.waitKind === 'paced'
      ? { label: 'Paced', tone: 'info' as Tone }
      : (labels[delivery.state] ?? { label: delivery.state, tone: 'idle' as Tone });
  const retryable = ['failed', 'expired', 'unknown'].includes(delivery.state);
  const cancellable = ['pending', 'failed', 'unknown'].includes(delivery.state);
  return (
    <span className="delivery">
      <Badge tone={meta.tone} title={delivery.reason ?? undefined}>
        {meta.label}
      </Badge>
      {delivery.reason && delivery.state !== 'sent' && (
        <span className="delivery__reason">{delivery.reason}</span>
      )}
      {retryable && props.onRetry && (
        <button type="button" className="link-button" onClick={() => props.onRetry?.(delivery.outboxId)}>
          Retry
        </button>
      )}
      {cancellable && props.onCancel && (
        <button type="button" className="link-button" onClick={() => props.onCancel?.(delivery.outboxId)}>
          Cancel
        </button>
      )}
    </span>
  );
}
