/**
 * What the engine needs about an account, built from the account's settings (time zone, opening
 * hours, names) and its rule settings (variables, human-takeover pause). Pure and shared: main builds
 * it from stored rows, the editor from the views it already holds, so both run the same rule set.
 */
import type { AccountContextInput, Day, OpeningHours } from './schema';

const DAY_NAMES: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** An account as the engine reads it (a stored account or its contract view). */
export interface AccountLike {
  id: string;
  username: string;
  displayName: string | null;
  clientName: string | null;
  settings: {
    timezone: string;
    businessHours: ReadonlyArray<{ day: number; start: string; end: string }>;
  };
}

/** An account's rule settings as the engine reads them. */
export interface RuleSettingsLike {
  variables: Readonly<Record<string, string>>;
  humanPauseMinutes: number | null;
}

/**
 * Account opening hours (one range per weekday entry) as the engine's single weekly range.
 *
 * The engine reads one `from`–`to` for a set of days. When the account's days do not all share one
 * range, the range most days use is taken and a note says so, rather than guessing a merge.
 */
export function openingHoursOf(businessHours: AccountLike['settings']['businessHours']): {
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
  account: AccountLike,
  settings: RuleSettingsLike,
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
      variables: { ...settings.variables },
    },
    notes,
  };
}
