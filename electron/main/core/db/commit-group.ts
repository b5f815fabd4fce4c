/**
 * One commit for the small writes that arrive in the same turn of the event loop.
 *
 * On SQLite every commit is a write of the WAL and an fsync on the main thread, which blocks it (about half a
 * millisecond here). The delivery worker writes twice per message it sends (the claim before the Graph call, the
 * outcome after it), and with many sends in flight those writes arrive together: run them in one transaction and
 * they share one fsync. Each write keeps its own outcome: it runs behind a savepoint, so one that throws is undone
 * and rejected alone while the others commit. A write's promise resolves only after the commit, so a caller that
 * needs its write durable before acting (the claim before a send) still gets that.
 *
 * On MariaDB concurrent commits already share the log flush (InnoDB group commit), and a transaction here would
 * only hold a pooled connection longer: there `run` simply runs the work (see `enabled`).
 */
import type { Repositories } from './repositories';

interface Pending {
  work: (repos: Repositories) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class CommitGroup {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly options: {
      repositories: () => Repositories;
      /** Group at all (SQLite); off, each `run` is its own work as if called directly. */
      enabled: boolean;
    },
  ) {}

  /** Runs `work` in a transaction shared with the other writes of this turn; resolves once committed. */
  run<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    if (!this.options.enabled) return this.direct(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async direct<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return work(this.options.repositories());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 1) {
      const only = batch[0]!;
      await this.direct((repos) => repos.transaction(only.work)).then(only.resolve, only.reject);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.options.repositories().transaction(async (tx) => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: await tx.savepoint(item.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The transaction itself failed (the database went away, the commit failed): nothing was written.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
