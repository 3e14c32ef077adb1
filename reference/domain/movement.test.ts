import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  IllegalTransitionError,
  MovementEventTypes,
  MovementStates,
  submittedMovement,
  type MovementEvent,
  type MovementEventType,
  type MovementState,
  type MovementView,
  finalStates,
  transitions,
} from './movement.ts';

const TRANSIT = ['AZ000210', 'KZ470100'];
const DESTINATION = 'KZ000010';

function inState(state: MovementState, extra: Partial<MovementView> = {}): MovementView {
  return { ...submittedMovement({ transit: TRANSIT, destination: DESTINATION }), state, ...extra };
}

/** The view the table test starts from: one incident awaiting a decision, except to write off (tested below). */
const tableView = (state: MovementState, event: MovementEventType) =>
  inState(state, event === 'writeOff' ? {} : { openIncidents: 1 });

/** One well-formed instance of each event (right offices, conform results). */
const sampleEvent: Record<MovementEventType, MovementEvent> = {
  accept: { type: 'accept' },
  reject: { type: 'reject' },
  control: { type: 'control' },
  release: { type: 'release' },
  refuse: { type: 'refuse' },
  amend: { type: 'amend' },
  cancel: { type: 'cancel' },
  awaitGuarantee: { type: 'awaitGuarantee' },
  guaranteeAccepted: { type: 'guaranteeAccepted' },
  guaranteeRefused: { type: 'guaranteeRefused', code: 'GUARANTEE_INSUFFICIENT', reason: 'not enough available' },
  cross: { type: 'cross', office: TRANSIT[0]! },
  arrive: { type: 'arrive', office: DESTINATION },
  controlResults: { type: 'controlResults', office: DESTINATION },
  discrepancies: { type: 'discrepancies', office: DESTINATION },
  resolveDiscrepancies: { type: 'resolveDiscrepancies' },
  writeOff: { type: 'writeOff' },
  limitExpired: { type: 'limitExpired' },
  enquiryAnswer: { type: 'enquiryAnswer', arrived: false },
  holderInformation: { type: 'holderInformation' },
  recover: { type: 'recover' },
  recovered: { type: 'recovered' },
  recoveryWaived: { type: 'recoveryWaived' },
  invalidate: { type: 'invalidate' },
  divertTransit: { type: 'divertTransit', office: 'GE069002' },
  divertDestination: { type: 'divertDestination', office: 'KZ000020' },
  incident: { type: 'incident', office: 'AZ000210', kind: 'transport-change' },
  incidentDecision: { type: 'incidentDecision' },
};

