// Movement events at offices of transit and destination, and the unhappy paths: enquiry, discrepancies, recovery.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { routes } from '../spec/routes.ts';
import { routeOptions } from './route-options.ts';
import { principalOf } from './auth.ts';
import type { NodeContext } from './context.ts';
import { resolveDiscrepancies } from './discrepancies.ts';
import { requestRecordIfDiverted } from './diversion.ts';
import { answerEnquiry, provideEnquiryInformation } from './enquiry.ts';
import { decideIncidents, recordIncident } from './incidents.ts';
import { invalidateMovement } from './invalidation.ts';
import { notifyArrival, notifyCrossing, recordControlResults } from './lifecycle.ts';
import { recordRecoveryOutcome, startRecovery } from './recovery.ts';

export const movementsPlugin: FastifyPluginAsyncTypebox<{ ctx: NodeContext }> = async (app, { ctx }) => {
  app.route({
    ...routeOptions(routes.notifyCrossing),
    handler: async (request, reply) => {
      const p = principalOf(request);
      const requested = await requestRecordIfDiverted(ctx, p, request.params.mrn, request.body, 'transit');
      if (requested) return reply.status(202).send(requested);
      return notifyCrossing(ctx, p, request.params.mrn, request.body.office);
    },
  });
  app.route({
    ...routeOptions(routes.notifyArrival),
    handler: async (request, reply) => {
      const p = principalOf(request);
      const requested = await requestRecordIfDiverted(ctx, p, request.params.mrn, request.body, 'destination');
      if (requested) return reply.status(202).send(requested);
      return notifyArrival(ctx, p, request.params.mrn, request.body.office);
    },
  });
  app.route({
    ...routeOptions(routes.recordControlResults),
    handler: async (request) => recordControlResults(ctx, principalOf(request), request.params.mrn, request.body),
  });
  app.route({
    ...routeOptions(routes.answerEnquiry),
    handler: async (request) => answerEnquiry(ctx, principalOf(request), request.params.mrn, request.body),
  });
  app.route({
    ...routeOptions(routes.provideEnquiryInformation),
    handler: async (request) =>
      provideEnquiryInformation(ctx, principalOf(request), request.params.mrn, request.body.information),
  });
  app.route({
    ...routeOptions(routes.resolveDiscrepancies),
    handler: async (request) => resolveDiscrepancies(ctx, principalOf(request), request.params.mrn),
  });
  app.route({
    ...routeOptions(routes.startRecovery),
    handler: async (request) => startRecovery(ctx, principalOf(request), request.params.mrn, request.body.reason),
  });
  app.route({
    ...routeOptions(routes.recordRecoveryOutcome),
    handler: async (request) => recordRecoveryOutcome(ctx, principalOf(request), request.params.mrn, request.body),
  });
  app.route({
    ...routeOptions(routes.invalidateMovement),
    handler: async (request) => invalidateMovement(ctx, principalOf(request), request.params.mrn, request.body.reason),
  });
  app.route({
    ...routeOptions(routes.recordIncident),
    handler: async (request) => recordIncident(ctx, principalOf(request), request.params.mrn, request.body),
  });
  app.route({
    ...routeOptions(routes.decideIncidents),
    handler: async (request) => decideIncidents(ctx, principalOf(request), request.params.mrn),
  });
};
