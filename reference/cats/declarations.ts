// Transit declarations: lodging, queries, amendment, cancellation, presentation
// of pre-lodged goods, and customs' release or refusal after control.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '../spec/routes.ts';
import { findMovement, listMovements } from '../store/movements.ts';
import { routeOptions } from './route-options.ts';
import { principalOf } from './auth.ts';
import type { NodeContext } from './context.ts';
import { declarationView, declarationWithCtd } from './declaration-view.ts';
import {
  amendDeclaration,
  cancelDeclaration,
  canRead,
  presentGoods,
  refuseRelease,
  releaseAfterControl,
} from './lifecycle.ts';
import { lodgeDeclaration } from './lodging.ts';
import { slowdownFactor, slowdownHooks } from './bench-slowdown.ts';
import { notFound, Rejection } from './rejection.ts';

export const declarationsPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.submitDeclaration),
    // CATS_NODE_SLOWDOWN_LODGING: benches only (bench/perf-ci-ab.ts), see bench-slowdown.ts.
    ...slowdownHooks(slowdownFactor('LODGING')),
    onResponse: async (_request, reply) => {
      if (reply.statusCode >= 200 && reply.statusCode < 300) ctx.metrics.lodgingTime.observe(reply.elapsedTime / 1000);
    },
    handler: async (request, reply) => {
      const p = principalOf(request);
      if (p.role !== 'operator') throw new Rejection(403, 'FORBIDDEN', 'operators only');
      const { status, body } = await lodgeDeclaration(ctx, p.operator, request.body);
      return reply.status(status).send(body);
    },
  });

  app.route({
    ...routeOptions(routes.listDeclarations),
    handler: async (request) => {
      const p = principalOf(request);
      const { state, after, limit } = request.query;
      const n = limit ? Number(limit) : 50;
      const rows = await listMovements(ctx.pool, {
        ...(p.role === 'operator' ? { operatorTin: p.operator.tin } : {}),
        ...(p.role === 'officer' ? { offices: p.officer.offices } : {}),
        state,
        after,
        limit: n,
      });
      return { items: rows.map(declarationView), next: rows.length === n ? rows[rows.length - 1]!.mrn : null };
    },
  });

  app.route({
    ...routeOptions(routes.getDeclaration),
    handler: async (request) => {
      const p = principalOf(request);
      const m = await findMovement(ctx.pool, request.params.mrn);
      // Another operator's MRN answers 404 like an unknown one: MRNs cannot be probed.
      if (!m || !canRead(p, m)) throw notFound(`movement ${request.params.mrn}`);
      return declarationWithCtd(m);
    },
  });

  app.route({
    ...routeOptions(routes.amendDeclaration),
    handler: async (request) => amendDeclaration(ctx, principalOf(request), request.params.mrn, request.body),
  });
  app.route({
    ...routeOptions(routes.cancelDeclaration),
    handler: async (request) => cancelDeclaration(ctx, principalOf(request), request.params.mrn),
  });
  app.route({
    ...routeOptions(routes.presentDeclaration),
    handler: async (request) => presentGoods(ctx, principalOf(request), request.params.mrn),
  });
  app.route({
    ...routeOptions(routes.releaseDeclaration),
    handler: async (request) => releaseAfterControl(ctx, principalOf(request), request.params.mrn),
  });
  app.route({
    ...routeOptions(routes.refuseDeclaration),
    handler: async (request) => refuseRelease(ctx, principalOf(request), request.params.mrn),
  });
};