// The expected transition table, written out state by state.
const expected: Record<MovementState, Partial<Record<MovementEventType, MovementState>>> = {
  SUBMITTED: { accept: 'ACCEPTED', reject: 'REJECTED' },
  REJECTED: {},
  ACCEPTED: {
    control: 'UNDER_CONTROL',
    release: 'RELEASED',
    refuse: 'NOT_RELEASED',
    amend: 'ACCEPTED',
    cancel: 'CANCELLED',
    awaitGuarantee: 'AWAITING_GUARANTEE',
  },
  // Neither amended nor released while the guarantee's country has not answered; the holder may cancel.
  AWAITING_GUARANTEE: { guaranteeAccepted: 'ACCEPTED', guaranteeRefused: 'NOT_RELEASED', cancel: 'CANCELLED' },
  UNDER_CONTROL: { release: 'RELEASED', refuse: 'NOT_RELEASED' },
  RELEASED: {
    cross: 'IN_TRANSIT',
    arrive: 'ARRIVED',
    limitExpired: 'ENQUIRY',
    invalidate: 'INVALIDATED',
    divertTransit: 'RELEASED',
    divertDestination: 'RELEASED',
    incident: 'RELEASED',
    incidentDecision: 'RELEASED',
  },
  NOT_RELEASED: {},
  CANCELLED: {},
  IN_TRANSIT: {
    cross: 'IN_TRANSIT',
    arrive: 'ARRIVED',
    limitExpired: 'ENQUIRY',
    invalidate: 'INVALIDATED',
    divertTransit: 'IN_TRANSIT',
    divertDestination: 'IN_TRANSIT',
    incident: 'IN_TRANSIT',
    incidentDecision: 'IN_TRANSIT',
  },
  ARRIVED: {
    cross: 'ARRIVED',
    controlResults: 'CONTROLLED',
    discrepancies: 'DISCREPANCIES',
    incidentDecision: 'ARRIVED',
  },
  CONTROLLED: { cross: 'CONTROLLED', writeOff: 'WRITTEN_OFF', incidentDecision: 'CONTROLLED' },
  WRITTEN_OFF: {},
  ENQUIRY: {
    cross: 'ENQUIRY',
    arrive: 'ARRIVED',
    enquiryAnswer: 'ENQUIRY',
    holderInformation: 'ENQUIRY',
    recover: 'RECOVERY',
    invalidate: 'INVALIDATED',
    divertTransit: 'ENQUIRY',
    divertDestination: 'ENQUIRY',
    incident: 'ENQUIRY',
    incidentDecision: 'ENQUIRY',
  },
  DISCREPANCIES: {
    cross: 'DISCREPANCIES',
    controlResults: 'CONTROLLED',
    resolveDiscrepancies: 'CONTROLLED',
    recover: 'RECOVERY',
    incidentDecision: 'DISCREPANCIES',
  },
  RECOVERY: { recovered: 'RECOVERED', recoveryWaived: 'WRITTEN_OFF' },
  RECOVERED: {},
  INVALIDATED: {},
};

describe('movement transition table', () => {
  for (const state of MovementStates) {
    for (const eventType of MovementEventTypes) {
      const target = expected[state][eventType];
      it(`${state} --${eventType}--> ${target ?? 'IllegalTransitionError'}`, () => {
        const view = tableView(state, eventType);
        const event = sampleEvent[eventType];
        if (target) {
          expect(applyEvent(view, event).state).toBe(target);
        } else {
          let error: unknown;
          try {
            applyEvent(view, event);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(IllegalTransitionError);
          expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: state, event: eventType });
        }
      });
    }
  }

  it('keeps every final state final', () => {
    for (const state of finalStates)
      for (const event of MovementEventTypes) expect(transitions[event][state]).toBeUndefined();
  });
});

