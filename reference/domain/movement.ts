// The life of one movement as the office of departure sees it (NCTS phase 5,
// transit.md §1.3). A node that is office of transit or destination for a
// movement declared elsewhere starts its copy at RELEASED, from the IE050/IE001
// it received, and applies the same events.
//
// Every event either yields the next view or throws IllegalTransitionError;
// an event never silently does nothing.

import { MovementStates, type MovementState } from '../spec/movement-state.ts';

export { MovementStates, type MovementState };

export type MovementEvent =
  | { type: 'accept' }
  | { type: 'reject' }
  | { type: 'control' }
  | { type: 'release' }
  | { type: 'refuse' }
  /** New offices replace the declared ones when given (a CTD amendment may change the route). */
  | { type: 'amend'; transitOffices?: readonly string[]; destinationOffice?: string }
  | { type: 'cancel' }
  /** The guarantees are registered in another country: departure asks it to reserve (IE203). */
  | { type: 'awaitGuarantee' }
  /** The guarantee's country reserved (IE205 accepted): release or control follows as for a local guarantee. */
  | { type: 'guaranteeAccepted' }
  /** The guarantee's country refused (IE205), or did not answer in time: an IE055-like refusal, not released. */
  | { type: 'guaranteeRefused'; code: string; reason: string }
  | { type: 'cross'; office: string }
  | { type: 'arrive'; office: string }
  /** Conform control results, or conform results settling earlier discrepancies (IE049). */
  | { type: 'controlResults'; office: string }
  /** Non-conform control results (IE018 with discrepancies; IE019 to the holder). */
  | { type: 'discrepancies'; office: string }
  /** Customs decides the discrepancies are settled (minor, explained): the movement can be written off. */
  | { type: 'resolveDiscrepancies' }
  | { type: 'writeOff' }
  /** The time limit passed without arrival: departure opens an enquiry. */
  | { type: 'limitExpired' }
  /** The office enquired answers (IE143): the goods arrived there or not. */
  | { type: 'enquiryAnswer'; arrived: boolean }
  /** The holder answers the request on the non-arrived movement (IE141). */
  | { type: 'holderInformation' }
  /** Customs starts recovery of the debt (IE150): the enquiry or the discrepancies did not clear the movement. */
  | { type: 'recover' }
  /** Goods presented at an office of transit the declaration does not name (IE114/IE115): it becomes one. */
  | { type: 'divertTransit'; office: string }
  /** Goods presented at an office of destination the declaration does not name (IE002/IE003): it becomes the one. */
  | { type: 'divertDestination'; office: string }
  /** An incident en route recorded by the competent office of the country where it happened (IE180). */
  | { type: 'incident'; office: string; kind: IncidentKind }
  /** Customs at departure decides on the incidents recorded: the movement may then be written off. */
  | { type: 'incidentDecision' }
  /** Customs invalidates the declaration after release, before the goods arrive (IE009, IE010). */
  | { type: 'invalidate' }
  /** The debt was recovered: the guarantee is charged (IE152). */
  | { type: 'recovered' }
  /** Recovery found nothing due: the movement is discharged and the guarantee given back. */
  | { type: 'recoveryWaived' };

export type MovementEventType = MovementEvent['type'];

/** Incidents en route (NCTS IE180 incident codes, simplified). */
export const IncidentKinds = ['transhipment', 'transport-change', 'seal-broken', 'accident'] as const;
export type IncidentKind = (typeof IncidentKinds)[number];

export const MovementEventTypes: readonly MovementEventType[] = [
  'accept',
  'reject',
  'control',
  'release',
  'refuse',
  'amend',
  'cancel',
  'awaitGuarantee',
  'guaranteeAccepted',
  'guaranteeRefused',
  'cross',
  'arrive',
  'controlResults',
  'discrepancies',
  'resolveDiscrepancies',
  'writeOff',
  'limitExpired',
  'enquiryAnswer',
  'holderInformation',
  'recover',
  'recovered',
  'recoveryWaived',
  'invalidate',
  'divertTransit',
  'divertDestination',
  'incident',
  'incidentDecision',
];

