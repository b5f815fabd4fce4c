/**
 * Sends whose outcome is unknown are never sent again blindly. A timeout or a cut connection, or a
 * crash that left a message `sending`, is resolved from the thread (`thread-check.ts`): sent if the
 * message is there, else `unknown` for staff to check (or, while attempts remain and Meta cannot be
 * asked, checked again later).
 */
import type { Account } from '../db/repositories/accounts-repository';
import type { OutboundMessage } from '../db/repositories/outbox-repository';
import type { InstagramClientFactory } from '../instagram';
import type { Logger } from '../lib/logger';
import { openGate, type AccountGate } from './account-gate';
import type { DeliveryRecorder } from './delivery-recorder';
import type { AttemptOutcome } from './failure-handling';
import { findInThread } from './thread-check';

export class SendVerifier {
  private recoveredAtStart = false;
  /** When abandoned sends were last looked for (`recoverAbandoned`). */
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly recorder: DeliveryRecorder,
    private readonly options: {
      logger: Logger;
      credentials: (account: Account) => { accessToken: string | null; appSecret: string | null };
      clientFactory: InstagramClientFactory;
      staleSendingMs?: number | undefined;
      exclusiveDatabase?: boolean | undefined;
    },
  ) {}

  /**
   * A claimed message whose earlier attempt may have gone: sent if the thread shows it; 'not_found'
   * to go on; otherwise unknown (never sent blindly a second time).
   */
  async verify(
    gate: AccountGate & { open: true },
    row: OutboundMessage,
    recipientId: string,
    attemptAt: Date,
    why = 'Instagram did not answer in time when it was sent',
    retryCheck = false,
  ): Promise<AttemptOutcome | 'not_found'> {
    const { recorder } = this;
    const repos = recorder.repos;
    if ((await recorder.recordEchoed(gate.account.id, row.id)) === 'sent') return 'next';
    try {
      const result = await findInThread(gate.client, {
        recipientId,
        text: row.text,
        attemptAt,
        isKnownMid: async (mid) => (await repos.outbox.getByGraphMessageId(gate.account.id, mid)) !== null,
      });
      if ('found' in result && result.found) {
        await recorder.recordSent(gate.account.id, row.id, result.mid);
        return 'next';
      }
      if ('found' in result) return 'not_found';
    } catch (error) {
      this.options.logger.warn({ err: error, outboxId: row.id }, 'could not read the thread to check a send');
      // Meta cannot be asked right now: ask again later, while attempts remain.
      const failure = recorder.describe(error, row);
      if (retryCheck && failure.action === 'retry') {
        await repos.outbox.markFailed(row.id, {
          code: failure.code,
          text: failure.text,
          retryAt: failure.retryAt,
          waitKind: 'verify',
          waitReason: `Checking whether an earlier attempt arrived before sending again. ${failure.waitReason}`,
        });
        await recorder.publishRow(row.id);
        return 'next';
      }
    }
    await repos.outbox.markUnknown(
      row.id,
      `Unknown — check the thread: ${why}, and Switchboard could not confirm whether it arrived. Retry it only if it is not in the thread.`,
    );
    await recorder.publishRow(row.id);
    return 'next';
  }

  /**
   * Messages left `sending` by a sender that stopped (a crash): resolved from the thread, else
   * `unknown`. Never sent again on their own. An echo webhook arriving later also resolves them.
   * Accounts for which `busy` is true are sending right now and are left alone.
   */
  async recoverAbandoned(busy: (accountId: string) => boolean): Promise<void> {
    const { recorder } = this;
    const repos = recorder.repos;
    const now = recorder.now();
    // A send is abandoned only after `staleSendingMs`: looking at every pass (one query per reply under
    // load) finds nothing new; a quarter of that time, at most 5 s (the worker's longest sleep), is enough.
    const staleMs = this.options.staleSendingMs ?? 60_000;
    if (this.recoveredAtStart && now.getTime() - this.lastSweep < Math.min(staleMs / 4, 5_000)) return;
    this.lastSweep = now.getTime();
    const everything = this.options.exclusiveDatabase === true && !this.recoveredAtStart;
    const cutoff = everything ? new Date(now.getTime() + 1) : new Date(now.getTime() - staleMs);
    const stale = (await repos.outbox.listStaleSending(cutoff)).filter((row) => !busy(row.accountId));
    this.recoveredAtStart = true;
    for (const row of stale) {
      const account = await repos.accounts.get(row.accountId);
      const conversation = await repos.conversations.getConversation(row.conversationId);
      const gate = account ? await openGate(repos, account, this.options) : undefined;
      const why = 'Switchboard stopped while sending this message';
      if (gate?.open && conversation) {
        const verdict = await this.verify(
          gate,
          row,
          conversation.participantIgsid,
          row.lastAttemptAt ?? now,
          why,
        );
        if (verdict !== 'not_found') continue;
      }
      await repos.outbox.markUnknown(
        row.id,
        `Unknown — check the thread: ${why}, and it is not in the thread (yet). Retry it only if it is not there.`,
      );
      await recorder.publishRow(row.id);
    }
  }
}
