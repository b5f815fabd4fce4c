/**
 * Desktop preferences, stored as one JSON value under the `desktop` key of the settings table. A stored
 * value that no longer parses (older or hand-edited) keeps its readable fields and takes defaults for the
 * rest, so nothing stored breaks a start.
 */
import {
  defaultDesktopSettings,
  desktopSettingsSchema,
  type DesktopSettings,
  type MethodInput,
} from '../../../../shared/contract';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Logger } from '../lib/logger';

export const DESKTOP_SETTINGS_KEY = 'desktop';

export type DesktopSettingsPatch = MethodInput<'desktop.updateSettings'>;

/** Reads what can be read of a stored value; defaults fill the rest. */
export function readStoredDesktopSettings(stored: unknown): DesktopSettings {
  const whole = desktopSettingsSchema.safeParse(stored);
  if (whole.success) return whole.data;
  const settings: DesktopSettings = { ...defaultDesktopSettings };
  if (stored && typeof stored === 'object') {
    const shape = desktopSettingsSchema.shape;
    for (const key of Object.keys(shape) as (keyof DesktopSettings)[]) {
      const field = shape[key].safeParse((stored as Record<string, unknown>)[key]);
      if (field.success) Object.assign(settings, { [key]: field.data });
    }
  }
  return settings;
}

export class DesktopSettingsStore {
  private cached: DesktopSettings | undefined;

  constructor(
    private readonly options: {
      repositories: () => Repositories;
      events: EventBus;
      logger: Logger;
    },
  ) {}

  /** The current preferences (read once, then kept in memory; updates go through `update`). */
  async get(): Promise<DesktopSettings> {
    if (this.cached) return this.cached;
    const stored = await this.options.repositories().settings.get(DESKTOP_SETTINGS_KEY);
    const settings = stored === null ? defaultDesktopSettings : readStoredDesktopSettings(stored);
    this.cached = settings;
    return settings;
  }

  /** Applies a validated patch, stores the whole value and tells every client. */
  async update(patch: DesktopSettingsPatch): Promise<DesktopSettings> {
    const current = await this.get();
    const next = desktopSettingsSchema.parse({ ...current, ...patch });
    await this.options.repositories().settings.set(DESKTOP_SETTINGS_KEY, next);
    this.cached = next;
    this.options.logger.info(
      {
        notifications: next.notifications,
        privateNotifications: next.privateNotifications,
        startAtLogin: next.startAtLogin,
        quietHours: next.quietHours.length,
      },
      'desktop preferences changed',
    );
    this.options.events.publish('desktop.settingsChanged', next);
    return next;
  }
}
