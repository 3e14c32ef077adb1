// One movement's whole life, every step checked and timed: lodge, release (after
// control when risk says so), crossing at each office of transit, arrival and
// control results at destination, write-off at departure with the guarantee
// reservation given back. With ICE, each step is recorded at the node of the
// office where it happens and the departure node learns of it through ICE.
// A movement labelled with an unhappy path (./movement-paths.js) plays it: past
// its time limit on the deployment's business clock, an enquiry answered or
// ending in recovery, discrepancies, a diversion, an incident, an invalidation;
// each to the end state of its path.
import { check, sleep } from 'k6';
import { nodeUrl, nodeWsUrl } from './deployment.js';
import { countryOfOffice } from './credentials.js';
import { submitCtd, getDeclaration } from './ctd.js';
import {
  presentGoods,
  releaseForTransit,
  notifyCrossing,
  notifyArrival,
  recordControlResults,
  respondToEnquiry,
  resolveDiscrepancies,
  startRecovery,
  recordRecoveryOutcome,
  invalidateMovement,
  recordIncident,
  decideIncidents,
} from './movement.js';
import { realMsUntil } from './clock.js';
import { END_STATE } from './movement-paths.js';
import { getGuarantee } from './guarantee.js';
import { openNotifications } from './notifications.js';
import {
  diversionsHandled,
  enquiryDuration,
  iceDeliveryLatency,
  incidentsRecorded,
  movementE2eDuration,
  movementPathCompleted,
  movementPathPlanned,
  movementPathStuck,
  movementStepDuration,
  movementsWrittenOff,
  notificationLatency,
  recoveryDuration,
} from './metrics.js';

const MRN = /^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[J-M][0-9]$/;

/**
 * @typedef {{ kind: string, office?: string, incident?: { type: string, country: string, office: string } }} MovementPath
 */

/**
 * With `patient` (the resilience scenario, faults injected on purpose), a request that met no
 * answer or a 5xx is sent again until the step's time runs out, as a client of a service that
 * heals would: a lodging again under its LRN (the node replays it), an action again (a 409
 * after a lost answer means it was done). Notifications are then not awaited: the stream of a
 * node restarted mid-journey is gone.
 * @param {{ deployment: import('./deployment.js').Deployment, creds: import('./credentials.js').Credentials,
 *   ctd: import('./dataset.js').Ctd, stepTimeoutMs?: number, pollMs?: number, patient?: boolean,
 *   onAccepted?: (mrn: string) => void, path?: MovementPath }} world
 *   pollMs: how often a state or an ICE delivery is polled for (coarser for many movements at once);
 *   path: the path the movement takes once released (default as declared)
 * @returns {Promise<boolean>} whether the movement reached the end state of its path (write-off as declared)
 */
