import type { ReactNode } from 'react';
import type { Tone } from '../lib/accounts';

/** A small rounded label with a coloured dot; `title` carries the full explanation on hover. */
export function Badge(props: { tone: Tone; children: ReactNode; title?: string | undefined; dot?: boolean }) {
  return (
    <span className={`pill pill--${props.tone}`} title={props.title}>
      {props.dot !== false && <span className={`status-dot status-dot--${props.tone}`} aria-hidden />}
      {props.children}
    </span>
  );
}
