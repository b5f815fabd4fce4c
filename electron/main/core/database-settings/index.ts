export { databaseSettingsHandlers } from './database-settings-handlers';
export { DatabaseSettingsService, explainSource } from './database-settings-service';
export { readSavedDatabase, savedToConfig, writeSavedDatabase, SAVED_DATABASE_FILE } from './saved-database';
export type { SavedDatabase } from './saved-database';
