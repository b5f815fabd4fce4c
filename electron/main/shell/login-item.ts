import { app } from 'electron';
import type { DesktopSettings } from '../../../shared/contract';
import type { Dispatch } from '../core/api/dispatcher';
import type { EventBus } from '../core/api/event-bus';
import type { Disposable } from '../core/lib/lifecycle';
import type { Logger } from '../core/lib/logger';

/**
 * Start at login: the preference from the core applied at start and on every change. A development run
 * (unpackaged) never registers itself, since that would start a bare Electron at every login.
 */
export function applyStartAtLogin(options: {
  dispatch: Dispatch;
  events: EventBus;
  logger: Logger;
}): Disposable {
  let applied: boolean | undefined;
  const apply = (settings: DesktopSettings) => {
    if (settings.startAtLogin === applied) return;
    applied = settings.startAtLogin;
    if (!app.isPackaged) {
      options.logger.info({ startAtLogin: applied }, 'start at login is only applied by the installed app');
      return;
    }
    app.setLoginItemSettings({ openAtLogin: applied });
  };
  const subscription = options.events.subscribe((event) => {
    if (event.name === 'desktop.settingsChanged') apply(event.payload);
  });
  void options.dispatch('desktop.getSettings', {}, { transport: 'in-process' }).then((result) => {
    if (result.ok && applied === undefined) apply(result.value as DesktopSettings);
  });
  return subscription;
}
