/**
 * One SQLite write transaction at a time across threads, handed over at once.
 *
 * SQLite allows one writer; a connection that finds the lock taken sleeps and retries (1, 2, 5, 10 ms…),
 * so the receiver thread's acknowledgements waited up to tens of milliseconds behind the main thread's
 * ingest, most of it asleep after the lock was already free. The gate is a lock word in shared memory: a
 * waiter is woken the moment the holder releases, and a holder can see that someone is waiting (ingest
 * then commits early). SQLite's own locking still guarantees correctness; the gate only schedules, so a
 * waiter that gives up after `maxWaitMs` (a holder that died) simply proceeds to SQLite's lock.
 */

/** `Atomics.waitAsync` (Node 16+, V8); TypeScript types it only from lib ES2024, newer than this project's. */
const atomics = Atomics as unknown as {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeoutMs: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
};

const FREE = 0;
const HELD = 1;
/** Slots of the shared Int32Array: the lock word and the number of waiters. */
const LOCK = 0;
const WAITERS = 1;

export class WriteGate {
  private readonly state: Int32Array;

  /** Pass the `buffer` of the main thread's gate to share it with another thread. */
  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8),
    private readonly maxWaitMs = 5_000,
  ) {
    this.state = new Int32Array(buffer);
  }

  /**
   * Resolves true once this caller holds the gate (then call `release()`), or false after `maxWaitMs`
   * without it (see above).
   */
  async acquire(): Promise<boolean> {
    if (Atomics.compareExchange(this.state, LOCK, FREE, HELD) === FREE) return true;
    const deadline = Date.now() + this.maxWaitMs;
    Atomics.add(this.state, WAITERS, 1);
    try {
      while (Atomics.compareExchange(this.state, LOCK, FREE, HELD) !== FREE) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const wait = atomics.waitAsync(this.state, LOCK, HELD, left);
        if (wait.async) await wait.value;
      }
      return true;
    } finally {
      Atomics.sub(this.state, WAITERS, 1);
    }
  }

  release(): void {
    Atomics.store(this.state, LOCK, FREE);
    Atomics.notify(this.state, LOCK, 1);
  }

  /** True while another caller (usually the other thread) waits for the gate. */
  get contended(): boolean {
    return Atomics.load(this.state, WAITERS) > 0;
  }
}
