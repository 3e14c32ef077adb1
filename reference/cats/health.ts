// Liveness (with the implementation's version), readiness, the business clock and the OpenAPI document.
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { openApiDocument } from '../spec/openapi.ts';
import { routes } from '../spec/routes.ts';
import { routeOptions } from './route-options.ts';
import type { NodeContext } from './context.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const IMPLEMENTATION = `cats-stress reference node ${version}`;

export const healthPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  const document = JSON.stringify(openApiDocument());

  app.route({ ...routeOptions(routes.healthz), handler: async () => ({ status: 'ok', version: IMPLEMENTATION }) });

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
