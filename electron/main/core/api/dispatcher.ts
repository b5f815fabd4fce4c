import type { z } from 'zod';
import {
  fail,
  isMethodName,
  methods,
  ok,
  type ContractError,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../../../shared/contract';
import type { Logger } from '../lib/logger';
import { DatabaseError } from '../db/errors';
import { ApiError } from './api-error';
import { contractCodeForDatabaseError } from './database-error-codes';

/** Who is calling, for audit and logs. Transports fill it in. */
export interface CallContext {
  transport: 'ipc' | 'http' | 'in-process';
}

type Handler<M extends MethodName> = (
  input: z.output<(typeof methods)[M]['input']>,
  context: CallContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** The implementation of every contract method; the compiler insists that none is missing. */
export type Handlers = { [M in MethodName]: Handler<M> };

export type Dispatch = (method: string, input: unknown, context: CallContext) => Promise<Result<unknown>>;

export function issuesOf(error: z.ZodError): NonNullable<ContractError['issues']> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

function describeIssues(issues: NonNullable<ContractError['issues']>): string {
  const [first] = issues;
  if (!first) return 'The input is not valid.';
  const where = first.path === '(input)' ? '' : ` at "${first.path}"`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `Invalid input${where}: ${first.message}${more}.`;
}

/**
 * The one dispatcher behind every transport: validate input, call the handler, validate output, map errors.
 *
 * It never throws. A handler's ApiError keeps its code and message; anything else is logged with its stack
 * and returned as INTERNAL without details, so no stack or secret leaks to a client.
 */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatch {
  return async (name, rawInput, context) => {
    if (!isMethodName(name)) {
      return fail('UNKNOWN_METHOD', `There is no method named "${name}".`);
    }
    const spec = methods[name];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      return fail('INVALID_INPUT', describeIssues(issues), issues);
    }
    let value: unknown;
    try {
      const handler = handlers[name] as (input: unknown, context: CallContext) => unknown;
      value = await handler(parsed.data, context);
    } catch (error) {
      if (error instanceof ApiError) return fail(error.code, error.message, error.issues);
      if (error instanceof DatabaseError) {
        const code = contractCodeForDatabaseError[error.code];
        if (code !== 'INTERNAL') {
          logger.warn({ code: error.code, method: name, detail: error.detail }, error.message);
          return fail(code, `${error.message} ${code === 'UNAVAILABLE' ? error.hint : ''}`.trim());
        }
      }
      logger.error({ err: error, method: name, transport: context.transport }, 'handler failed');
      return fail('INTERNAL', 'Something went wrong inside Switchboard. The details are in the log file.');
    }
    const output = spec.output.safeParse(value);
    if (!output.success) {
      logger.error(
        { method: name, issues: issuesOf(output.error) },
        'handler returned output that breaks the contract',
      );
      return fail('INTERNAL', 'Something went wrong inside Switchboard. The details are in the log file.');
    }
    return ok(output.data);
  };
}

/** Typed in-process call, for the core's own callers and tests. */
export async function call<M extends MethodName>(
  dispatch: Dispatch,
  name: M,
  input: MethodInput<M>,
): Promise<Result<MethodOutput<M>>> {
  return (await dispatch(name, input, { transport: 'in-process' })) as Result<MethodOutput<M>>;
}
