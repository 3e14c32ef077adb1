// Liveness, readiness, the business clock and the OpenAPI document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { openApiDocument } from '../spec/openapi.ts';
import { routes } from '../spec/routes.ts';
import { routeOptions } from './route-options.ts';
import type { NodeContext } from './context.ts';

export const healthPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  const document = JSON.stringify(openApiDocument());

  app.route({ ...routeOptions(routes.healthz), handler: async () => ({ status: 'ok' }) });

  app.route({
    ...routeOptions(routes.clock),
    handler: async () => ({
      now: ctx.now().toISOString(),
      factor: ctx.clock.anchor.factor,
      epoch: new Date(ctx.clock.anchor.epochMs).toISOString(),
      controllable: ctx.clock.anchor.factor !== 1,
    }),
  });

  app.route({
    ...routeOptions(routes.readyz),
    handler: async (_request, reply) => {
      try {
        await ctx.pool.query('SELECT 1');
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'database unavailable' });
      }
    },
  });

  app.get('/openapi.json', { config: { roles: ['public'] } }, async (_request, reply) =>
    reply.type('application/json').send(document),
  );
};
