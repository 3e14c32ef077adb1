// Admin bulk seeding (idempotent upsert) of operators, officers and guarantees with known tokens and GRNs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FunctionalError } from '../spec/errors.ts';
import { routes } from '../spec/routes.ts';
import { allocationOfGrn, isValidGrn } from '../domain/grn.ts';
import { isKnownCurrency, toMinorUnits } from '../domain/money.ts';
import { withTransaction } from '../store/database.ts';
import { upsertGuarantees } from '../store/guarantees.ts';
import { advanceGrnSequencePast } from '../store/identifiers.ts';
import { upsertOfficers, upsertOperators } from '../store/parties.ts';
import { routeOptions } from './route-options.ts';
import type { NodeContext } from './context.ts';
import { functionalRejection } from './rejection.ts';

export const fixturesPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.applyFixtures),
    handler: async (request) => {
      const { operators = [], officers = [], guarantees = [] } = request.body;
      const errors: FunctionalError[] = [];
      const unique = (list: readonly { [k: string]: unknown }[], key: string, group: string) => {
        const seen = new Set<unknown>();
        list.forEach((item, i) => {
          if (seen.has(item[key]))
            errors.push({ code: 'CONFLICT', pointer: `/${group}/${i}/${key}`, message: `${key} repeated in ${group}` });
          seen.add(item[key]);
        });
      };
      unique(operators, 'tin', 'operators');
      unique(officers, 'id', 'officers');
      unique(guarantees, 'grn', 'guarantees');
      const tokens = new Set<string>();
      [
        ...operators.map((o, i) => ['operators', i, o.token] as const),
        ...officers.map((o, i) => ['officers', i, o.token] as const),
      ].forEach(([g, i, t]) => {
        if (tokens.has(t)) errors.push({ code: 'CONFLICT', pointer: `/${g}/${i}/token`, message: 'token used twice' });
        tokens.add(t);
      });
      officers.forEach((o, i) =>
        o.offices.forEach((office, j) => {
          const known = ctx.offices.get(office);
          if (!known || known.country !== ctx.country) {
            errors.push({
              code: 'UNKNOWN_OFFICE',
              pointer: `/officers/${i}/offices/${j}`,
              message: `${office} is not an office of ${ctx.country}`,
            });
          }
        }),
      );
      guarantees.forEach((g, i) => {
        if (!isValidGrn(g.grn))
          errors.push({
            code: 'SCHEMA_VIOLATION',
            pointer: `/guarantees/${i}/grn`,
            message: 'check digit does not match',
          });
        if (!isKnownCurrency(g.currency, ctx.countries))
          errors.push({
            code: 'UNKNOWN_CURRENCY',
            pointer: `/guarantees/${i}/currency`,
            message: `unknown currency ${g.currency}`,
          });
      });
      if (errors.length > 0) throw functionalRejection(errors);

      await withTransaction(ctx.pool, async (client) => {
        await upsertOperators(client, operators);
        await upsertOfficers(client, officers);
        const { rows } = await client.query<{ tin: string }>(
          'SELECT t.tin FROM unnest($1::text[]) AS t(tin) WHERE NOT EXISTS (SELECT 1 FROM operators o WHERE o.tin = t.tin)',
          [[...new Set(guarantees.map((g) => g.holderTin))]],
        );
        const missing = new Set(rows.map((r) => r.tin));
        const holderErrors = guarantees.flatMap((g, i) =>
          missing.has(g.holderTin)
            ? [
                {
                  code: 'NOT_FOUND' as const,
                  pointer: `/guarantees/${i}/holderTin`,
                  message: `operator ${g.holderTin} is not registered`,
                },
              ]
            : [],
        );
        if (holderErrors.length > 0) throw functionalRejection(holderErrors);
        const left = await upsertGuarantees(
          client,
          guarantees.map((g) => ({ ...g, referenceAmount: toMinorUnits(g.referenceAmount) })),
        );
        // The node's own GRNs come from one sequence: keep it clear of every seeded GRN of its country.
        const seeded = guarantees
          .map((g) => allocationOfGrn(g.grn))
          .filter((a) => a?.country === ctx.country)
          .reduce((max, a) => (a!.sequence > max ? a!.sequence : max), 0n);
        await advanceGrnSequencePast(client, seeded);
        if (left.length > 0) {
          throw functionalRejection(
            left.map((grn) => ({
              code: 'CONFLICT' as const,
              pointer: `/guarantees/${guarantees.findIndex((g) => g.grn === grn)}`,
              message: `guarantee ${grn} has reservations its new reference amount or currency cannot carry`,
            })),
            409,
          );
        }
      });
      ctx.credentials.invalidate();
      return { operators: operators.length, officers: officers.length, guarantees: guarantees.length };
    },
  });
};