export interface MovementView {
  state: MovementState;
  /** Declared offices of transit, in itinerary order. */
  transitOffices: readonly string[];
  /** Offices of transit whose crossing has been notified, in the order notified. */
  crossedOffices: readonly string[];
  destinationOffice: string;
  amendments: number;
  /** Outcome of the latest control results at destination; undefined before any. */
  conform?: boolean;
  /** The answer of the office enquired about a movement past its time limit (IE143); undefined before any. */
  enquiryAnswer?: 'arrived' | 'not-arrived';
  /** Incidents recorded en route that customs at departure has not decided on yet. */
  openIncidents?: number;
}

/**
 * From which states each event is allowed, and the state it leads to. Office
 * and conformity conditions on top of this table are checked in applyEvent.
 */
export const transitions: Readonly<Record<MovementEventType, Partial<Record<MovementState, MovementState>>>> = {
  accept: { SUBMITTED: 'ACCEPTED' },
  reject: { SUBMITTED: 'REJECTED' },
  control: { ACCEPTED: 'UNDER_CONTROL' },
  release: { ACCEPTED: 'RELEASED', UNDER_CONTROL: 'RELEASED' },
  refuse: { ACCEPTED: 'NOT_RELEASED', UNDER_CONTROL: 'NOT_RELEASED' },
  // Not once customs has decided to control the goods (UCC Art. 173(2)(a)).
  amend: { ACCEPTED: 'ACCEPTED' },
  // Likewise invalidation at the holder's request (UCC Art. 174(1)).
  cancel: { ACCEPTED: 'CANCELLED', AWAITING_GUARANTEE: 'CANCELLED' },
  // A guarantee of another country: the MRN is allocated, the answer to IE203 decides.
  awaitGuarantee: { ACCEPTED: 'AWAITING_GUARANTEE' },
  guaranteeAccepted: { AWAITING_GUARANTEE: 'ACCEPTED' },
  guaranteeRefused: { AWAITING_GUARANTEE: 'NOT_RELEASED' },
  // A crossing notified after arrival (IE118 overtaken by IE006 in the exchange),
  // or after the time limit, is recorded without moving the state.
  cross: {
    RELEASED: 'IN_TRANSIT',
    IN_TRANSIT: 'IN_TRANSIT',
    ARRIVED: 'ARRIVED',
    CONTROLLED: 'CONTROLLED',
    ENQUIRY: 'ENQUIRY',
    DISCREPANCIES: 'DISCREPANCIES',
  },
  // Crossings are not required before arrival: a transit office may fail to notify.
  // An arrival after the time limit closes the enquiry.
  arrive: { RELEASED: 'ARRIVED', IN_TRANSIT: 'ARRIVED', ENQUIRY: 'ARRIVED' },
  // A conform result after a non-conform one settles the discrepancies (IE049).
  controlResults: { ARRIVED: 'CONTROLLED', DISCREPANCIES: 'CONTROLLED' },
  discrepancies: { ARRIVED: 'DISCREPANCIES' },
  resolveDiscrepancies: { DISCREPANCIES: 'CONTROLLED' },
  writeOff: { CONTROLLED: 'WRITTEN_OFF' },
  limitExpired: { RELEASED: 'ENQUIRY', IN_TRANSIT: 'ENQUIRY' },
  enquiryAnswer: { ENQUIRY: 'ENQUIRY' },
  holderInformation: { ENQUIRY: 'ENQUIRY' },
  recover: { ENQUIRY: 'RECOVERY', DISCREPANCIES: 'RECOVERY' },
  recovered: { RECOVERY: 'RECOVERED' },
  recoveryWaived: { RECOVERY: 'WRITTEN_OFF' },
  // The holder's cancellation ends at release (cancel above); customs may still invalidate until arrival,
  // also once the limit date has passed without it.
  invalidate: { RELEASED: 'INVALIDATED', IN_TRANSIT: 'INVALIDATED', ENQUIRY: 'INVALIDATED' },
  // Diversions change the offices, not the state: the crossing or arrival there follows.
  divertTransit: { RELEASED: 'RELEASED', IN_TRANSIT: 'IN_TRANSIT', ENQUIRY: 'ENQUIRY' },
  divertDestination: { RELEASED: 'RELEASED', IN_TRANSIT: 'IN_TRANSIT', ENQUIRY: 'ENQUIRY' },
  // Incidents happen en route, before arrival; the decision on them may come at any point before write-off.
  incident: { RELEASED: 'RELEASED', IN_TRANSIT: 'IN_TRANSIT', ENQUIRY: 'ENQUIRY' },
  incidentDecision: {
    RELEASED: 'RELEASED',
    IN_TRANSIT: 'IN_TRANSIT',
    ENQUIRY: 'ENQUIRY',
    ARRIVED: 'ARRIVED',
    CONTROLLED: 'CONTROLLED',
    DISCREPANCIES: 'DISCREPANCIES',
  },
};

