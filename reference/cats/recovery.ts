// Recovery of the debt of a movement that did not arrive or whose
// discrepancies were not resolved. The guarantee stays reserved until recovery
// is settled: charged when the debt was recovered, given back when nothing
// was due. Discrepancies found at a foreign office of destination are
// recovered there (IE150 request, IE152 outcome); anything else at departure.
import type { Ctd } from '../spec/ctd.ts';
import type { IE152 } from '../spec/ice/ie152-recovery-notification.ts';
import type { MovementRecord } from '../store/movements.ts';
import { fromDeparture, recipient, toDeparture, writeOffMessages } from './c2c-messages.ts';
import { outOfSequence } from './conflict.ts';
import type { NodeContext } from './context.ts';
import { dischargeStep, notifiedOffices, requireOfficerAt, runStep, servedHere, type Step } from './lifecycle.ts';
import type { Principal } from './principal.ts';
import { notFound } from './rejection.ts';

/** Starts recovery: an officer of departure (p), or the scheduler once the enquiry period is over (p null). */
export const startRecovery = (ctx: NodeContext, p: Principal | null, mrn: string, reason: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    if (p) requireOfficerAt(p, m.departureOffice);
    const now = ctx.now();
    const abroad = m.state === 'DISCREPANCIES' && recipient(ctx, m.destinationOffice) ? m.destinationOffice : undefined;
    const held = m.reservations.filter((r) => r.held);
    const currency = held[0]?.currency ?? (m.ctd as Ctd).guarantees[0]?.references[0]?.currency ?? 'USD';
    const amount = held.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.amount, 0);
    return {
      events: [{ type: 'recover' }],
      change: () => ({ recoveryStartedAt: now, ...(abroad ? { recoveryOffice: abroad } : {}) }),
      messages: abroad
        ? fromDeparture(ctx, abroad, {
            type: 'IE150',
            body: { requestedAt: now.toISOString(), reason, amountClaimed: { amount, currency } },
          })
        : [],
    };
  });

/** How recovery ends at departure: debt recovered (guarantee charged, IE045 'recovered') or nothing due (written off). */
export function settleRecovery(ctx: NodeContext, m: MovementRecord, recovered: boolean): Step {
  if (!recovered) return dischargeStep(ctx, m, [{ type: 'recoveryWaived' }]);
  return {
    events: [{ type: 'recovered' }],
    charge: true,
    messages: writeOffMessages(ctx, notifiedOffices(m), ctx.now(), 'recovered'),
  };
}

/** The office recovering the debt records the outcome: here for a movement declared here, else IE152 to departure. */
export const recordRecoveryOutcome = (
  ctx: NodeContext,
  p: Principal,
  mrn: string,
  r: { office: string; recovered: boolean; information?: string },
) =>
  runStep(ctx, mrn, (m) => {
    requireOfficerAt(p, r.office);
    servedHere(ctx, r.office);
    if (m.role === 'departure') {
      const office = m.recoveryOffice ?? m.departureOffice;
      if (r.office !== office)
        throw outOfSequence(`recovery of ${mrn} is for ${office} to settle, not ${r.office}`, '/office');
      return settleRecovery(ctx, m, r.recovered);
    }
    if (!m.recoveryMessageId || m.recoveryOffice !== r.office)
      throw outOfSequence(`no recovery of ${mrn} was requested from ${r.office}`, '/office');
    if (m.recoveryAnsweredAt) throw outOfSequence(`the recovery of ${mrn} was already notified`);
    const now = ctx.now();
    const body: IE152['body'] = {
      notifiedAt: now.toISOString(),
      recoveryAccepted: r.recovered,
      ...(r.information ? { information: r.information } : {}),
    };
    return {
      events: [],
      change: () => ({ recoveryAnsweredAt: now }),
      messages: toDeparture(ctx, m.departureOffice, { type: 'IE152', body }, r.office),
    };
  });
