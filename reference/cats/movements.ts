// Movement events at offices of transit and destination.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '../spec/routes.ts';
import { routeOptions } from './route-options.ts';
import { principalOf } from './auth.ts';
import type { NodeContext } from './context.ts';
import { notifyArrival, notifyCrossing, recordControlResults } from './lifecycle.ts';

export const movementsPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.notifyCrossing),
    handler: async (request) => notifyCrossing(ctx, principalOf(request), request.params.mrn, request.body.office),
  });
  app.route({
    ...routeOptions(routes.notifyArrival),
    handler: async (request) => notifyArrival(ctx, principalOf(request), request.params.mrn, request.body.office),
  });
  app.route({
    ...routeOptions(routes.recordControlResults),
    handler: async (request) => recordControlResults(ctx, principalOf(request), request.params.mrn, request.body),
  });
};
