// Operator accounts: registration by a trader, approval and suspension by customs.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '../spec/routes.ts';
import { findOperator, insertOperator, setOperatorStatus } from '../store/parties.ts';
import { routeOptions } from './route-options.ts';
import { principalOf } from './auth.ts';
import type { NodeContext } from './context.ts';
import { notFound, Rejection } from './rejection.ts';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export const operatorsPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.registerOperator),
    handler: async (request, reply) => {
      const { tin, name, country, aeo } = request.body;
      if (country !== ctx.country) {
        throw new Rejection(422, 'UNKNOWN_COUNTRY', `this node registers operators of ${ctx.country}`, [
          { code: 'UNKNOWN_COUNTRY', pointer: '/country', message: `must be ${ctx.country}` },
        ]);
      }
      const token = newToken();
      const operator = await insertOperator(ctx.pool, { tin, name, country, aeo: aeo ?? false }, token);
      if (!operator) {
        throw new Rejection(409, 'CONFLICT', `operator ${tin} is already registered`, [
          { code: 'CONFLICT', pointer: '/tin', message: 'already registered' },
        ]);
      }
      return reply.status(201).send({ operator, token });
    },
  });

  app.route({
    ...routeOptions(routes.getOperator),
    handler: async (request) => {
      const p = principalOf(request);
      const { tin } = request.params;
      if (p.role === 'operator' && p.operator.tin !== tin) throw notFound(`operator ${tin}`);
      const operator = await findOperator(ctx.pool, tin);
      if (!operator) throw notFound(`operator ${tin}`);
      return operator;
    },
  });

  app.route({
    ...routeOptions(routes.approveOperator),
    handler: async (request) => {
      const operator = await setOperatorStatus(ctx.pool, request.params.tin, 'ACTIVE', request.body.aeo);
      if (!operator) throw notFound(`operator ${request.params.tin}`);
      ctx.credentials.invalidate();
      return operator;
    },
  });

  app.route({
    ...routeOptions(routes.suspendOperator),
    handler: async (request) => {
      const operator = await setOperatorStatus(ctx.pool, request.params.tin, 'SUSPENDED');
      if (!operator) throw notFound(`operator ${request.params.tin}`);
      ctx.credentials.invalidate();
      return operator;
    },
  });
};
