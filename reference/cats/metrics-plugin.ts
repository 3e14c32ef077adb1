// Request timing for every route (labelled by route template) and the /metrics endpoint.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import type { NodeContext } from './context.ts';

const plugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.requests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { config: { roles: ['public'] } }, async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
};
// Times the whole server, not only the routes registered inside this plugin.
export const metricsPlugin = fp(plugin, { name: 'cats-metrics' });
