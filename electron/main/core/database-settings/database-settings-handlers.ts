import type { Handlers } from '../api/dispatcher';
import type { DatabaseSettingsService } from './database-settings-service';

/** Settings → Database. */
export function databaseSettingsHandlers(
  service: DatabaseSettingsService,
): Pick<Handlers, 'settings.getDatabase' | 'settings.testDatabase' | 'settings.saveDatabase'> {
  return {
    'settings.getDatabase': () => service.get(),
    'settings.testDatabase': (input) => service.test(input.target),
    'settings.saveDatabase': (input) => service.save(input.target),
  };
}
