// Diversion: goods presented at an office of transit or destination the
// declaration does not name. An office in another country than departure asks
// departure for the record (IE114 for transit, IE002 for destination) and
// answers 202; departure makes it an office of the movement and sends the
// record (IE115/IE003, c2c-inbound.ts); the officer then notifies the crossing
// or arrival as for a declared office. At the node of departure itself an
// office of its country takes the movement in the same step as its crossing
// or arrival (lifecycle.ts), the record being there already.
import type { RecordRequested } from '../spec/movements.ts';
import { findMovement, insertOutbox } from '../store/movements.ts';
import { recipient, toDeparture } from './c2c-messages.ts';
import { outOfSequence } from './conflict.ts';
import type { NodeContext } from './context.ts';
import { finalStates, type MovementState } from '../domain/movement.ts';
import { requireOfficerAt, servedHere } from './lifecycle.ts';
import type { Principal } from './principal.ts';

/**
 * When `office` is not an office of the movement here, asks departure for the record and says so;
 * undefined when the crossing or arrival is for the usual step.
 */
export async function requestRecordIfDiverted(
  ctx: NodeContext,
  p: Principal,
  mrn: string,
  r: { office: string; officeOfDeparture?: string },
  kind: 'transit' | 'destination',
): Promise<RecordRequested | undefined> {
  if (p.role !== 'officer') return undefined;
  const m = await findMovement(ctx.pool, mrn);
  if (
    m &&
    (m.role === 'departure' || (kind === 'transit' ? m.transitOffices : [m.destinationOffice]).includes(r.office))
  )
    return undefined;
  requireOfficerAt(p, r.office);
  servedHere(ctx, r.office);
  if (m && finalStates.has(m.state as MovementState)) throw outOfSequence(`movement ${mrn} is ${m.state}`);
  const role = kind === 'transit' ? 'TRA' : 'DES';
  if (!ctx.offices.get(r.office)?.roles.includes(role))
    throw outOfSequence(`${r.office} is not an office of ${kind}`, '/office');
  const departure = m?.departureOffice ?? r.officeOfDeparture;
  if (!departure)
    throw outOfSequence(
      `no record of ${mrn} here: give the office of departure shown on the transit document`,
      '/officeOfDeparture',
    );
  if (ctx.offices.get(departure)?.country !== mrn.slice(2, 4))
    throw outOfSequence(
      `${departure} is not an office of ${mrn.slice(2, 4)}, the country of MRN ${mrn}`,
      '/officeOfDeparture',
    );
  if (!recipient(ctx, departure))
    throw outOfSequence(
      `the office of departure ${departure} is not reachable through the exchange`,
      '/officeOfDeparture',
    );
  const requestedAt = ctx.now().toISOString();
  const message =
    kind === 'transit'
      ? toDeparture(ctx, departure, { type: 'IE114', body: { officeOfTransit: r.office, requestedAt } })
      : toDeparture(ctx, departure, { type: 'IE002', body: { officeOfDestination: r.office, requestedAt } });
  await insertOutbox(ctx.pool, mrn, message);
  return { mrn, office: r.office, status: 'RECORD_REQUESTED', requested: kind === 'transit' ? 'IE114' : 'IE002' };
}
