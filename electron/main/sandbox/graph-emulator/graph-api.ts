/**
 * The Graph API surface of the emulator: the routes, matched in order. Handlers live per resource
 * (`graph-*-handlers.ts`); authentication in `graph-auth.ts`.
 */
import { conversations, node } from './graph-conversation-handlers';
import { messages } from './graph-send-handler';
import { subscribedAppsDelete, subscribedAppsGet, subscribedAppsPost } from './graph-subscription-handlers';
import { debugToken, me, refreshAccessToken } from './graph-token-handlers';
import type { GraphHandler } from './graph-types';
import type { Route } from './router';

export { authenticate, checkToken, flavorHint } from './graph-auth';
export { graphTime } from './graph-fields';
export type { GraphAnswer, GraphAuth, GraphCall, GraphHandler } from './graph-types';

/** The Graph API surface, matched in order (`/:id` last). */
export const graphRoutes: ReadonlyArray<Route<GraphHandler>> = [
  { method: 'GET', path: '/debug_token', handler: debugToken },
  { method: 'GET', path: '/refresh_access_token', handler: refreshAccessToken },
  { method: 'GET', path: '/me', handler: me },
  { method: 'POST', path: '/:node/messages', handler: messages },
  { method: 'GET', path: '/:node/subscribed_apps', handler: subscribedAppsGet },
  { method: 'POST', path: '/:node/subscribed_apps', handler: subscribedAppsPost },
  { method: 'DELETE', path: '/:node/subscribed_apps', handler: subscribedAppsDelete },
  { method: 'GET', path: '/:node/conversations', handler: conversations },
  { method: 'GET', path: '/:id', handler: node },
];