export const finalStates: ReadonlySet<MovementState> = new Set([
  'REJECTED',
  'NOT_RELEASED',
  'CANCELLED',
  'WRITTEN_OFF',
  'RECOVERED',
  'INVALIDATED',
]);

/** States in which the movement's guarantee reservation is held. */
export const guaranteeHeldStates: ReadonlySet<MovementState> = new Set([
  'RELEASED',
  'IN_TRANSIT',
  'ARRIVED',
  'CONTROLLED',
  'ENQUIRY',
  'DISCREPANCIES',
  'RECOVERY',
]);

export class IllegalTransitionError extends Error {
  readonly code = 'ILLEGAL_TRANSITION' as const;
  constructor(
    readonly from: MovementState,
    readonly event: MovementEventType,
    reason: string,
  ) {
    super(`${event} is not allowed in state ${from}: ${reason}`);
    this.name = 'IllegalTransitionError';
  }
}

/** A movement just lodged with the given declared offices. */
export function submittedMovement(offices: { transit: readonly string[]; destination: string }): MovementView {
  return {
    state: 'SUBMITTED',
    transitOffices: [...offices.transit],
    crossedOffices: [],
    destinationOffice: offices.destination,
    amendments: 0,
  };
}

export function applyEvent(movement: MovementView, event: MovementEvent): MovementView {
  const from = movement.state;
  const to = transitions[event.type][from];
  if (!to) {
    const allowed = Object.keys(transitions[event.type]).join(', ');
    throw new IllegalTransitionError(from, event.type, `only allowed in ${allowed}`);
  }
  const illegal = (reason: string) => new IllegalTransitionError(from, event.type, reason);

  switch (event.type) {
    case 'amend':
      return {
        ...movement,
        state: to,
        transitOffices: event.transitOffices ? [...event.transitOffices] : movement.transitOffices,
        destinationOffice: event.destinationOffice ?? movement.destinationOffice,
        amendments: movement.amendments + 1,
      };
    case 'cross':
      if (!movement.transitOffices.includes(event.office))
        throw illegal(`${event.office} is not a declared office of transit`);
      if (movement.crossedOffices.includes(event.office)) throw illegal(`crossing at ${event.office} already notified`);
      return { ...movement, state: to, crossedOffices: [...movement.crossedOffices, event.office] };
    case 'arrive':
      if (event.office !== movement.destinationOffice)
        throw illegal(`${event.office} is not the declared office of destination`);
      return { ...movement, state: to };
    case 'controlResults':
    case 'discrepancies':
      if (event.office !== movement.destinationOffice)
        throw illegal(`${event.office} is not the declared office of destination`);
      return { ...movement, state: to, conform: event.type === 'controlResults' };
    case 'divertTransit':
      if (movement.transitOffices.includes(event.office) || event.office === movement.destinationOffice)
        throw illegal(`${event.office} is already an office of the movement`);
      return { ...movement, state: to, transitOffices: [...movement.transitOffices, event.office] };
    case 'divertDestination':
      if (event.office === movement.destinationOffice)
        throw illegal(`${event.office} is already the office of destination`);
      return { ...movement, state: to, destinationOffice: event.office };
    case 'incident':
      return { ...movement, state: to, openIncidents: (movement.openIncidents ?? 0) + 1 };
    case 'incidentDecision':
      if (!movement.openIncidents) throw illegal('no incident awaits a decision');
      return { ...movement, state: to, openIncidents: 0 };
    case 'writeOff':
      if (movement.openIncidents)
        throw illegal(`${movement.openIncidents} incident(s) en route await customs' decision`);
      return { ...movement, state: to };
    case 'enquiryAnswer':
      if (movement.enquiryAnswer !== undefined)
        throw illegal(`the enquiry was already answered (${movement.enquiryAnswer})`);
      return { ...movement, state: to, enquiryAnswer: event.arrived ? 'arrived' : 'not-arrived' };
    case 'recover':
      // The office enquired said the goods arrived: their arrival advice and results are awaited, not a debt.
      if (movement.enquiryAnswer === 'arrived') throw illegal('the office enquired reported the goods arrived');
      return { ...movement, state: to };
    default:
      return { ...movement, state: to };
  }
}
