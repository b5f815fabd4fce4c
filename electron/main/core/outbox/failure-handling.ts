/**
 * What a failed send attempt means for the message: the retry table (instagram-api.md §10).
 *
 * | Failure                                              | Action                                       |
 * | ---------------------------------------------------- | -------------------------------------------- |
 * | 190 (token unusable)                                 | hold the account's queue; resume on new token |
 * | timeout, connection cut (request may have arrived)   | check the thread first, then retry (backoff)  |
 * | 5xx / not-JSON answer, 1, 2, 1200, `is_transient`    | retry with backoff and jitter                 |
 * | 4, 17, 32, 613 (rate limits)                         | retry after ≥ rateLimitedMinMs, pause account |
 * | 10/2534022, 10/2018278 (outside the window)          | fail, Meta's code and plain words            |
 * | 551, 1545041, 2018108 (person unavailable)           | fail                                          |
 * | 10, 200–299 (permissions), 100 (invalid), others     | fail                                          |
 *
 * After `maxAttempts`, a retryable failure fails for good (an ambiguous one is checked in the thread
 * first, and becomes `unknown` when the thread cannot tell).
 */
import type { OutboundMessage } from '../db/repositories/outbox-repository';
import { isGraphApiError } from '../instagram';
import { needsReconnectPrefix } from '../accounts/account-view';
import { retryDelayMs, type RetryPolicy } from './retry-backoff';

/** What the worker does after an attempt: go on with the account's next message, or stop the account. */
export type AttemptOutcome = 'next' | 'stop';

/** The verdict on one failed attempt. */
export type FailureAction =
  | { action: 'hold'; code: string; text: string; healthMessage: string; waitReason: string }
  | {
      action: 'retry';
      code: string;
      text: string;
      retryAt: Date;
      /** The request may have reached Meta: look in the thread before sending again. */
      verifyFirst: boolean;
      /** A rate limit: leave the account alone until the retry time. */
      slowDown: boolean;
      waitReason: string;
    }
  | { action: 'give_up'; code: string; text: string; verifyFirst: boolean }
  | { action: 'fail'; code: string; text: string };

/** Classifies a failed attempt of `row` (already counted in `row.attempts`). */
export function describeFailure(
  error: unknown,
  row: Pick<OutboundMessage, 'attempts'>,
  options: { policy: RetryPolicy; now: Date; random?: () => number },
): FailureAction {
  if (!isGraphApiError(error)) {
    // Not the client's error: a bug or the runtime. The request may have gone; treat as a cut connection.
    return retryOrGiveUp(
      'INTERNAL',
      'Switchboard hit an unexpected problem while sending.',
      true,
      false,
      row,
      options,
    );
  }
  const code =
    error.code !== null
      ? `${error.code}${error.subcode !== null ? `/${error.subcode}` : ''}`
      : error.kind === 'http' && error.httpStatus !== null
        ? `HTTP_${error.httpStatus}`
        : error.kind.toUpperCase();
  if (error.needsReconnect)
    return {
      action: 'hold',
      code,
      text: error.explanation,
      healthMessage: `${needsReconnectPrefix} ${error.explanation}`.slice(0, 1000),
      waitReason: `Held until the account is reconnected: ${error.explanation}`,
    };
  if (!error.retryable) return { action: 'fail', code, text: error.explanation };
  const ambiguous = error.kind === 'timeout' || error.kind === 'network';
  return retryOrGiveUp(code, error.explanation, ambiguous, error.rateLimited, row, options);
}

function retryOrGiveUp(
  code: string,
  explanation: string,
  ambiguous: boolean,
  rateLimited: boolean,
  row: Pick<OutboundMessage, 'attempts'>,
  options: { policy: RetryPolicy; now: Date; random?: () => number },
): FailureAction {
  if (row.attempts >= options.policy.maxAttempts)
    return {
      action: 'give_up',
      code,
      text: `Not sent after ${row.attempts} attempts: ${explanation}`,
      verifyFirst: ambiguous,
    };
  const delay = retryDelayMs(row.attempts, options.policy, {
    rateLimited,
    ...(options.random ? { random: options.random } : {}),
  });
  const retryAt = new Date(options.now.getTime() + delay);
  return {
    action: 'retry',
    code,
    text: explanation,
    retryAt,
    verifyFirst: ambiguous,
    slowDown: rateLimited,
    waitReason: `Attempt ${row.attempts} failed; trying again at ${retryAt.toISOString()}. ${explanation}`,
  };
}
