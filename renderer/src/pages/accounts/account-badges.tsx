import type { AccountView } from '../../../../shared/contract';
import { Badge } from '../../components/badge';
import { accountHealth, statusMeta } from '../../lib/accounts';

export function StatusBadge(props: { status: AccountView['status'] }) {
  const meta = statusMeta[props.status];
  return (
    <Badge tone={meta.tone} title={meta.description}>
      {meta.label}
    </Badge>
  );
}

export function HealthBadge(props: { account: AccountView; now: number }) {
  const health = accountHealth(props.account, props.now);
  return (
    <Badge tone={health.tone} title={health.detail ?? undefined}>
      {health.label}
    </Badge>
  );
}

/** A client's colour as a dot; a neutral ring when the client has none. */
export function ColorDot(props: { color: string | null; size?: 'small' | 'large' }) {
  return (
    <span
      className={`color-dot${props.size === 'large' ? ' color-dot--large' : ''}${props.color ? '' : ' color-dot--none'}`}
      style={props.color ? { backgroundColor: props.color } : undefined}
      aria-hidden
    />
  );
}
