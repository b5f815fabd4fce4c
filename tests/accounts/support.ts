import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import type { AccountView, Result } from '../../shared/contract';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';
import type { CoreConfig } from '../../electron/main/core/config';
import type { Logger } from '../../electron/main/core/lib/logger';

export interface AccountsWorld {
  sandbox: Sandbox;
  harness: CoreUnderTest;
  /** Calls a contract method in-process and returns the value, failing the test on an error result. */
  call<T>(method: string, input: unknown): Promise<T>;
  /** Calls a contract method and returns the raw result (for expected errors). */
  raw(method: string, input: unknown): Promise<Result<unknown>>;
  /** A sandbox account and the same account added to the core. */
  addAccount(options?: { loginType?: 'instagram' | 'facebook'; tokenAgeSeconds?: number }): Promise<{
    view: AccountView;
    token: string;
    appSecret: string;
    instagramAccountId: string;
  }>;
  dispose(): Promise<void>;
}

export async function startAccountsWorld(
  options: { config?: Partial<CoreConfig>; logger?: Logger } = {},
): Promise<AccountsWorld> {
  const sandbox = await startSandbox({ port: 0, seed: 11 });
  const harness = await startCoreUnderTest({
    config: { graphUrl: sandbox.url, ...options.config },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const raw = (method: string, input: unknown) =>
    harness.core.dispatch(method, input, { transport: 'in-process' });
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await raw(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
  let count = 0;
  return {
    sandbox,
    harness,
    call,
    raw,
    async addAccount(accountOptions = {}) {
      const loginType = accountOptions.loginType ?? 'instagram';
      const created = sandbox.createAccount({ loginType });
      let token = created.token;
      if (accountOptions.tokenAgeSeconds !== undefined) {
        token = sandbox.issueToken(created.account.id, { ageSeconds: accountOptions.tokenAgeSeconds }).token;
      }
      count += 1;
      const view = await call<AccountView>('accounts.create', {
        instagramAccountId: created.account.id,
        username: created.account.username,
        clientName: `Client ${count}`,
        loginType,
        accessToken: token,
        appSecret: created.app.secret,
      });
      return { view, token, appSecret: created.app.secret, instagramAccountId: created.account.id };
    },
    async dispose() {
      await harness.dispose();
      await sandbox.dispose();
    },
  };
}
