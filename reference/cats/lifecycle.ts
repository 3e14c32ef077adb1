// Every step of a movement after lodging, each in one transaction: lock the
// movement, check who may act, apply the state machine, reserve or give back
// the guarantee, write the C2C messages; notify the operator after commit.
import type { PoolClient } from 'pg';
import type { Ctd } from '../spec/ctd.ts';
import type { Declaration } from '../spec/declarations.ts';
import type { Notification } from '../spec/notifications.ts';
import {
  applyEvent,
  IllegalTransitionError,
  type MovementEvent,
  type MovementState,
  type MovementView,
} from '../domain/movement.ts';
import { withTransaction } from '../store/database.ts';
import {
  freeUnusedGuarantees,
  chargeReservations,
  giveBackReservations,
  holdReservations,
  insertOutbox,
  lockMovement,
  replanReservations,
  updateMovement,
  type MovementChange,
  type MovementRecord,
  type OutboxMessage,
} from '../store/movements.ts';
import type { OperatorRecord } from '../store/parties.ts';
import {
  forwardedArrivalAdvice,
  guaranteeUseEnd,
  releaseMessages,
  toDeparture,
  writeOffMessages,
} from './c2c-messages.ts';
import { movementLimitDate } from './time-limits.ts';
import type { NodeContext } from './context.ts';
import { declarationView } from './declaration-view.ts';
import { guaranteeRefusal } from './guarantee-refusal.ts';
import { assess, checkContent, declaredShares, guaranteeCountryAbroad } from './lodging.ts';
import { transitionsAlong } from './movement-metrics.ts';
import { notification } from './notifier.ts';
import { recordedCtd } from './recorded-ctd.ts';
import type { Principal } from './principal.ts';
import { forbidden, notFound, Rejection } from './rejection.ts';

export function viewOf(m: MovementRecord): MovementView {
  return {
    state: m.state as MovementState,
    transitOffices: m.transitOffices,
    crossedOffices: m.crossedOffices,
    destinationOffice: m.destinationOffice,
    amendments: m.amendments,
    conform: m.controlConform ?? undefined,
    enquiryAnswer: m.enquiryAnswer ?? undefined,
    openIncidents: m.openIncidents,
  };
}

/** A step: the events to apply in order and what else changes with them. */
export interface Step {
  events: MovementEvent[];
  change?: (view: MovementView) => Omit<MovementChange, 'state'>;
  /** Reserve the movement's planned amounts on its guarantees (release). */
  reserve?: boolean;
  /** Give the movement's reservation back (write-off). */
  giveBack?: boolean;
  /** The movement ends unreleased: individual guarantees it planned to use serve another. */
  freeUnused?: boolean;
  /** Settle the movement's reservation out of its guarantee (recovered debt). */
  charge?: boolean;
  /** Runs in the step's transaction once the events are known to apply (throwing aborts the step). */
  apply?: (client: PoolClient) => Promise<void>;
  messages?: OutboxMessage[];
}

function illegal(err: unknown): never {
  if (err instanceof IllegalTransitionError)
    throw new Rejection(409, 'ILLEGAL_TRANSITION', err.message, [
      { code: 'ILLEGAL_TRANSITION', pointer: '', message: err.message },
    ]);
  throw err;
}

/**
 * Runs one step on a movement. `plan` sees the locked record, checks the
 * caller's rights (throwing 404/403) and returns the step.
 */
export async function runStep(
  ctx: NodeContext,
  mrn: string,
  plan: (m: MovementRecord) => Step | Promise<Step>,
  /** Runs first in the transaction (e.g. recording an inbound message id); throwing aborts the step. */
  first?: (client: PoolClient) => Promise<void>,
): Promise<Declaration> {
  const now = ctx.now();
  const { record, notifications, before, states } = await withTransaction(ctx.pool, async (client) => {
    await first?.(client);
    const m = await lockMovement(client, mrn);
    if (!m) throw notFound(`movement ${mrn}`);
    const step = await plan(m);
    let view = viewOf(m);
    const notes: Notification[] = [];
    const states: MovementState[] = [];
    try {
      for (const event of step.events) {
        view = applyEvent(view, event);
        states.push(view.state);
        notes.push(notification(m, event, view, now));
      }
    } catch (err) {
      illegal(err);
    }
    const change: MovementChange = {
      state: view.state,
      crossedOffices: view.crossedOffices as string[],
      amendments: view.amendments,
      controlConform: view.conform,
      enquiryAnswer: view.enquiryAnswer,
      openIncidents: view.openIncidents,
      ...step.change?.(view),
    };
    if (step.reserve) {
      const r = await holdReservations(client, mrn, m.operatorTin!);
      if (!r.held) throw guaranteeRefusal(r.guarantee, m.operatorTin!, referencePointer(m, r.guarantee.position));
    }
    // Ended before release, a movement secured abroad gives back what that country reserved (none held otherwise).
    if (step.giveBack || step.freeUnused) await giveBackReservations(client, mrn);
    if (step.freeUnused) await freeUnusedGuarantees(client, mrn);
    if (step.charge) await chargeReservations(client, mrn);
    await step.apply?.(client);
    const updated = await updateMovement(client, mrn, change);
    await insertOutbox(client, mrn, [...(step.messages ?? []), ...guaranteeUseEndMessages(ctx, m, step, now)]);
    return { record: updated, notifications: notes, before: m.state as MovementState, states };
  });
  for (const n of notifications) ctx.metrics.transitions.inc({ event: n.event });
  ctx.metrics.movements.record(record.role, transitionsAlong(before, states));
  ctx.notifier.publish(record.operatorTin, notifications);
  return declarationView(record);
}

