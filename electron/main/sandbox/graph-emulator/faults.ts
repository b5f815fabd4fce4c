/**
 * Faults the admin API can inject into an account's Graph calls, so the
 * sender's retry and failure paths can be exercised.
 */
export type FaultSpec =
  /** Answer normally, but only after `ms`. */
  | { kind: 'latency'; ms: number }
  /** Answer with an HTTP 5xx and Meta's transient service error. */
  | { kind: 'status'; status: number }
  /** Never answer (until the client gives up or the server closes). */
  | { kind: 'hang' }
  /** Handle the call (a send is delivered and echoed), then never answer: the answer is lost on the way back. */
  | { kind: 'lost_answer' }
  /** Close the connection without an answer. */
  | { kind: 'drop' }
  /** Answer with a given Graph error. */
  | { kind: 'error'; code: number; subcode?: number; message?: string; status?: number; type?: string };

/** A fault with how many more calls it applies to (`null` = until cleared). */
export interface ActiveFault {
  spec: FaultSpec;
  remaining: number | null;
}

/** Per-account queue of faults; the oldest applicable fault fires first. */
export class FaultBook {
  private readonly faults = new Map<string, ActiveFault[]>();

  add(accountId: string, spec: FaultSpec, count: number | null): void {
    const list = this.faults.get(accountId) ?? [];
    list.push({ spec, remaining: count });
    this.faults.set(accountId, list);
  }

  clear(accountId: string): void {
    this.faults.delete(accountId);
  }

  list(accountId: string): ActiveFault[] {
    return [...(this.faults.get(accountId) ?? [])];
  }

  /** Take the fault for the next call, consuming one use of it. */
  take(accountId: string): FaultSpec | undefined {
    const list = this.faults.get(accountId);
    const first = list?.[0];
    if (!list || !first) return undefined;
    if (first.remaining !== null) {
      first.remaining--;
      if (first.remaining <= 0) list.shift();
    }
    if (list.length === 0) this.faults.delete(accountId);
    return first.spec;
  }
}
