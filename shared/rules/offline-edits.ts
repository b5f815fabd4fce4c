/**
 * Rule edits kept on this computer while the database cannot be reached, so none is lost.
 *
 * Each pending edit is stored under its own key (`switchboard.rules.pending.<account>.<rule>`) with the
 * version it was made against (`baseVersion`, 0 for a new rule). Saving the same rule again while it is
 * pending replaces the body but keeps the first base version: the edit still describes a change made
 * against what was last seen in the database. `flush` saves them with the version checked; a rule
 * changed elsewhere meanwhile comes back as a conflict for the editor's conflict dialog.
 */
import type { ContractError, Result, RuleBody, RuleView } from '../contract';
import { currentVersionOf } from '../contract/rules';

const PREFIX = 'switchboard.rules.pending.';
const FORMAT = 1;

/** The part of `Storage` used here (window.localStorage in the app). */
export interface EditStore {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The two contract calls that save a rule. */
export interface RuleSaver {
  create(accountId: string, rule: RuleBody): Promise<Result<RuleView>>;
  update(id: string, expectedVersion: number, rule: RuleBody): Promise<Result<RuleView>>;
}

/** An edit saved on this computer, waiting for the database. */
export interface PendingEdit {
  format: typeof FORMAT;
  accountId: string;
  ruleId: string;
  /** True for a rule created offline (its id was chosen here). */
  isNew: boolean;
  /** The version the edit was made against; 0 for a new rule. */
  baseVersion: number;
  rule: RuleBody;
  /** The rule's name, for the banner. */
  name: string;
  savedAt: string;
  /** Set when the database had another version: the current one, to resolve in the editor. */
  conflict: { currentVersion: number | null; message: string } | null;
}

/** What happened to one pending edit on a flush. */
export type FlushOutcome =
  | { kind: 'saved'; edit: PendingEdit; view: RuleView }
  | { kind: 'still_offline'; edit: PendingEdit }
  | { kind: 'conflict'; edit: PendingEdit }
  | { kind: 'refused'; edit: PendingEdit; error: ContractError };

/** Whether an error means "the database (or the app's core) cannot be reached now": keep the edit. */
export function isUnreachable(error: ContractError): boolean {
  return error.code === 'UNAVAILABLE';
}

export function pendingKey(accountId: string, ruleId: string): string {
  return `${PREFIX}${accountId}.${ruleId}`;
}

function parse(text: string | null): PendingEdit | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<PendingEdit> | null;
    if (
      !value ||
      value.format !== FORMAT ||
      typeof value.accountId !== 'string' ||
      typeof value.ruleId !== 'string' ||
      typeof value.baseVersion !== 'number' ||
      typeof value.rule !== 'object'
    )
      return null;
    return value as PendingEdit;
  } catch {
    return null;
  }
}

/**
 * The next pending edit for a rule: the new body over an existing pending one keeps the older base
 * version (and its new-rule flag); a fresh save clears an earlier conflict only if it was made against
 * the version the conflict named (the editor resolved it by choosing to overwrite).
 */
export function mergePending(
  existing: PendingEdit | null,
  next: Omit<PendingEdit, 'format' | 'conflict' | 'savedAt'>,
  savedAt: Date,
): PendingEdit {
  const resolved =
    existing?.conflict?.currentVersion !== undefined &&
    existing.conflict.currentVersion !== null &&
    next.baseVersion === existing.conflict.currentVersion;
  return {
    format: FORMAT,
    ...next,
    isNew: existing ? existing.isNew : next.isNew,
    baseVersion: existing && !resolved ? existing.baseVersion : next.baseVersion,
    savedAt: savedAt.toISOString(),
    conflict: resolved ? null : (existing?.conflict ?? null),
  };
}

/** The pending edits in a store, with the contract calls that save them. */
export class OfflineEdits {
  constructor(
    private readonly store: EditStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Pending edits (of one account, or all), oldest first. */
  list(accountId?: string): PendingEdit[] {
    const out: PendingEdit[] = [];
    for (let i = 0; i < this.store.length; i += 1) {
      const key = this.store.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const edit = parse(this.store.getItem(key));
      if (edit && (accountId === undefined || edit.accountId === accountId)) out.push(edit);
    }
    return out.sort((a, b) => (a.savedAt < b.savedAt ? -1 : a.savedAt > b.savedAt ? 1 : 0));
  }

  get(accountId: string, ruleId: string): PendingEdit | null {
    return parse(this.store.getItem(pendingKey(accountId, ruleId)));
  }

  /** Keeps an edit on this computer (merged with one already pending for the rule). */
  keep(edit: Omit<PendingEdit, 'format' | 'conflict' | 'savedAt'>): PendingEdit {
    const merged = mergePending(this.get(edit.accountId, edit.ruleId), edit, this.now());
    this.store.setItem(pendingKey(edit.accountId, edit.ruleId), JSON.stringify(merged));
    return merged;
  }

  /** Forgets an edit (saved, or discarded by staff). */
  discard(accountId: string, ruleId: string): void {
    this.store.removeItem(pendingKey(accountId, ruleId));
  }

  /**
   * Tries to save every pending edit of the account (oldest first), each against its base version.
   * Stops trying at the first "still unreachable" (the rest would fail the same way). Edits in conflict
   * are left for the editor and not retried.
   */
  async flush(accountId: string, saver: RuleSaver): Promise<FlushOutcome[]> {
    const outcomes: FlushOutcome[] = [];
    let offline = false;
    for (const edit of this.list(accountId)) {
      if (edit.conflict) {
        outcomes.push({ kind: 'conflict', edit });
        continue;
      }
      if (offline) {
        outcomes.push({ kind: 'still_offline', edit });
        continue;
      }
      const result = edit.isNew
        ? await saver.create(edit.accountId, { ...edit.rule, id: edit.ruleId })
        : await saver.update(edit.ruleId, edit.baseVersion, edit.rule);
      if (result.ok) {
        this.discard(edit.accountId, edit.ruleId);
        outcomes.push({ kind: 'saved', edit, view: result.value });
      } else if (isUnreachable(result.error)) {
        offline = true;
        outcomes.push({ kind: 'still_offline', edit });
      } else if (result.error.code === 'CONFLICT') {
        const conflicted: PendingEdit = {
          ...edit,
          conflict: { currentVersion: currentVersionOf(result.error), message: result.error.message },
        };
        this.store.setItem(pendingKey(edit.accountId, edit.ruleId), JSON.stringify(conflicted));
        outcomes.push({ kind: 'conflict', edit: conflicted });
      } else {
        // Refused for another reason (e.g. the rule was deleted meanwhile): kept, not retried, for staff
        // to open and resolve (or discard) in the editor.
        const refused: PendingEdit = {
          ...edit,
          conflict: { currentVersion: null, message: result.error.message },
        };
        this.store.setItem(pendingKey(edit.accountId, edit.ruleId), JSON.stringify(refused));
        outcomes.push({ kind: 'refused', edit: refused, error: result.error });
      }
    }
    return outcomes;
  }
}

/** Delays between automatic retries: 5 s, doubling, at most 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt), 300_000);
}