/**
 * The messages that end a movement's use of guarantees abroad, for a step that
 * frees, gives back or charges its reservations: IE204 when it ends before
 * release (the guarantee's country may have reserved even without an answer
 * here yet), IE209 after. None for guarantees registered here.
 */
export function guaranteeUseEndMessages(ctx: NodeContext, m: MovementRecord, step: Step, at: Date): OutboxMessage[] {
  const grns = m.reservations.map((r) => r.grn);
  const held = m.reservations.some((r) => r.held);
  if (step.freeUnused && (m.state === 'AWAITING_GUARANTEE' || held)) {
    const first = step.events[0]?.type;
    const reason =
      first === 'cancel'
        ? 'cancelled by the holder'
        : first === 'refuse'
          ? 'release refused by customs'
          : 'no answer to the guarantee use request in time';
    return guaranteeUseEnd(ctx, grns, at, { type: 'IE204', reason });
  }
  if ((step.giveBack || step.charge) && held) {
    const outcome = step.charge
      ? 'recovered'
      : step.events.some((e) => e.type === 'invalidate')
        ? 'invalidated'
        : 'discharged';
    return guaranteeUseEnd(ctx, grns, at, { type: 'IE209', outcome });
  }
  return [];
}

/** Where the CTD refers to the guarantee at `position` among its distinct GRNs. */
function referencePointer(m: MovementRecord, position: number): string {
  const grn = m.reservations[position]?.grn;
  const ctd = m.ctd as Ctd;
  for (const [gi, g] of ctd.guarantees.entries())
    for (const [ri, r] of g.references.entries()) if (r.grn === grn) return `/guarantees/${gi}/references/${ri}`;
  return '/guarantees/0/references/0';
}

// --- who may act -----------------------------------------------------------

/** The holder's own departure movements only; anything else is reported as not found. */
export function requireOwner(p: Principal, m: MovementRecord): OperatorRecord {
  if (p.role !== 'operator' || m.role !== 'departure' || m.operatorTin !== p.operator.tin)
    throw notFound(`movement ${m.mrn}`);
  return p.operator;
}

/** An officer acting at `office`, which must be one of theirs. */
export function requireOfficerAt(p: Principal, office: string): void {
  if (p.role !== 'officer') throw forbidden('customs officers only');
  if (!p.officer.offices.includes(office)) throw forbidden(`officer ${p.officer.id} does not act for office ${office}`);
}

/** Whether the caller may read the movement: its holder, an officer of one of its offices here, or admin. */
export function canRead(p: Principal, m: MovementRecord): boolean {
  if (p.role === 'admin') return true;
  if (p.role === 'operator') return m.operatorTin === p.operator.tin && m.role === 'departure';
  if (p.role !== 'officer') return false;
  const offices = p.officer.offices;
  return (
    offices.includes(m.departureOffice) ||
    offices.includes(m.destinationOffice) ||
    m.transitOffices.some((o) => offices.includes(o))
  );
}

export function servedHere(ctx: NodeContext, office: string): void {
  if (office.slice(0, 2) !== ctx.country) {
    throw new Rejection(
      409,
      'ILLEGAL_TRANSITION',
      `office ${office} is served by the node of ${office.slice(0, 2)}, not ${ctx.country}`,
      [{ code: 'ILLEGAL_TRANSITION', pointer: '/office', message: `office ${office} is not in ${ctx.country}` }],
    );
  }
}

