import type { AppStatus } from '../../../../shared/contract';
import type { EventBus } from '../api/event-bus';

/**
 * The current health of the database, tunnel and sync, as one value.
 *
 * Features report their part; every change is published as `app.statusChanged` with the whole status, so
 * a client that missed events catches up with the next one.
 */
export class StatusStore {
  private current: AppStatus;

  constructor(
    initial: AppStatus,
    private readonly events: EventBus,
  ) {
    this.current = initial;
  }

  get(): AppStatus {
    return this.current;
  }

  update<K extends keyof AppStatus>(part: K, value: AppStatus[K]): void {
    if (JSON.stringify(this.current[part]) === JSON.stringify(value)) return;
    this.current = { ...this.current, [part]: value };
    this.events.publish('app.statusChanged', this.current);
  }
}
