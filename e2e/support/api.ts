import {
  httpPaths,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../shared/contract';
import type { HeadlessApp } from './headless';

/** Calls a contract method on a headless app over HTTP, for test setup; throws when the call fails. */
export async function callApi<M extends MethodName>(
  app: HeadlessApp,
  name: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const response = await fetch(`${app.ready.api}${httpPaths.call(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app.ready.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as Result<MethodOutput<M>>;
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}
