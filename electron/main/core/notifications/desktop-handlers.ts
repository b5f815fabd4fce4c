import type { Handlers } from '../api/dispatcher';
import type { DesktopSettingsStore } from './desktop-settings';

type DesktopHandlers = Pick<Handlers, 'desktop.getSettings' | 'desktop.updateSettings'>;

/** The desktop preferences part of the contract (input already validated by the dispatcher). */
export function desktopHandlers(settings: DesktopSettingsStore): DesktopHandlers {
  return {
    'desktop.getSettings': () => settings.get(),
    'desktop.updateSettings': (patch) => settings.update(patch),
  };
}