// --- the steps ---------------------------------------------------------------

export const presentGoods = (ctx: NodeContext, p: Principal, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    const operator = requireOwner(p, m);
    const ctd = m.ctd as Ctd;
    const { risk } = assess(ctx, ctd, operator);
    const release = risk.decision === 'release';
    return {
      events: [{ type: risk.decision }],
      change: () => ({
        riskClass: risk.riskClass,
        riskReasons: risk.reasons,
        ...(release ? { limitDate: movementLimitDate(ctd.offices, ctx.now()) } : {}),
      }),
      reserve: release,
      messages: release ? releaseMessages(ctx, ctd, m.createdAt, ctx.now()) : [],
    };
  });

export const amendDeclaration = (ctx: NodeContext, p: Principal, mrn: string, ctd: Ctd) =>
  runStep(ctx, mrn, async (m) => {
    const operator = requireOwner(p, m);
    if (ctd.lrn !== m.lrn) {
      throw new Rejection(422, 'CONFLICT', 'an amendment keeps the LRN of the declaration', [
        { code: 'CONFLICT', pointer: '/lrn', message: `the declaration's LRN is ${m.lrn}` },
      ]);
    }
    checkContent(ctx, ctd, operator);
    // The guarantees abroad were reserved for the CTD as lodged; new ones would need a new request to that country.
    if (guaranteeCountryAbroad(ctx, m.ctd as Ctd) || guaranteeCountryAbroad(ctx, ctd))
      throw new Rejection(
        409,
        'ILLEGAL_TRANSITION',
        'a movement secured by a guarantee of another country is not amended',
        [
          {
            code: 'ILLEGAL_TRANSITION',
            pointer: '/guarantees',
            message: 'cancel the declaration and lodge it again to change it',
          },
        ],
      );
    const { risk, shares } = assess(ctx, ctd, operator);
    return {
      events: [{ type: 'amend', transitOffices: ctd.offices.transit, destinationOffice: ctd.offices.destination }],
      // The holder presents the access codes again; they are checked now, as at lodging, and not kept.
      apply: async (client) => {
        const refused = await replanReservations(client, m.mrn, operator.tin, declaredShares(ctd, shares));
        if (refused) throw guaranteeRefusal(refused, operator.tin, shares[refused.position]!.pointer);
      },
      change: (v) => ({
        ctd: recordedCtd(ctd),
        departureOffice: ctd.offices.departure,
        transitOffices: v.transitOffices as string[],
        destinationOffice: v.destinationOffice,
        riskClass: risk.riskClass,
        riskReasons: risk.reasons,
      }),
    };
  });

export const cancelDeclaration = (ctx: NodeContext, p: Principal, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    requireOwner(p, m);
    return { events: [{ type: 'cancel' }], freeUnused: true };
  });

export const releaseAfterControl = (ctx: NodeContext, p: Principal, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    requireOfficerAt(p, m.departureOffice);
    return {
      events: [{ type: 'release' }],
      reserve: true,
      change: () => ({ limitDate: movementLimitDate((m.ctd as Ctd).offices, ctx.now()) }),
      messages: releaseMessages(ctx, m.ctd as Ctd, m.createdAt, ctx.now()),
    };
  });

export const refuseRelease = (ctx: NodeContext, p: Principal, mrn: string) =>
  runStep(ctx, mrn, (m) => {
    if (m.role !== 'departure') throw notFound(`movement ${mrn}`);
    requireOfficerAt(p, m.departureOffice);
    return { events: [{ type: 'refuse' }], freeUnused: true };
  });

/**
 * Diversion within the country of departure: an office here the declaration does not name takes the
 * movement as an office abroad would through IE114/IE002 and the record (IE115/IE003), which is already here.
 */
function divertedAtDeparture(
  ctx: NodeContext,
  m: MovementRecord,
  office: string,
  kind: 'transit' | 'destination',
): Pick<Step, 'events' | 'change'> {
  const declared = kind === 'transit' ? m.transitOffices.includes(office) : m.destinationOffice === office;
  if (m.role !== 'departure' || declared) return { events: [] };
  if (!ctx.offices.get(office)?.roles.includes(kind === 'transit' ? 'TRA' : 'DES'))
    throw new Rejection(409, 'ILLEGAL_TRANSITION', `${office} is not an office of ${kind}`, [
      { code: 'ILLEGAL_TRANSITION', pointer: '/office', message: `${office} is not an office of ${kind}` },
    ]);
  return kind === 'transit'
    ? {
        events: [{ type: 'divertTransit', office }],
        change: (v) => ({ transitOffices: v.transitOffices as string[] }),
      }
    : {
        events: [{ type: 'divertDestination', office }],
        change: (v) => ({ destinationOffice: v.destinationOffice }),
      };
}

