import type { ContractError, ErrorCode } from '../../../../shared/contract';

/**
 * A failure a handler reports on purpose, with a code from the contract's closed set and a message in
 * plain words for the person using the app. Anything else a handler throws becomes INTERNAL.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: Exclude<ErrorCode, 'INTERNAL'>,
    message: string,
    readonly issues?: ContractError['issues'],
  ) {
    super(message);
  }
}
