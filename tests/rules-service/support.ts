/**
 * A rules world over one test database: the rules service, the editor's tools, the evaluator, and an
 * ingest worker on the same event bus, so messages go the real way (delivery → ingest → event →
 * evaluation). Contract calls go through the real dispatcher, so input validation is the contract's.
 */
import { EventBus, type AnyEvent } from '../../electron/main/core/api/event-bus';
import { createDispatcher, type Handlers } from '../../electron/main/core/api/dispatcher';
import type { Database } from '../../electron/main/core/db/connection';
import { createRepositories, type Repositories } from '../../electron/main/core/db/repositories';
import type { Account } from '../../electron/main/core/db/repositories/accounts-repository';
import { DEFAULT_ACCOUNT_SETTINGS } from '../../electron/main/core/db/repositories/accounts-repository';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { IngestWorker } from '../../electron/main/core/receiving/ingest-worker';
import {
  CompiledRulesCache,
  RuleEvaluator,
  RuleLab,
  RulesService,
  RuleTransfer,
  rulesHandlers,
} from '../../electron/main/core/rules';
import type { Result, RuleView } from '../../shared/contract';
import type { CustomerEvent } from '../../electron/main/sandbox';
import { body, createAccount, customerItem, echoItem, mid, store } from '../receiving/support';

/** The clock every part of the world reads; tests move it. */
export interface TestClock {
  now: Date;
}

export interface RulesWorld {
  repos: Repositories;
  clock: TestClock;
  service: RulesService;
  lab: RuleLab;
  evaluator: RuleEvaluator;
  cache: CompiledRulesCache;
  events: AnyEvent[];
  /** Calls a contract method and returns the raw result. */
  raw(method: string, input: unknown): Promise<Result<unknown>>;
  /** Calls a contract method, failing the test on an error result. */
  call<T>(method: string, input: unknown): Promise<T>;
  /**
   * A new account with automation on (unless told), in Europe/Paris, open Mon–Fri 09:00–18:00; with
   * `humanPauseMinutes`, automation pauses that long after a person answers.
   */
  account(options?: { automationEnabled?: boolean; humanPauseMinutes?: number }): Promise<Account>;
  /** Creates and publishes a keyword rule. */
  publishedRule(accountId: string, rule: Record<string, unknown>): Promise<RuleView>;
  /** Stores a customer event as a webhook delivery and runs ingest and evaluation to the end. */
  receive(account: Account, customerId: string, event: CustomerEvent, at?: number): Promise<string>;
  /** Stores the echo of a message the account sent (from the phone, as ingest marks it). */
  echo(account: Account, customerId: string, text: string, at?: number): Promise<string>;
  /** Waits until ingest (which evaluates the rules in its transaction) is idle. */
  settle(): Promise<void>;
  dispose(): Promise<void>;
}

let customerCounter = 0;
/** A fresh IGSID per call: every person, and so every test, has their own conversation. */
export function customer(): string {
  customerCounter += 1;
  return `125447777${String(Date.now() % 1e5).padStart(5, '0')}${String(customerCounter).padStart(3, '0')}`;
}

/** Monday 6 January 2025, 10:00 in Paris. */
export const MONDAY_10_PARIS = Date.UTC(2025, 0, 6, 9, 0);

/** The world over `database`, with repositories that read the test clock too (outbox times, cooldowns). */
export function startRulesWorld(database: Pick<Database, 'kysely' | 'specifics'>): RulesWorld {
  const clock: TestClock = { now: new Date(MONDAY_10_PARIS) };
  const now = () => clock.now;
  const repos = createRepositories(database, { now });
  const bus = new EventBus();
  const events: AnyEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const cache = new CompiledRulesCache();
  const logger = silentLogger();
  const service = new RulesService({ repositories: () => repos, events: bus, cache });
  const lab = new RuleLab({ repositories: () => repos, cache, now });
  const evaluator = new RuleEvaluator({ repositories: () => repos, events: bus, cache, logger, now });
  const ingest = new IngestWorker({
    repositories: () => repos,
    events: bus,
    logger,
    onStoredMany: evaluator.onStoredMany,
  });
  ingest.start();
  const transfer = new RuleTransfer(service, () => repos, now);
  const dispatch = createDispatcher(
    rulesHandlers({ rules: service, lab, transfer }) as unknown as Handlers,
    logger,
  );
  const raw = (method: string, input: unknown) => dispatch(method, input, { transport: 'in-process' });
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await raw(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
  const settle = async () => {
    ingest.notify();
    await ingest.whenIdle();
  };
  return {
    repos,
    clock,
    service,
    lab,
    evaluator,
    cache,
    events,
    raw,
    call,
    async account(options = {}) {
      const created = await createAccount(repos);
      const account = await repos.accounts.update(created.id, {
        settings: {
          ...DEFAULT_ACCOUNT_SETTINGS,
          timezone: 'Europe/Paris',
          businessHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
          automationEnabled: options.automationEnabled ?? true,
        },
      });
      if (options.humanPauseMinutes !== undefined)
        await call('rules.setVariables', {
          accountId: account.id,
          expectedVersion: 0,
          humanPauseMinutes: options.humanPauseMinutes,
        });
      return account;
    },
    async publishedRule(accountId, rule) {
      const created = await call<RuleView>('rules.create', { accountId, rule });
      await call('rules.publish', {
        accountId,
        rules: [{ id: created.id, expectedVersion: created.version }],
      });
      return call<RuleView>('rules.get', { id: created.id });
    },
    async receive(account, customerId, event, at = clock.now.getTime()) {
      const messageMid = mid('in');
      await store(
        repos,
        body([customerItem(account.instagramAccountId, customerId, at, event, { mid: messageMid })]),
      );
      await settle();
      return messageMid;
    },
    async echo(account, customerId, text, at = clock.now.getTime()) {
      const echoMid = mid('echo');
      await store(repos, body([echoItem(account.instagramAccountId, customerId, at, echoMid, text)]));
      await settle();
      return echoMid;
    },
    settle,
    async dispose() {
      await ingest.dispose();
    },
  };
}

/** A valid keyword rule body. */
export function keywordRule(
  name: string,
  keywords: string[],
  reply: string,
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    priority: 10,
    trigger: { type: 'keyword', keywords },
    response: { kind: 'text', variants: [reply] },
    ...extra,
  };
}
