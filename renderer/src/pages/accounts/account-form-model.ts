import {
  accessTokenSchema,
  accountSettingsSchema,
  appSecretSchema,
  newAccountInputSchema,
  timezoneSchema,
  type AccountView,
  type MethodInput,
} from '../../../../shared/contract';
import type { LoginType } from '../../lib/accounts';
import { schemaMessage } from '../../lib/validation';

type BusinessHours = AccountView['settings']['businessHours'];

/** One weekday's row in the opening-hours editor. An end of 00:00 means midnight (stored as 24:00). */
export interface DayHours {
  open: boolean;
  start: string;
  end: string;
}

/** Weekdays as the contract numbers them (0 = Sunday), in the order the form lists them. */
export const weekdays: readonly { day: number; name: string }[] = [
  { day: 1, name: 'Monday' },
  { day: 2, name: 'Tuesday' },
  { day: 3, name: 'Wednesday' },
  { day: 4, name: 'Thursday' },
  { day: 5, name: 'Friday' },
  { day: 6, name: 'Saturday' },
  { day: 0, name: 'Sunday' },
];

const defaultDay: DayHours = { open: false, start: '09:00', end: '17:00' };
const hourSchema = accountSettingsSchema.shape.businessHours.element.shape;

/** The editor's rows (indexed by day, 0 = Sunday) for stored hours; the first range of a day wins. */
function weekOf(hours: BusinessHours): DayHours[] {
  const week = Array.from({ length: 7 }, () => ({ ...defaultDay }));
  const sorted = [...hours].sort((a, b) => a.start.localeCompare(b.start));
  for (const range of sorted) {
    const row = week[range.day];
    if (!row || row.open) continue;
    week[range.day] = { open: true, start: range.start, end: range.end === '24:00' ? '00:00' : range.end };
  }
  return week;
}

/** Stored hours the one-range-per-day editor cannot show (several ranges on a day): saving replaces them. */
export function hasHiddenRanges(hours: BusinessHours): boolean {
  return new Set(hours.map((range) => range.day)).size < hours.length;
}

/** What the add/edit form holds while staff type: text as typed, secrets only until saved. */
export interface AccountFormValues {
  instagramAccountId: string;
  username: string;
  displayName: string;
  clientName: string;
  brandColor: string | null;
  loginType: LoginType;
  accessToken: string;
  appSecret: string;
  instagramAppSecret: string;
  /** Edit only: forget the stored Instagram app secret. */
  removeInstagramAppSecret: boolean;
  timezone: string;
  automationEnabled: boolean;
  hourlySendBudget: string;
  humanAgentAllowed: boolean;
  /** False: always open (no hours stored). */
  hoursSet: boolean;
  /** Indexed by day, 0 = Sunday. */
  week: DayHours[];
}

export const formFields = [
  'instagramAccountId',
  'username',
  'displayName',
  'clientName',
  'brandColor',
  'loginType',
  'accessToken',
  'appSecret',
  'instagramAppSecret',
  'timezone',
  'automationEnabled',
  'hourlySendBudget',
  'humanAgentAllowed',
  'businessHours',
] as const;
export type FormField = (typeof formFields)[number];
export type FormErrors = Partial<Record<FormField, string>>;

