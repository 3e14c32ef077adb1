// The audit routes: what a reconciliation reads after a run, for the
// deployment's auditor (or the node's admin). Read only, paged by key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '../spec/routes.ts';
import type { AuditMovement } from '../spec/audit.ts';
import { appliedMessagePage, auditGuaranteePage, auditMovementPage } from '../store/audit.ts';
import { heldUses } from '../store/guarantee-uses.ts';
import type { NodeContext } from './context.ts';
import { routeOptions } from './route-options.ts';

const DEFAULT_LIMIT = 500;

/** A page and the key of the next one (null after the last). */
function page<T>(items: T[], limit: number, key: (item: T) => string) {
  return { items, next: items.length === limit ? key(items[items.length - 1]!) : null };
}

export const auditPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.auditMovements),
    handler: async (request) => {
      const limit = Number(request.query.limit ?? DEFAULT_LIMIT);
      const rows = await auditMovementPage(ctx.pool, ctx.country, request.query.after ?? '', limit);
      const items: AuditMovement[] = rows.map((r) => ({
        mrn: r.mrn,
        role: r.role,
        state: r.state as AuditMovement['state'],
        offices: { departure: r.departureOffice, transit: r.transitOffices, destination: r.destinationOffice },
        reservations: r.reservations.map((h) => ({ grn: h.grn, amountMinor: Number(h.amount), currency: h.currency })),
        charged: r.charged.map((h) => ({ grn: h.grn, amountMinor: Number(h.amount), currency: h.currency })),
        reservedAbroad: r.reservedAbroad.map((h) => ({
          grn: h.grn,
          amountMinor: Number(h.amount),
          currency: h.currency,
        })),
      }));
      return page(items, limit, (m) => m.mrn);
    },
  });
  app.route({
    ...routeOptions(routes.auditGuarantees),
    handler: async (request) => {
      const limit = Number(request.query.limit ?? DEFAULT_LIMIT);
      const rows = await auditGuaranteePage(ctx.pool, request.query.after ?? '', limit);
      const uses = await heldUses(
        ctx.pool,
        rows.map((g) => g.grn),
      );
      const items = rows.map((g) => ({
        grn: g.grn,
        currency: g.currency,
        referenceAmountMinor: Number(g.referenceAmount),
        reservedMinor: Number(g.reserved),
        availableMinor: Number(g.referenceAmount) - Number(g.reserved),
        uses: (uses.get(g.grn) ?? []).map((u) => ({
          mrn: u.mrn,
          departureCountry: u.departureCountry,
          amountMinor: u.amount,
        })),
      }));
      return page(items, limit, (g) => g.grn);
    },
  });
  app.route({
    ...routeOptions(routes.auditAppliedMessages),
    handler: async (request) => {
      const limit = Number(request.query.limit ?? DEFAULT_LIMIT);
      const rows = await appliedMessagePage(ctx.pool, request.query.after ?? '', limit);
      const items = rows.map((m) => ({
        messageId: m.messageId,
        type: m.type,
        mrn: m.mrn,
        appliedAt: m.appliedAt.toISOString(),
      }));
      return page(items, limit, (m) => m.messageId);
    },
  });
};
