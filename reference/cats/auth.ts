// Authentication and role check for every route that is not public: the
// bearer token resolves to a principal (operator, officer or admin) whose role
// the route's catalogue entry must list. Office and ownership checks are the
// routes' own (lifecycle.ts), since they depend on the resource.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { NodeContext } from './context.ts';
import type { Principal } from './principal.ts';
import { Rejection } from './rejection.ts';

const plugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.roles;
    if (!roles || roles.includes('public')) return;
    const token = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new Rejection(401, 'UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <token>)');
    const principal = await ctx.credentials.resolve(token);
    if (!principal) throw new Rejection(401, 'UNAUTHENTICATED', 'unknown bearer token');
    if (!roles.includes(principal.role))
      throw new Rejection(403, 'FORBIDDEN', `this route is for ${roles.join(', ')}, not ${principal.role}`);
    request.principal = principal;
  });
};
// Applies to the whole server, not only to routes registered inside this plugin.
export const authPlugin = fp(plugin, { name: 'cats-auth' });

/** The authenticated caller; routes that reach their handler always have one unless public. */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new Rejection(401, 'UNAUTHENTICATED', 'a bearer token is required');
  return request.principal;
}
