// A movement secured by guarantees another country registered, at its office
// of departure: the answer to IE203 (IE205) releases, controls or refuses it;
// without an answer by its business-time limit it is refused; and whatever the
// guarantee's country reserved goes back with IE204 (ended before release) or
// IE209 (after), written by the step that ends the use (lifecycle.ts).
import type { Ctd } from '../spec/ctd.ts';
import type { IE205 } from '../spec/ice/ie205-guarantee-use-result.ts';
import type { MovementEvent } from '../domain/movement.ts';
import { holdForeignReservations } from '../store/guarantee-uses.ts';
import { holdReservations, type MovementRecord } from '../store/movements.ts';
import { releaseMessages } from './c2c-messages.ts';
import type { NodeContext } from './context.ts';
import { runStep, type Step } from './lifecycle.ts';
import { decidedAtLodging } from './lodging.ts';
import { movementLimitDate } from './time-limits.ts';

/** The code a movement is refused with when the guarantee's country did not answer in time. */
export const GUARANTEE_UNANSWERED = 'GUARANTEE_UNANSWERED';

/**
 * IE205 at departure. Accepted: the reservations are held as reported, and the
 * decision taken at lodging follows (release or control; a pre-lodged CTD
 * waits for the goods). Refused: not released, with the reason. An answer to a
 * movement no longer waiting (cancelled, or refused for want of an answer)
 * changes nothing: the IE204 sent then gives back what it reserved.
 */
export function guaranteeAnswered(ctx: NodeContext, m: MovementRecord, b: IE205['body']): Step {
  if (m.state !== 'AWAITING_GUARANTEE') return { events: [] };
  if (!b.accepted) {
    const refusal = b.refusal ?? { grn: null, code: 'GUARANTEE_NOT_FOUND', message: 'refused' };
    return {
      events: [{ type: 'guaranteeRefused', code: refusal.code, reason: refusal.message }],
      change: () => ({ guaranteeRefusal: JSON.stringify(refusal) }),
    };
  }
  const ctd = m.ctd as Ctd;
  const decision = ctd.additionalDeclarationType === 'D' ? undefined : decidedAtLodging(m);
  const release = decision === 'release';
  const events: MovementEvent[] = [{ type: 'guaranteeAccepted' }, ...(decision ? [{ type: decision }] : [])];
  return {
    events,
    apply: async (client) => {
      await holdForeignReservations(client, m.mrn, b.reservations);
      // Counts the release for the holder's track record, as a local release does (nothing is left to reserve here).
      if (release) await holdReservations(client, m.mrn, m.operatorTin!);
    },
    change: () => (release ? { limitDate: movementLimitDate(ctd.offices, ctx.now()) } : {}),
    messages: release ? releaseMessages(ctx, ctd, m.createdAt, ctx.now()) : [],
  };
}

/** Past its limit without an answer: refused, and IE204 tells the guarantee's country to give back anything it reserved. */
export const guaranteeUnanswered = (ctx: NodeContext, mrn: string) =>
  runStep(ctx, mrn, () => {
    const message = 'the guarantee country did not answer the guarantee use request in time';
    return {
      events: [{ type: 'guaranteeRefused', code: GUARANTEE_UNANSWERED, reason: message }],
      freeUnused: true,
      change: () => ({ guaranteeRefusal: JSON.stringify({ grn: null, code: GUARANTEE_UNANSWERED, message }) }),
    };
  });