export type FormMode = { kind: 'create' } | { kind: 'edit'; account: AccountView };

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function initialValues(mode: FormMode): AccountFormValues {
  if (mode.kind === 'create') {
    return {
      instagramAccountId: '',
      username: '',
      displayName: '',
      clientName: '',
      brandColor: null,
      loginType: 'instagram',
      accessToken: '',
      appSecret: '',
      instagramAppSecret: '',
      removeInstagramAppSecret: false,
      timezone: browserTimeZone(),
      // As the core does: no automatic answers until staff have written this account's rules.
      automationEnabled: false,
      hourlySendBudget: '200',
      humanAgentAllowed: false,
      hoursSet: false,
      week: weekOf([]),
    };
  }
  const { account } = mode;
  return {
    instagramAccountId: account.instagramAccountId,
    username: account.username,
    displayName: account.displayName ?? '',
    clientName: account.clientName ?? '',
    brandColor: account.brandColor,
    loginType: account.loginType,
    accessToken: '',
    appSecret: '',
    instagramAppSecret: '',
    removeInstagramAppSecret: false,
    timezone: account.settings.timezone,
    automationEnabled: account.settings.automationEnabled,
    hourlySendBudget: String(account.settings.hourlySendBudget),
    humanAgentAllowed: account.settings.humanAgentAllowed,
    hoursSet: account.settings.businessHours.length > 0,
    week: weekOf(account.settings.businessHours),
  };
}

const shape = newAccountInputSchema.shape;
const budgetMessage = 'Enter a whole number from 0 to 100,000';

function budgetError(text: string): string | undefined {
  if (!/^\d+$/.test(text.trim())) return budgetMessage;
  return schemaMessage(accountSettingsSchema.shape.hourlySendBudget, Number(text)) && budgetMessage;
}

/** What is wrong with one weekday's row, in the contract's words where it has them. */
export function dayHoursError(row: DayHours): string | undefined {
  if (!row.open) return undefined;
  const end = row.end === '00:00' ? '24:00' : row.end;
  const problem = schemaMessage(hourSchema.start, row.start) ?? schemaMessage(hourSchema.end, end);
  if (problem) return problem;
  return end > row.start ? undefined : 'Closing must be after opening';
}

function hoursError(values: AccountFormValues): string | undefined {
  if (!values.hoursSet) return undefined;
  const hours = hoursOf(values);
  if (hours.length === 0) return 'Open at least one day, or choose “Always open”';
  for (const { day, name } of weekdays) {
    const problem = dayHoursError(values.week[day] ?? defaultDay);
    if (problem) return `${name}: ${problem}`;
  }
  return schemaMessage(accountSettingsSchema.shape.businessHours, hours);
}

/** The hours to store, Monday first; empty means always open. */
export function hoursOf(values: AccountFormValues): BusinessHours {
  if (!values.hoursSet) return [];
  return weekdays.flatMap(({ day }) => {
    const row = values.week[day];
    if (!row?.open) return [];
    return [{ day, start: row.start, end: row.end === '00:00' ? '24:00' : row.end }];
  });
}

function hoursKey(hours: BusinessHours): string {
  return hours
    .map((range) => `${range.day} ${range.start}-${range.end}`)
    .sort()
    .join(',');
}

/**
 * Every problem with the values, in the contract's own words (the same zod schemas the core checks with).
 * On edit an empty secret means "keep the stored one", so only typed secrets are checked.
 */
export function validate(values: AccountFormValues, mode: FormMode): FormErrors {
  const creating = mode.kind === 'create';
  const errors: FormErrors = {
    instagramAccountId: creating
      ? schemaMessage(shape.instagramAccountId, values.instagramAccountId)
      : undefined,
    username: schemaMessage(shape.username, values.username),
    displayName: schemaMessage(shape.displayName, values.displayName),
    clientName: schemaMessage(shape.clientName, values.clientName),
    brandColor: values.brandColor === null ? undefined : schemaMessage(shape.brandColor, values.brandColor),
    accessToken:
      creating || values.accessToken !== ''
        ? schemaMessage(accessTokenSchema, values.accessToken)
        : undefined,
    appSecret:
      creating || values.appSecret !== ''
        ? values.appSecret === ''
          ? 'The app secret is required'
          : schemaMessage(appSecretSchema, values.appSecret)
        : undefined,
    instagramAppSecret:
      values.instagramAppSecret === ''
        ? undefined
        : schemaMessage(appSecretSchema, values.instagramAppSecret),
    timezone: schemaMessage(timezoneSchema, values.timezone),
    hourlySendBudget: budgetError(values.hourlySendBudget),
    businessHours: hoursError(values),
  };
  for (const field of formFields) if (errors[field] === undefined) delete errors[field];
  return errors;
}