export const notifyCrossing = (ctx: NodeContext, p: Principal, mrn: string, office: string) =>
  runStep(ctx, mrn, (m) => {
    requireOfficerAt(p, office);
    servedHere(ctx, office);
    const at = ctx.now().toISOString();
    const diverted = divertedAtDeparture(ctx, m, office, 'transit');
    return {
      events: [...diverted.events, { type: 'cross', office }],
      change: diverted.change,
      messages:
        m.role === 'departure'
          ? []
          : toDeparture(ctx, m.departureOffice, { type: 'IE118', body: { officeOfTransit: office, crossedAt: at } }),
    };
  });

export const notifyArrival = (ctx: NodeContext, p: Principal, mrn: string, office: string) =>
  runStep(ctx, mrn, (m) => {
    if (p.role === 'operator') requireOwner(p, m);
    else requireOfficerAt(p, office);
    servedHere(ctx, office);
    const at = ctx.now().toISOString();
    // The holder arrives where declared; an officer may take a diverted movement.
    const diverted = p.role === 'officer' ? divertedAtDeparture(ctx, m, office, 'destination') : { events: [] };
    return {
      events: [...diverted.events, { type: 'arrive', office }],
      change: diverted.change,
      messages:
        m.role === 'departure'
          ? arrivalElsewhere(ctx, m, office)
          : toDeparture(ctx, m.departureOffice, {
              type: 'IE006',
              body: { officeOfDestination: office, arrivedAt: at },
            }),
    };
  });

export const recordControlResults = (
  ctx: NodeContext,
  p: Principal,
  mrn: string,
  r: { office: string; conform: boolean; remarks?: string },
) =>
  runStep(ctx, mrn, (m) => {
    requireOfficerAt(p, r.office);
    servedHere(ctx, r.office);
    if (m.role === 'departure') return controlResultsAtDeparture(ctx, m, r);
    const body = {
      officeOfDestination: r.office,
      controlledAt: ctx.now().toISOString(),
      conform: r.conform,
      ...(r.remarks ? { remarks: r.remarks } : {}),
    };
    return {
      events: [resultsEvent(r)],
      messages: toDeparture(ctx, m.departureOffice, { type: 'IE018', body }),
    };
  });

/** Conform results, or discrepancies. */
const resultsEvent = (r: { office: string; conform: boolean }): MovementEvent =>
  r.conform ? { type: 'controlResults', office: r.office } : { type: 'discrepancies', office: r.office };

/** Control results reaching the office of departure (its own destination office, or IE018): conform results discharge the movement. */
export function controlResultsAtDeparture(
  ctx: NodeContext,
  m: MovementRecord,
  r: { office: string; conform: boolean },
): Step {
  // Non-conform results wait in DISCREPANCIES for customs' decision; the holder is told (IE019) by the notification.
  // Incidents en route not decided on yet hold back the write-off until customs decides (incidents.ts).
  if (!r.conform || m.openIncidents > 0) return { events: [resultsEvent(r)] };
  return dischargeStep(ctx, m, [resultsEvent(r), { type: 'writeOff' }]);
}

/** The events that end in write-off, with the guarantee given back and IE045 to the foreign offices. */
export function dischargeStep(ctx: NodeContext, m: MovementRecord, events: MovementEvent[]): Step {
  return { events, giveBack: true, messages: writeOffMessages(ctx, notifiedOffices(m), ctx.now()) };
}

/** The declared office of destination, which a diversion may have replaced. */
export const declaredDestination = (m: MovementRecord) => (m.ctd as Ctd).offices.destination;

/**
 * Every office that holds a copy of the movement: its offices of transit (declared or diverted to) and
 * of destination, and the declared destination if the goods went elsewhere (listed with the transit ones).
 */
export function notifiedOffices(m: MovementRecord): { transit: string[]; destination: string } {
  const declared = declaredDestination(m);
  const transit = declared === m.destinationOffice ? m.transitOffices : [...m.transitOffices, declared];
  return { transit, destination: m.destinationOffice };
}

/** IE024 to the declared office of destination when the goods arrived at another one. */
export function arrivalElsewhere(ctx: NodeContext, m: MovementRecord, office: string): OutboxMessage[] {
  const declared = declaredDestination(m);
  return declared === office ? [] : forwardedArrivalAdvice(ctx, declared, office, ctx.now());
}