export async function travel({
  deployment,
  creds,
  ctd,
  stepTimeoutMs = 10000,
  pollMs = 20,
  patient = false,
  onAccepted,
  path = { kind: 'as-declared' },
}) {
  const kind = path.kind;
  const endState = END_STATE[kind];
  if (!endState) throw new Error(`unknown movement path '${kind}'`);
  // The steps of an unhappy path are notified too, but only the declared journey's are awaited and timed.
  const declared = kind === 'as-declared';
  const holder = ctd.holder.identificationNumber;
  const operatorToken = creds.operatorToken(holder);
  const departureCountry = countryOfOffice(ctd.offices.departure);
  const departure = nodeUrl(deployment, departureCountry);
  // Without ICE one node records every event of its own movements.
  const nodeOf = (/** @type {string} */ office) =>
    deployment.ice ? nodeUrl(deployment, countryOfOffice(office)) : departure;

  const stream = patient ? undefined : await openNotifications(nodeWsUrl(deployment, departureCountry), operatorToken);
  /**
   * @param {string} mrn
   * @param {string} event
   * @param {number} since
   * @param {string} [office]
   */
  const notified = async (mrn, event, since, office) => {
    if (!stream) return true;
    const hit = await stream.waitFor(
      (n) => n.mrn === mrn && n.event === event && (office === undefined || n.office === office),
      stepTimeoutMs,
    );
    if (hit) notificationLatency.add(hit.at - since, { event });
    else console.warn(`no ${event} notification for ${mrn} (${ctd.lrn}) within ${stepTimeoutMs} ms`);
    return check(hit, { [`operator notified: ${event}`]: (h) => h !== undefined });
  };
  // A failed step says why, so a red check points at the cause.
  /**
   * @param {import('./api.js').Response} res
   * @param {string} what
   */
  const succeeded = (res, what) => {
    // Patient: a 409 after a request that met no answer means the first one was done.
    const ok = check(res, { [what]: (r) => r.status === 200 || (patient && r.status === 409 && retried.has(r)) });
    if (!ok) console.error(`${what} failed for ${ctd.lrn}: ${res.status} ${String(res.body).slice(0, 300)}`);
    return ok;
  };
  /** Responses that came after a request met no answer or a 5xx and was sent again. */
  const retried = new Set();
  /**
   * @template {{ res: import('./api.js').Response }} T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  const patiently = async (fn) => {
    const deadline = Date.now() + stepTimeoutMs;
    let again = false;
    let wait = 0.25;
    for (;;) {
      const r = await fn();
      if (again) retried.add(r.res);
      if (!patient || !(r.res.status === 0 || r.res.status >= 500) || Date.now() > deadline) return r;
      again = true;
      // Backing off, as a client should, while the part restarts.
      await sleep(wait);
      wait = Math.min(2, wait * 2);
    }
  };
  /**
   * @template {{ res: import('./api.js').Response }} T
   * @param {string} name
   * @param {() => Promise<T>} fn
   */
  const step = async (name, fn) => {
    const started = Date.now();
    const result = await patiently(fn);
    movementStepDuration.add(Date.now() - started, { step: name });
    return result;
  };
  // The departure node learns of remote events through ICE, asynchronously.
  /**
   * @param {string} mrn
   * @param {string | ((view: any) => boolean)} state  a state, or what the view must show
   * @param {number} [timeoutMs]
   */
  const reaches = async (mrn, state, timeoutMs = stepTimeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    const wanted = typeof state === 'string' ? (/** @type {any} */ b) => b.state === state : state;
    for (;;) {
      const { res, body } = await getDeclaration(departure, operatorToken, mrn);
      if ((body && wanted(body)) || Date.now() > deadline) return body;
      await sleep(patient ? (res.status === 0 || res.status >= 500 ? 1 : 0.25) : Math.max(0.05, pollMs / 1000));
    }
  };

  // An office of another country acts once ICE has brought it the anticipated
  // record (IE050 to transit, IE001 to destination) sent at release.
  /** @type {Record<string, boolean>} */
  const known = {};
  /**
   * @param {string} office
   * @param {string} message
   * @param {number} releasedAt
   */
  const anticipated = async (office, message, releasedAt) => {
    const node = nodeOf(office);
    if (node === departure || known[node]) return;
    const token = creds.officerToken(office);
    const deadline = Date.now() + stepTimeoutMs;
    for (;;) {
      const { res } = await getDeclaration(node, token, mrn, { expect: [200, 404] });
      if (res.status === 200) {
        iceDeliveryLatency.add(Date.now() - releasedAt, { message });
        known[node] = true;
        return;
      }
      if (Date.now() > deadline) {
        check(res, { [`${message} delivered to ${countryOfOffice(office)} through ICE`]: () => false });
        return;
      }
      await sleep(patient ? (res.status === 0 || res.status >= 500 ? 1 : 0.25) : pollMs / 1000);
    }
  };
  let mrn = '';
  /** Whether the node gave the movement an MRN; then it must reach the end of its path. */
  let accepted = false;
  /** The state the movement ended in at departure; undefined until it reached the end of its path. */
  let ended;

  const officerAt = (/** @type {string} */ office) => creds.officerToken(office);
  const departureOfficer = () => officerAt(ctd.offices.departure);

  /**
   * An office the declaration does not name: the first request asks departure for the
   * record (202, IE114/IE002); sent again until departure's answer (IE115/IE003) is there.
   * @param {'transit' | 'destination'} at
   * @param {string} office
   * @param {() => Promise<{ res: import('./api.js').Response, body: any }>} fn
   */
  const divert = async (at, office, fn) => {
    const since = Date.now();
    const deadline = since + stepTimeoutMs;
    let r = await fn();
    while (r.res.status === 202 && Date.now() < deadline) {
      await sleep(Math.max(0.1, pollMs / 1000));
      r = await fn();
    }
    movementStepDuration.add(Date.now() - since, { step: `diversion_${at}` });
    const ok = succeeded(r.res, `diverted to ${office} (${at}): record from departure, then the step done`);
    if (ok) diversionsHandled.add(1, { at });
    return ok;
  };

  /** @param {{ type: string, country: string, office: string }} incident */
  const recordIncidentAt = async ({ type, office }) => {
    await anticipated(office, 'IE050', Date.now());
    const recorded = await step('incident', () =>
      recordIncident(nodeOf(office), officerAt(office), mrn, {
        office,
        kind: type,
        occurredAt: new Date().toISOString(),
        description: `${type} at ${office}`,
      }),
    );
    if (!succeeded(recorded.res, `incident (${type}) recorded where it happened`)) return false;
    // Departure learns of it (IE180) before the results, so it cannot write the movement off unseen.
    const known = await reaches(mrn, (b) => b.openIncidents > 0);
    if (!check(known, { 'incident known at departure': (b) => b !== undefined && b.openIncidents > 0 })) return false;
    incidentsRecorded.add(1, { type });
    return true;
  };

  /**
   * Waits for business time to pass `at` on the departure node's clock: the real time the clock says, then the state.
   * @param {string} at  ISO business instant
   * @param {string | ((view: any) => boolean)} state
   */
  const afterBusinessTime = async (at, state) =>
    reaches(mrn, state, (await realMsUntil(departure, at)) + stepTimeoutMs);

  /**
   * The recovery office records the outcome: the debt recovered, the guarantee charged.
   * @param {any} view  departure's view in RECOVERY
   */
  const settleRecovery = async (view) => {
    const since = Date.now();
    const office = (view.recovery && view.recovery.office) || ctd.offices.departure;
    const node = nodeOf(office);
    // Recovered abroad: that office learns of it through ICE (IE150).
    if (node !== departure) {
      const deadline = Date.now() + stepTimeoutMs;
      for (;;) {
        const { body } = await getDeclaration(node, officerAt(office), mrn, { expect: [200, 404] });
        if ((body && body.recovery) || Date.now() > deadline) break;
        await sleep(Math.max(0.05, pollMs / 1000));
      }
    }
    const outcome = await step('recovery_outcome', () =>
      recordRecoveryOutcome(node, officerAt(office), mrn, { office, recovered: true, information: 'debt paid' }),
    );
    succeeded(outcome.res, 'recovery outcome recorded by the recovering office');
    const recovered = await reaches(mrn, 'RECOVERED');
    if (recovered && recovered.state === 'RECOVERED') recoveryDuration.add(Date.now() - since);
    return recovered;
  };

  const started = Date.now();
  try {
    const lodged = await step('submit', () => submitCtd(departure, operatorToken, ctd));
    if (
      !check(lodged, {
        // Patient: a lodging sent again after no answer is replayed by the node.
        'CTD accepted as a new movement with a valid MRN': (r) =>
          r.accepted && MRN.test(String(r.mrn)) && (r.body.replayed === false || (patient && retried.has(r.res))),
      })
    ) {
      console.error(`CTD ${ctd.lrn} not accepted: ${lodged.res.status} ${lodged.res.body}`);
      return false;
    }
    // The check above saw a valid MRN.
    mrn = /** @type {string} */ (lodged.mrn);
    accepted = true;
    movementPathPlanned.add(1, { path: kind });
    if (onAccepted) onAccepted(mrn);
    let releasedAt = Date.now();
    await notified(mrn, 'accept', started);
    let state = lodged.state;
    if (state === 'ACCEPTED') {
      // Pre-lodged: customs decides once the goods are presented.
      const presented = await step('presentation', () => presentGoods(departure, operatorToken, mrn));
      succeeded(presented.res, 'goods presented for a pre-lodged CTD');
      state = presented.body && presented.body.state;
    }
    if (state === 'UNDER_CONTROL') {
      const since = Date.now();
      const released = await step('release', () => releaseForTransit(departure, departureOfficer(), mrn));
      succeeded(released.res, 'officer releases after control');
      releasedAt = Date.now();
      await notified(mrn, 'release', since);
    }
    const atRelease = (await patiently(() => getDeclaration(departure, operatorToken, mrn))).body;
    const reservation = atRelease && atRelease.reservation;
    // A waiver (type 0) is held at release like any guarantee, but reserves nothing.
    const waiver = ctd.guarantees.every((/** @type {{ type: string }} */ g) => g.type === '0');
    check(atRelease, {
      'movement released for transit': (b) => b !== undefined && b.state === 'RELEASED',
      'every guarantee reserved at release': (b) =>
        b !== undefined &&
        b.reservations.length > 0 &&
        b.reservations.every((/** @type {{ held: boolean }} */ r) => r.held) &&
        reservation !== null &&
        (waiver ? reservation.amount === 0 : reservation.amount > 0),
    });
    const grn = reservation ? reservation.grn : ctd.guarantees[0].references[0].grn;
    const guaranteeAtRelease = (await patiently(() => getGuarantee(departure, operatorToken, grn))).body;
    check(guaranteeAtRelease, {
      'guarantee exposure includes the reservation': (g) =>
        g !== undefined && reservation && g.reserved >= reservation.amount,
    });
    /** @type {any} */
    let last;

    if (kind === 'invalidated') {
      const invalidated = await step('invalidation', () =>
        invalidateMovement(departure, departureOfficer(), mrn, { reason: 'released in error: goods not loaded' }),
      );
      succeeded(invalidated.res, 'customs invalidates the released movement');
      last = invalidated.body;
    } else {
      const incident = kind === 'incident' ? path.incident : undefined;
      // Where the route changes transport means: at departure (a rail entry from China) or a port of transit.
      if (incident && !ctd.offices.transit.includes(incident.office) && !(await recordIncidentAt(incident)))
        return false;
      let diverted = false;
      for (const declaredOffice of ctd.offices.transit) {
        // Diverted: presented at the next crossing of the same country instead of the declared one.
        if (
          kind === 'diverted-transit' &&
          !diverted &&
          path.office &&
          countryOfOffice(path.office) === countryOfOffice(declaredOffice)
        ) {
          const office = path.office;
          diverted = true;
          if (
            !(await divert('transit', office, () =>
              notifyCrossing(nodeOf(office), officerAt(office), mrn, {
                office,
                officeOfDeparture: ctd.offices.departure,
              }),
            ))
          )
            return false;
          continue;
        }
        await anticipated(declaredOffice, 'IE050', releasedAt);
        if (incident && incident.office === declaredOffice && !(await recordIncidentAt(incident))) return false;
        const since = Date.now();
        const crossed = await step('crossing', () =>
          notifyCrossing(nodeOf(declaredOffice), officerAt(declaredOffice), mrn, { office: declaredOffice }),
        );
        succeeded(crossed.res, 'crossing recorded at office of transit');
        if (declared) await notified(mrn, 'cross', since, declaredOffice);
      }
      if (kind === 'diverted-transit' && !check(diverted, { 'diversion at transit played': (d) => d })) return false;
      if (declared && ctd.offices.transit.length) {
        // Every crossing known at departure. A movement whose limit date passed on the way stays under
        // the enquiry that opened (a crossing does not close it; the arrival will): waiting for IN_TRANSIT
        // then would only let the enquiry period run out.
        const crossedAll = (/** @type {any} */ b) =>
          Array.isArray(b.crossedOffices) &&
          ctd.offices.transit.every((/** @type {string} */ o) => b.crossedOffices.includes(o));
        const crossed = await reaches(mrn, crossedAll);
        check(crossed, {
          'departure sees every crossing, the movement in transit (or under enquiry past its limit)': (b) =>
            b !== undefined && crossedAll(b) && (b.state === 'IN_TRANSIT' || b.state === 'ENQUIRY'),
        });
      }

      const destination = ctd.offices.destination;
      // The declared destination holds the record before any wait, so its delivery time is ICE's alone.
      if (kind !== 'diverted-destination') await anticipated(destination, 'IE001', releasedAt);
      const limitDate = atRelease && atRelease.limitDate;
      if (kind === 'late-arrival') {
        // Arrives once business time has passed the limit date (an enquiry may have opened meanwhile).
        const since = Date.now();
        const deadline = since + (await realMsUntil(departure, limitDate)) + stepTimeoutMs;
        let left = Infinity;
        while (Date.now() < deadline && (left = await realMsUntil(departure, limitDate)) > 0)
          await sleep(Math.max(0.05, Math.min(left, stepTimeoutMs) / 1000));
        movementStepDuration.add(Date.now() - since, { step: 'time_limit' });
        if (!check(left, { 'business time past the limit date': (l) => l === 0 })) return false;
      }

      if (kind === 'enquiry-arrival' || kind === 'enquiry-recovery') {
        // Past the limit, departure opens the enquiry and asks destination (IE142).
        let since = Date.now();
        const opened = await afterBusinessTime(limitDate, 'ENQUIRY');
        movementStepDuration.add(Date.now() - since, { step: 'time_limit' });
        if (!check(opened, { 'enquiry opened past the limit date': (b) => b !== undefined && b.state === 'ENQUIRY' }))
          return false;
        const enquiryOpened = Date.now();
        const destinationNode = nodeOf(destination);
        const deadline = Date.now() + stepTimeoutMs;
        for (;;) {
          const { body } = await getDeclaration(destinationNode, officerAt(destination), mrn, { expect: [200, 404] });
          if ((body && body.enquiry) || Date.now() > deadline) break;
          await sleep(Math.max(0.05, pollMs / 1000));
        }
        const goodsArrived = kind === 'enquiry-arrival';
        since = Date.now();
        const answered = await step('enquiry_response', () =>
          respondToEnquiry(destinationNode, officerAt(destination), mrn, { office: destination, goodsArrived }),
        );
        if (!succeeded(answered.res, `office enquired answers (goods ${goodsArrived ? 'arrived' : 'not arrived'})`))
          return false;
        if (!goodsArrived) {
          // Not arrived: recovery starts once the enquiry period (business time) is over.
          const recovery = await afterBusinessTime(opened.enquiry.replyBy, 'RECOVERY');
          if (!check(recovery, { 'recovery started after the enquiry period': (b) => b && b.state === 'RECOVERY' }))
            return false;
          enquiryDuration.add(Date.now() - enquiryOpened, { outcome: 'recovery' });
          last = await settleRecovery(recovery);
        } else {
          const known = await reaches(mrn, (b) => b.enquiry && b.enquiry.answer === 'arrived');
          check(known, { 'departure knows the goods arrived': (b) => b && b.enquiry.answer === 'arrived' });
          enquiryDuration.add(Date.now() - enquiryOpened, { outcome: 'arrival' });
        }
      }

      if (kind !== 'enquiry-recovery') {
        let office = destination;
        if (kind === 'diverted-destination' && path.office) {
          office = path.office;
          const actual = office;
          if (
            !(await divert('destination', actual, () =>
              notifyArrival(nodeOf(actual), officerAt(actual), mrn, {
                office: actual,
                officeOfDeparture: ctd.offices.departure,
              }),
            ))
          )
            return false;
        } else {
          const since = Date.now();
          const arrived = await step('arrival', () =>
            notifyArrival(nodeOf(destination), officerAt(destination), mrn, { office: destination }),
          );
          succeeded(arrived.res, 'arrival recorded at destination');
          if (declared) await notified(mrn, 'arrive', since);
        }

        const conform = kind !== 'discrepancies-resolved' && kind !== 'discrepancies-recovery';
        const since = Date.now();
        const results = await step('control_results', () =>
          recordControlResults(nodeOf(office), officerAt(office), mrn, { office, conform }),
        );
        succeeded(results.res, 'control results recorded');
        if (declared) await notified(mrn, 'writeOff', since);

        if (!conform) {
          const discrepancies = await reaches(mrn, 'DISCREPANCIES');
          if (!check(discrepancies, { 'departure holds the discrepancies': (b) => b && b.state === 'DISCREPANCIES' }))
            return false;
          if (kind === 'discrepancies-resolved') {
            const resolved = await step('discrepancies_resolution', () =>
              resolveDiscrepancies(departure, departureOfficer(), mrn, { information: 'counted again: conform' }),
            );
            succeeded(resolved.res, 'customs at departure resolves the discrepancies');
          } else {
            const recovery = await step('recovery', () =>
              startRecovery(departure, departureOfficer(), mrn, { reason: 'goods missing at destination' }),
            );
            if (!succeeded(recovery.res, 'customs at departure starts recovery')) return false;
            last = await settleRecovery(recovery.body);
          }
        } else if (kind === 'incident') {
          // Conform results leave it CONTROLLED until customs at departure decides on the incident.
          const controlled = await reaches(mrn, 'CONTROLLED');
          if (!check(controlled, { 'incident awaits the decision': (b) => b && b.state === 'CONTROLLED' }))
            return false;
          const decided = await step('incident_decision', () =>
            decideIncidents(departure, departureOfficer(), mrn, {}),
          );
          succeeded(decided.res, 'customs at departure decides on the incident');
        }
      }
    }

    if (!last || last.state !== endState) last = await reaches(mrn, endState);
    const done = check(last, {
      'movement reached the end state of its path': (b) => b !== undefined && b.state === endState,
    });
    // Per movement: other journeys may reserve on the same comprehensive guarantee meanwhile,
    // so its total says nothing of this movement's own reservation.
    check(last, {
      [endState === 'RECOVERED' ? 'guarantee charged at recovery' : 'reservations given back at the end']: (b) =>
        b !== undefined &&
        reservation &&
        b.reservation === null &&
        b.reservations.every((/** @type {{ held: boolean }} */ r) => !r.held),
    });
    if (done) {
      ended = endState;
      movementE2eDuration.add(Date.now() - started, { path: kind });
      movementPathCompleted.add(1, { path: kind, end: endState });
      if (endState === 'WRITTEN_OFF') movementsWrittenOff.add(1);
    }
    return done;
  } finally {
    if (stream) stream.close();
    // Accepted and not at the end of its path: stuck (the check that failed says where).
    if (accepted && ended === undefined) {
      movementPathStuck.add(1, { path: kind });
      const { body } = await getDeclaration(departure, operatorToken, mrn);
      console.error(
        `movement ${mrn} (${ctd.lrn}) did not reach ${endState} on its path ${kind}: ` +
          `${body ? `${body.state}, ${body.openIncidents} open incident(s)` : 'not readable'} at departure`,
      );
    }
  }
}
