/**
 * What the rule engine knows about an account, built from the account's settings (time zone, opening
 * hours) and its rule settings (variables, human-takeover pause).
 */
import type { AccountContextInput, Day, OpeningHours } from '../../../../shared/rules/index';
import type { Account } from '../db/repositories/accounts-repository';
import type { AccountRuleSettings } from '../db/repositories/rule-editor-repository';

const DAY_NAMES: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Account opening hours (one range per weekday entry) as the engine's single weekly range.
 *
 * The engine reads one `from`–`to` for a set of days. When the account's days do not all share one
 * range, the range most days use is taken and a note says so, rather than guessing a merge.
 */
export function openingHoursOf(businessHours: Account['settings']['businessHours']): {
  hours: OpeningHours | null;
  notes: string[];
} {
  if (businessHours.length === 0) return { hours: null, notes: [] };
  const byRange = new Map<string, Set<Day>>();
  for (const entry of businessHours) {
    const key = `${entry.start}-${entry.end}`;
    const days = byRange.get(key) ?? new Set<Day>();
    const day = DAY_NAMES[entry.day];
    if (day) days.add(day);
    byRange.set(key, days);
  }
  const ranked = [...byRange.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
  const [key, days] = ranked[0] as [string, Set<Day>];
  const [from = '00:00', to = '24:00'] = key.split('-');
  const notes =
    ranked.length > 1
      ? [
          `Business hours differ between days; rules use ${from}–${to} on ${[...days].join(', ')}. Give a rule its own hours where that is wrong.`,
        ]
      : [];
  return { hours: { days: DAY_NAMES.filter((d) => days.has(d)), from, to }, notes };
}

/** The engine's account context, plus notes about settings it had to simplify. */
export function accountContextOf(
  account: Account,
  settings: AccountRuleSettings,
): { context: AccountContextInput; notes: string[] } {
  const { hours, notes } = openingHoursOf(account.settings.businessHours);
  return {
    context: {
      accountId: account.id,
      name: account.clientName ?? account.displayName ?? account.username,
      username: account.username,
      timezone: account.settings.timezone,
      openingHours: hours,
      ...(settings.humanPauseMinutes !== null ? { humanPauseMinutes: settings.humanPauseMinutes } : {}),
      variables: settings.variables,
    },
    notes,
  };
}
