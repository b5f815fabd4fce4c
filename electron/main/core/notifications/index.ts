export { composeNotification, messagePreview, senderLabel, accountLabel } from './compose';
export type { NotificationAccount, NotificationMessage, NotificationSender } from './compose';
export { activeQuietHours, decideNotification, defaultDecisionOptions, flushBurst } from './decide';
export type { BurstState, DecisionOptions, NotificationDecision, NotificationInput } from './decide';
export { desktopHandlers } from './desktop-handlers';
export { DesktopNotifier } from './desktop-notifier';
export { DESKTOP_SETTINGS_KEY, DesktopSettingsStore, readStoredDesktopSettings } from './desktop-settings';
