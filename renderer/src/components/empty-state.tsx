import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

/** A calm explanation of what belongs here and the next step to get it. */
export function EmptyState(props: {
  icon: LucideIcon;
  title: string;
  children: ReactNode;
  steps?: readonly string[];
}) {
  const Icon = props.icon;
  return (
    <section className="empty-state" aria-label={props.title}>
      <div className="empty-state__icon" aria-hidden>
        <Icon size={26} strokeWidth={1.75} />
      </div>
      <h2 className="empty-state__title">{props.title}</h2>
      <div className="empty-state__body">{props.children}</div>
      {props.steps && (
        <ol className="empty-state__steps">
          {props.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
