/**
 * The one contract between the core and every client (renderer over IPC, renderer or scripts over HTTP).
 *
 * Main implements each method once; the preload exposes one function per method; the HTTP adapter serves
 * each as `POST /api/call/<method>`. Nobody writes a channel or a path by hand: they are derived here.
 */
import type { z } from 'zod';
import { accountsEvents, accountsMethods } from './accounts';
import { appEvents, appMethods } from './app';
import { diagnosticsEvents, diagnosticsMethods } from './diagnostics';
import { demoMethods } from './demo';
import { desktopEvents, desktopMethods } from './desktop';
import { inboxEvents, inboxMethods } from './inbox';
import { outboxEvents, outboxMethods } from './outbox';
import { outboxQueueMethods } from './outbox-queue';
import { rulesEvents, rulesMethods } from './rules';
import { savedRepliesMethods } from './saved-replies';
import { settingsMethods } from './settings';
import { databaseSettingsMethods } from './database-settings';

/**
 * Every method, feature by feature. A feature defines its methods and events in its own file
 * (`app.ts`, …) and is added here once.
 */
export const methods = {
  ...appMethods,
  ...accountsMethods,
  ...inboxMethods,
  ...outboxMethods,
  ...outboxQueueMethods,
  ...rulesMethods,
  ...diagnosticsMethods,
  ...demoMethods,
  ...settingsMethods,
  ...desktopMethods,
  ...databaseSettingsMethods,
  ...savedRepliesMethods,
} as const;

export const events = {
  ...appEvents,
  ...accountsEvents,
  ...inboxEvents,
  ...outboxEvents,
  ...rulesEvents,
  ...diagnosticsEvents,
  ...desktopEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/** IPC channel of a method; derived, never typed by hand. */
export function ipcChannel(name: MethodName): string {
  return `switchboard:call:${name}`;
}

/** The single IPC channel on which main pushes events to windows. */
export const ipcEventChannel = 'switchboard:event';

/** HTTP paths of the loopback transport. */
export const httpPaths = {
  call: (name: MethodName) => `/api/call/${name}`,
  callPrefix: '/api/call/',
  events: '/api/events',
} as const;

export * from './accounts';
export * from './app';
export * from './diagnostics';
export * from './demo';
export * from './desktop';
export * from './inbox';
export * from './outbox-queue';
export * from './database-settings';
export * from './outbox';
export * from './rules';
export * from './saved-replies';
export * from './settings';
export * from './result';
export type { MethodSpec, EventSpec } from './define';
