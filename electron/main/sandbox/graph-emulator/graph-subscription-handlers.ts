/**
 * `/{node}/subscribed_apps`: which webhook fields the app receives for an account.
 */
import { graphErrors } from './errors';
import { requireOwnNode, requireScope, SCOPES } from './graph-auth';
import { type GraphAuth, type GraphHandler } from './graph-types';
import { SUBSCRIBABLE_FIELDS } from './state';

export const subscribedAppsGet: GraphHandler = {
  auth: 'account',
  run: (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    const app = core.app(auth.account.appId);
    const data =
      auth.account.subscribedFields.length === 0
        ? []
        : [
            {
              category: 'Business',
              link: 'https://sandbox.invalid/app',
              name: app.name,
              id: app.id,
              subscribed_fields: [...auth.account.subscribedFields],
            },
          ];
    return { status: 200, body: { data } };
  },
};

export const subscribedAppsPost: GraphHandler = {
  auth: 'account',
  run: async (_core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    if (auth.account.loginType === 'facebook') requireScope(auth, 'pages_manage_metadata', 200);
    else requireScope(auth, SCOPES.instagram.basic, 200);
    const body = await call.body();
    const raw =
      call.query.get('subscribed_fields') ??
      (typeof body.subscribed_fields === 'string'
        ? body.subscribed_fields
        : Array.isArray(body.subscribed_fields)
          ? body.subscribed_fields.join(',')
          : null);
    if (raw === null || raw.trim() === '')
      throw graphErrors.param('The parameter subscribed_fields is required');
    const fields = raw.split(',').map((f) => f.trim());
    const allowed = SUBSCRIBABLE_FIELDS[auth.account.loginType];
    fields.forEach((field, i) => {
      if (!allowed.includes(field))
        throw graphErrors.param(
          `Param subscribed_fields[${i}] must be one of {${allowed.join(', ')}} - got "${field}"`,
        );
    });
    auth.account.subscribedFields = [...new Set(fields)];
    return { status: 200, body: { success: true } };
  },
};

export const subscribedAppsDelete: GraphHandler = {
  auth: 'account',
  run: (_core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    auth.account.subscribedFields = [];
    return { status: 200, body: { success: true } };
  },
};
