// One movement's whole life, every step checked and timed: lodge, release (after
// control when risk says so), crossing at each office of transit, arrival and
// control results at destination, write-off at departure with the guarantee
// reservation given back. With ICE, each step is recorded at the node of the
// office where it happens and the departure node learns of it through ICE.
import { check, sleep } from 'k6';
import { nodeUrl, nodeWsUrl } from './deployment.js';
import { countryOfOffice } from './credentials.js';
import { submitCtd, getDeclaration } from './ctd.js';
import { presentGoods, releaseForTransit, notifyCrossing, notifyArrival, recordControlResults } from './movement.js';
import { getGuarantee } from './guarantee.js';
import { openNotifications } from './notifications.js';
import {
  iceDeliveryLatency,
  movementE2eDuration,
  movementStepDuration,
  movementsWrittenOff,
  notificationLatency,
} from './metrics.js';

const MRN = /^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[J-M][0-9]$/;

/**
 * With `patient` (the resilience scenario, faults injected on purpose), a request that met no
 * answer or a 5xx is sent again until the step's time runs out, as a client of a service that
 * heals would: a lodging again under its LRN (the node replays it), an action again (a 409
 * after a lost answer means it was done). Notifications are then not awaited: the stream of a
 * node restarted mid-journey is gone.
 * @param {{ deployment: import('./deployment.js').Deployment, creds: import('./credentials.js').Credentials,
 *   ctd: import('./dataset.js').Ctd, stepTimeoutMs?: number, pollMs?: number, patient?: boolean,
 *   onAccepted?: (mrn: string) => void }} world
 *   pollMs: how often a state or an ICE delivery is polled for (coarser for many movements at once)
 * @returns {Promise<boolean>} whether the movement reached write-off
 */
export async function travel({
  deployment,
  creds,
  ctd,
  stepTimeoutMs = 10000,
  pollMs = 20,
  patient = false,
  onAccepted,
}) {
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
   * @param {string} state
   */
  const reaches = async (mrn, state) => {
    const deadline = Date.now() + stepTimeoutMs;
    for (;;) {
      const { res, body } = await getDeclaration(departure, operatorToken, mrn);
      if ((body && body.state === state) || Date.now() > deadline) return body;
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
  /** @type {string} */
  let mrn;

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
      const released = await step('release', () =>
        releaseForTransit(departure, creds.officerToken(ctd.offices.departure), mrn),
      );
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

    for (const office of ctd.offices.transit) {
      await anticipated(office, 'IE050', releasedAt);
      const since = Date.now();
      const crossed = await step('crossing', () =>
        notifyCrossing(nodeOf(office), creds.officerToken(office), mrn, { office }),
      );
      succeeded(crossed.res, 'crossing recorded at office of transit');
      await notified(mrn, 'cross', since, office);
    }
    if (ctd.offices.transit.length) {
      const inTransit = await reaches(mrn, 'IN_TRANSIT');
      check(inTransit, {
        'departure sees the movement in transit': (b) => b !== undefined && b.state === 'IN_TRANSIT',
      });
    }

    const destination = ctd.offices.destination;
    await anticipated(destination, 'IE001', releasedAt);
    let since = Date.now();
    const arrived = await step('arrival', () =>
      notifyArrival(nodeOf(destination), creds.officerToken(destination), mrn, { office: destination }),
    );
    succeeded(arrived.res, 'arrival recorded at destination');
    await notified(mrn, 'arrive', since);

    since = Date.now();
    const results = await step('control_results', () =>
      recordControlResults(nodeOf(destination), creds.officerToken(destination), mrn, {
        office: destination,
        conform: true,
      }),
    );
    succeeded(results.res, 'control results recorded');
    await notified(mrn, 'writeOff', since);
    const writtenOff = await reaches(mrn, 'WRITTEN_OFF');
    const done = check(writtenOff, {
      'movement written off at departure': (b) => b !== undefined && b.state === 'WRITTEN_OFF',
    });
    // Per movement: other journeys may reserve on the same comprehensive guarantee meanwhile,
    // so its total says nothing of this movement's own reservation.
    check(writtenOff, {
      'reservations given back at write-off': (b) =>
        b !== undefined &&
        reservation &&
        b.reservation === null &&
        b.reservations.every((/** @type {{ held: boolean }} */ r) => !r.held),
    });
    if (done) {
      movementE2eDuration.add(Date.now() - started);
      movementsWrittenOff.add(1);
    }
    return done;
  } finally {
    if (stream) stream.close();
  }
}
