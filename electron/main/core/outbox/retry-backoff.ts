/**
 * How long a message waits before its next attempt after a transient failure.
 *
 * The tunnel's `ExponentialBackoff` keeps its step in memory; a queued message's attempts live in
 * the database and survive restarts, so here the delay is a pure function of the attempt number.
 */

/** Delays for retries; every field is in ms. */
export interface RetryPolicy {
  /** Delay before the second attempt (before jitter). */
  initialMs: number;
  /** Largest delay (before jitter). */
  maxMs: number;
  /** Attempts in all, the first included; after the last one the message fails for good. */
  maxAttempts: number;
  /** Smallest delay after a rate-limit answer (Meta asks us to slow down, not to hammer). */
  rateLimitedMinMs: number;
}

/**
 * Defaults: 2 s, 4 s, 8 s … up to 5 min, eight attempts (about 10 minutes in all), at least 30 s after
 * a rate-limit answer. Long enough to ride out a Meta hiccup or a Wi-Fi drop, short enough that a
 * reply still arrives while the customer waits.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  initialMs: 2_000,
  maxMs: 5 * 60_000,
  maxAttempts: 8,
  rateLimitedMinMs: 30_000,
};

/**
 * The delay after failed attempt number `attempt` (1 = the first attempt failed): the step doubles
 * per attempt up to `maxMs`, with "equal jitter" (a random value between half and all of the step),
 * so many queued messages that failed together do not all come back in the same instant.
 *
 * @param random Source of randomness in [0, 1); injectable for tests.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  options: { rateLimited?: boolean; random?: () => number } = {},
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const step = Math.min(policy.initialMs * 2 ** exponent, policy.maxMs);
  const random = (options.random ?? Math.random)();
  const jittered = Math.round(step / 2 + (random * step) / 2);
  return options.rateLimited ? Math.max(jittered, policy.rateLimitedMinMs) : jittered;
}