function settingsOf(values: AccountFormValues) {
  return {
    timezone: values.timezone.trim(),
    automationEnabled: values.automationEnabled,
    hourlySendBudget: Number(values.hourlySendBudget),
    humanAgentAllowed: values.humanAgentAllowed,
  };
}

export function toCreateInput(values: AccountFormValues): MethodInput<'accounts.create'> {
  const hours = hoursOf(values);
  return {
    instagramAccountId: values.instagramAccountId.trim(),
    username: values.username,
    ...(values.displayName.trim() ? { displayName: values.displayName } : {}),
    clientName: values.clientName,
    ...(values.brandColor ? { brandColor: values.brandColor } : {}),
    loginType: values.loginType,
    accessToken: values.accessToken,
    appSecret: values.appSecret,
    ...(values.instagramAppSecret ? { instagramAppSecret: values.instagramAppSecret } : {}),
    settings: { ...settingsOf(values), ...(hours.length > 0 ? { businessHours: hours } : {}) },
  };
}

/** Only what changed, so the audit log says exactly what staff edited; null when nothing did. */
export function toPatchInput(
  values: AccountFormValues,
  account: AccountView,
): MethodInput<'accounts.update'> | null {
  const patch: MethodInput<'accounts.update'> = { id: account.id };
  const username = values.username.trim().replace(/^@/, '');
  if (username !== account.username) patch.username = username;
  const displayName = values.displayName.trim() || null;
  if (displayName !== account.displayName) patch.displayName = displayName;
  if (values.clientName.trim() !== (account.clientName ?? '')) patch.clientName = values.clientName;
  if ((values.brandColor?.toLowerCase() ?? null) !== (account.brandColor?.toLowerCase() ?? null))
    patch.brandColor = values.brandColor;
  if (values.loginType !== account.loginType) patch.loginType = values.loginType;
  if (values.accessToken) patch.accessToken = values.accessToken;
  if (values.appSecret) patch.appSecret = values.appSecret;
  if (values.instagramAppSecret) patch.instagramAppSecret = values.instagramAppSecret;
  else if (values.removeInstagramAppSecret) patch.instagramAppSecret = null;
  const settings = settingsOf(values);
  const changed: NonNullable<MethodInput<'accounts.update'>['settings']> = {};
  if (settings.timezone !== account.settings.timezone) changed.timezone = settings.timezone;
  if (settings.automationEnabled !== account.settings.automationEnabled)
    changed.automationEnabled = settings.automationEnabled;
  if (settings.hourlySendBudget !== account.settings.hourlySendBudget)
    changed.hourlySendBudget = settings.hourlySendBudget;
  if (settings.humanAgentAllowed !== account.settings.humanAgentAllowed)
    changed.humanAgentAllowed = settings.humanAgentAllowed;
  // Compared with what the editor showed on opening, so stored ranges it cannot show stay unless edited.
  const hours = hoursOf(values);
  if (hoursKey(hours) !== hoursKey(hoursOf(initialValues({ kind: 'edit', account }))))
    changed.businessHours = hours;
  if (Object.keys(changed).length > 0) patch.settings = changed;
  return Object.keys(patch).length > 1 ? patch : null;
}

/** Preset brand colours: distinct from each other and readable as a dot on white. */
export const brandSwatches: readonly { color: string; name: string }[] = [
  { color: '#E1306C', name: 'Pink' },
  { color: '#F56040', name: 'Coral' },
  { color: '#E8A317', name: 'Amber' },
  { color: '#22A06B', name: 'Green' },
  { color: '#0E9F9F', name: 'Teal' },
  { color: '#2F6FEB', name: 'Blue' },
  { color: '#7A5AF8', name: 'Violet' },
  { color: '#5B6478', name: 'Slate' },
];
