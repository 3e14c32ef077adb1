// Guarantees: registration by the holder, approval by customs (which issues the
// access code, sent to the holder alone), a new access code at the holder's
// request, balance and exposure. No view ever shows an access code.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessCodeIssued, Guarantee, GuarantorExposure } from '../spec/guarantees.ts';
import { routes } from '../spec/routes.ts';
import { accessCodeFrom, grnFromSequence } from '../domain/grn.ts';
import { exposureByCurrency, proposedLevel } from '../domain/guarantee.ts';
import { isKnownCurrency, toMinorUnits } from '../domain/money.ts';
import {
  findGuarantee,
  guaranteesBackedBy,
  insertGuarantee,
  setAccessCode,
  setGuaranteeStatus,
  type GuaranteeRecord,
} from '../store/guarantees.ts';
import { nextGrnSequence } from '../store/identifiers.ts';
import { routeOptions } from './route-options.ts';
import { principalOf } from './auth.ts';
import type { NodeContext } from './context.ts';
import { notFound, Rejection } from './rejection.ts';

// A secret: drawn from the system's CSPRNG, never from the node's (replaceable) ctx.random.
const newAccessCode = () => accessCodeFrom(() => randomBytes(4).readUInt32BE() / 2 ** 32);

export function guaranteeView(g: GuaranteeRecord): Guarantee {
  return {
    grn: g.grn,
    holderTin: g.holderTin,
    type: g.type as Guarantee['type'],
    status: g.status,
    currency: g.currency,
    referenceAmount: g.referenceAmount / 100,
    reserved: g.reserved / 100,
    available: (g.referenceAmount - g.reserved) / 100,
    openMovements: g.openMovements,
    level: g.level,
    proposedLevel: proposedLevel(g.holder),
    guarantor: g.guarantor,
    usedBy: g.usedBy,
  };
}

export const guaranteesPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.registerGuarantee),
    handler: async (request, reply) => {
      const p = principalOf(request);
      if (p.role !== 'operator') throw new Rejection(403, 'FORBIDDEN', 'operators only');
      if (p.operator.status !== 'ACTIVE')
        throw new Rejection(
          403,
          'OPERATOR_NOT_ACTIVE',
          `operator ${p.operator.tin} is ${p.operator.status.toLowerCase()}`,
        );
      const { type, referenceAmount, currency, guarantor } = request.body;
      if (!isKnownCurrency(currency, ctx.countries)) {
        throw new Rejection(422, 'UNKNOWN_CURRENCY', `unknown currency ${currency}`, [
          { code: 'UNKNOWN_CURRENCY', pointer: '/currency', message: 'not a currency of the reference data' },
        ]);
      }
      // Seeding moves the sequence past the GRNs it brings; a GRN taken all the same (seeded
      // concurrently, or from outside) is skipped, never reported to the holder as a failure.
      for (let attempt = 0; attempt < 64; attempt++) {
        const grn = grnFromSequence({
          year: ctx.now().getUTCFullYear(),
          country: ctx.country,
          sequence: await nextGrnSequence(ctx.pool),
        });
        const g = await insertGuarantee(ctx.pool, {
          grn,
          holderTin: p.operator.tin,
          type,
          currency,
          referenceAmount: toMinorUnits(referenceAmount),
          guarantor,
        });
        if (g) return reply.status(201).send(guaranteeView(g));
      }
      throw new Error('no free GRN after 64 sequence values');
    },
  });

  app.route({
    ...routeOptions(routes.getGuarantee),
    handler: async (request) => {
      const p = principalOf(request);
      const g = await findGuarantee(ctx.pool, request.params.grn);
      if (!g || (p.role === 'operator' && g.holderTin !== p.operator.tin))
        throw notFound(`guarantee ${request.params.grn}`);
      return guaranteeView(g);
    },
  });

  app.route({
    ...routeOptions(routes.approveGuarantee),
    handler: async (request) => {
      const found = await findGuarantee(ctx.pool, request.params.grn);
      if (!found) throw notFound(`guarantee ${request.params.grn}`);
      // Customs sets the level; without one it takes the proposal, or keeps the level it set before (a suspension lifted).
      const level = request.body?.level ?? found.level ?? proposedLevel(found.holder);
      const g = await setGuaranteeStatus(ctx.pool, found.grn, 'ACTIVE', level);
      if (!g) throw notFound(`guarantee ${request.params.grn}`);
      // The first approval issues the code; approving again (after a suspension) keeps the holder's code.
      const code = newAccessCode();
      const issued = await setAccessCode(ctx.pool, g.grn, code, { onlyIfNone: true });
      ctx.notifier.publish(g.holderTin, [
        {
          type: 'guarantee',
          grn: g.grn,
          event: 'approve',
          accessCode: issued ? code : null,
          at: ctx.now().toISOString(),
        },
      ]);
      return guaranteeView(g);
    },
  });

  app.route({
    ...routeOptions(routes.getGuarantorExposure),
    handler: async (request): Promise<GuarantorExposure> => {
      const backed = await guaranteesBackedBy(ctx.pool, request.params.tin);
      const major = (minor: number) => minor / 100;
      return {
        guarantor: request.params.tin,
        guarantees: backed.map((g) => ({
          grn: g.grn,
          holderTin: g.holderTin,
          type: g.type as Guarantee['type'],
          status: g.status,
          currency: g.currency,
          referenceAmount: major(g.referenceAmount),
          reserved: major(g.reserved),
          available: major(g.referenceAmount - g.reserved),
          openMovements: g.openMovements,
        })),
        totals: exposureByCurrency(backed).map((t) => ({
          currency: t.currency,
          referenceAmount: major(t.referenceAmount),
          reserved: major(t.reserved),
          available: major(t.available),
        })),
      };
    },
  });

  app.route({
    ...routeOptions(routes.issueAccessCode),
    handler: async (request): Promise<AccessCodeIssued> => {
      const p = principalOf(request);
      if (p.role !== 'operator') throw new Rejection(403, 'FORBIDDEN', 'only the holder issues access codes');
      const g = await findGuarantee(ctx.pool, request.params.grn);
      if (!g || g.holderTin !== p.operator.tin) throw notFound(`guarantee ${request.params.grn}`);
      if (g.status === 'PENDING')
        throw new Rejection(409, 'CONFLICT', `guarantee ${g.grn} is not approved yet; its code comes with approval`);
      const code = newAccessCode();
      if (!(await setAccessCode(ctx.pool, g.grn, code, { holderTin: p.operator.tin })))
        throw notFound(`guarantee ${g.grn}`);
      return { grn: g.grn, accessCode: code, issuedAt: ctx.now().toISOString() };
    },
  });
};