describe('movement lifecycle', () => {
  it('runs the happy path of a movement through two offices of transit', () => {
    const events: MovementEvent[] = [
      { type: 'accept' },
      { type: 'amend' },
      { type: 'release' },
      { type: 'cross', office: TRANSIT[0]! },
      { type: 'cross', office: TRANSIT[1]! },
      { type: 'arrive', office: DESTINATION },
      { type: 'controlResults', office: DESTINATION },
      { type: 'writeOff' },
    ];
    const states: MovementState[] = [];
    let view = submittedMovement({ transit: TRANSIT, destination: DESTINATION });
    for (const event of events) {
      view = applyEvent(view, event);
      states.push(view.state);
    }
    expect(states).toEqual([
      'ACCEPTED',
      'ACCEPTED',
      'RELEASED',
      'IN_TRANSIT',
      'IN_TRANSIT',
      'ARRIVED',
      'CONTROLLED',
      'WRITTEN_OFF',
    ]);
    expect(view).toMatchObject({ crossedOffices: TRANSIT, amendments: 1, conform: true });
  });

  it('does not change the view it is given', () => {
    const view = inState('RELEASED');
    const frozen = structuredClone(view);
    applyEvent(view, { type: 'cross', office: TRANSIT[0]! });
    expect(view).toEqual(frozen);
  });

  it('allows one crossing per declared office of transit, in any order', () => {
    let view = applyEvent(inState('RELEASED'), { type: 'cross', office: TRANSIT[1]! });
    view = applyEvent(view, { type: 'cross', office: TRANSIT[0]! });
    expect(view.crossedOffices).toEqual([TRANSIT[1], TRANSIT[0]]);
    expect(() => applyEvent(view, { type: 'cross', office: TRANSIT[0]! })).toThrow(/already notified/);
  });

  it('records a crossing notified after arrival without moving the state back', () => {
    let view = applyEvent(inState('RELEASED'), { type: 'arrive', office: DESTINATION });
    view = applyEvent(view, { type: 'cross', office: TRANSIT[1]! });
    expect(view).toMatchObject({ state: 'ARRIVED', crossedOffices: [TRANSIT[1]] });
    view = applyEvent(view, { type: 'controlResults', office: DESTINATION });
    view = applyEvent(view, { type: 'cross', office: TRANSIT[0]! });
    expect(view).toMatchObject({ state: 'CONTROLLED', crossedOffices: [TRANSIT[1], TRANSIT[0]] });
    expect(() => applyEvent(view, { type: 'cross', office: TRANSIT[0]! })).toThrow(/already notified/);
    expect(() => applyEvent({ ...view, state: 'WRITTEN_OFF' }, { type: 'cross', office: TRANSIT[0]! })).toThrow(
      IllegalTransitionError,
    );
  });

  it('refuses a crossing at an office that is not a declared office of transit', () => {
    expect(() => applyEvent(inState('RELEASED'), { type: 'cross', office: 'GE069002' })).toThrow(
      /not a declared office of transit/,
    );
    expect(() => applyEvent(inState('RELEASED'), { type: 'cross', office: DESTINATION })).toThrow(
      IllegalTransitionError,
    );
  });

  it('refuses arrival and control results anywhere but the declared destination', () => {
    expect(() => applyEvent(inState('IN_TRANSIT'), { type: 'arrive', office: TRANSIT[1]! })).toThrow(
      /not the declared office of destination/,
    );
    expect(() => applyEvent(inState('ARRIVED'), { type: 'controlResults', office: TRANSIT[1]! })).toThrow(
      /not the declared office of destination/,
    );
    expect(() => applyEvent(inState('ARRIVED'), { type: 'discrepancies', office: TRANSIT[1]! })).toThrow(
      /not the declared office of destination/,
    );
  });

  it('settles discrepancies with a later conform result, but takes no second result once conform', () => {
    let view = applyEvent(inState('ARRIVED'), { type: 'discrepancies', office: DESTINATION });
    expect(view).toMatchObject({ state: 'DISCREPANCIES', conform: false });
    view = applyEvent(view, { type: 'controlResults', office: DESTINATION });
    expect(view).toMatchObject({ state: 'CONTROLLED', conform: true });
    expect(() => applyEvent(view, { type: 'discrepancies', office: DESTINATION })).toThrow(IllegalTransitionError);
  });

  it('writes off discrepancies customs resolves, and recovers those it does not', () => {
    const found = applyEvent(inState('ARRIVED'), { type: 'discrepancies', office: DESTINATION });
    const resolved = applyEvent(found, { type: 'resolveDiscrepancies' });
    expect(applyEvent(resolved, { type: 'writeOff' })).toMatchObject({ state: 'WRITTEN_OFF', conform: false });
    const recovering = applyEvent(found, { type: 'recover' });
    expect(applyEvent(recovering, { type: 'recovered' }).state).toBe('RECOVERED');
  });

  it('opens an enquiry past the time limit, closed by a late arrival or leading to recovery', () => {
    const enquiry = applyEvent(inState('IN_TRANSIT'), { type: 'limitExpired' });
    expect(enquiry.state).toBe('ENQUIRY');
    expect(applyEvent(enquiry, { type: 'arrive', office: DESTINATION }).state).toBe('ARRIVED');
    const notFound = applyEvent(enquiry, { type: 'enquiryAnswer', arrived: false });
    expect(notFound).toMatchObject({ state: 'ENQUIRY', enquiryAnswer: 'not-arrived' });
    const recovering = applyEvent(applyEvent(notFound, { type: 'holderInformation' }), { type: 'recover' });
    expect(recovering.state).toBe('RECOVERY');
    expect(applyEvent(recovering, { type: 'recoveryWaived' }).state).toBe('WRITTEN_OFF');
  });

  it('awaits the arrival advice, not recovery, once the office enquired reports the goods arrived', () => {
    const answered = applyEvent(inState('ENQUIRY'), { type: 'enquiryAnswer', arrived: true });
    expect(answered).toMatchObject({ state: 'ENQUIRY', enquiryAnswer: 'arrived' });
    expect(() => applyEvent(answered, { type: 'recover' })).toThrow(/reported the goods arrived/);
    expect(() => applyEvent(answered, { type: 'enquiryAnswer', arrived: false })).toThrow(/already answered/);
    expect(applyEvent(answered, { type: 'arrive', office: DESTINATION }).state).toBe('ARRIVED');
  });

  it('takes new declared offices from an amendment and counts amendments', () => {
    const view = applyEvent(inState('ACCEPTED'), {
      type: 'amend',
      transitOffices: ['UZ000110'],
      destinationOffice: 'UZ000010',
    });
    expect(view).toMatchObject({
      state: 'ACCEPTED',
      transitOffices: ['UZ000110'],
      destinationOffice: 'UZ000010',
      amendments: 1,
    });
    const released = applyEvent(view, { type: 'release' });
    expect(() => applyEvent(released, { type: 'arrive', office: DESTINATION })).toThrow(IllegalTransitionError);
    expect(applyEvent(released, { type: 'arrive', office: 'UZ000010' }).state).toBe('ARRIVED');
  });

  it('takes a diverted office of transit or destination as the movement own, then its crossing or arrival', () => {
    const diverted = applyEvent(inState('RELEASED'), { type: 'divertTransit', office: 'GE069002' });
    expect(diverted.transitOffices).toEqual([...TRANSIT, 'GE069002']);
    expect(applyEvent(diverted, { type: 'cross', office: 'GE069002' }).state).toBe('IN_TRANSIT');
    expect(() => applyEvent(diverted, { type: 'divertTransit', office: 'GE069002' })).toThrow(/already an office/);
    const elsewhere = applyEvent(inState('IN_TRANSIT'), { type: 'divertDestination', office: 'KZ000020' });
    expect(elsewhere.destinationOffice).toBe('KZ000020');
    expect(() => applyEvent(elsewhere, { type: 'arrive', office: DESTINATION })).toThrow(IllegalTransitionError);
    expect(applyEvent(elsewhere, { type: 'arrive', office: 'KZ000020' }).state).toBe('ARRIVED');
  });

  it('writes off a movement with an incident en route only after customs decided on it', () => {
    let view = applyEvent(inState('IN_TRANSIT'), { type: 'incident', office: 'AZ000210', kind: 'seal-broken' });
    view = applyEvent(view, { type: 'incident', office: 'AZ000210', kind: 'transhipment' });
    expect(view).toMatchObject({ state: 'IN_TRANSIT', openIncidents: 2 });
    view = applyEvent(applyEvent(view, { type: 'arrive', office: DESTINATION }), {
      type: 'controlResults',
      office: DESTINATION,
    });
    expect(() => applyEvent(view, { type: 'writeOff' })).toThrow(/2 incident\(s\) en route/);
    view = applyEvent(view, { type: 'incidentDecision' });
    expect(applyEvent(view, { type: 'writeOff' }).state).toBe('WRITTEN_OFF');
    expect(() => applyEvent(view, { type: 'incidentDecision' })).toThrow(/no incident/);
  });

  it('reports the state and event in the error message', () => {
    expect(() => applyEvent(inState('WRITTEN_OFF'), { type: 'cancel' })).toThrow(
      'cancel is not allowed in state WRITTEN_OFF: only allowed in ACCEPTED',
    );
  });
});
