// Movements of a data set played along the path each is labelled with
// (./movement-paths.js): which movements a deployment can serve, whether its
// business clock lets the paths that need time pass run, one movement's play,
// and the per-path figures the summary must carry.
import { Counter } from 'k6/metrics';
import { countryOfOffice } from './credentials.js';
import { readClock } from './clock.js';
import { travel } from './journey.js';
import { END_STATE, pathOf, TIME_PATHS, timeTravel } from './movement-paths.js';
import { envNumber } from './schedule.js';

/** Labelled movements not played: their path needs business time the deployment's clock does not run fast enough. */
const movementPathSkipped = new Counter('movement_path_skipped');

/** Business days the slowest time path spans: a limit date (up to about a month) and the 28-day enquiry period. */
const TIME_PATH_DAYS = 60;

/**
 * @typedef {{ ctd: import('./dataset.js').Ctd, path: import('./journey.js').MovementPath }} LabelledMovement
 */

/**
 * Valid movements whose every office has a node (with ICE) or that stay in their departure country
 * (without), each with its path, in data-set order.
 * @param {import('./dataset.js').CtdRecord[]} records
 * @param {import('./deployment.js').Deployment} deployment
 * @param {(record: import('./dataset.js').CtdRecord) => boolean} [also]
 * @returns {LabelledMovement[]}
 */
export function servedMovements(records, deployment, also = () => true) {
  return records
    .filter((e) => {
      if (e.defect || !deployment.nodes[e.country] || !also(e)) return false;
      const o = e.ctd.offices;
      const p = pathOf(e);
      const served = (/** @type {string} */ office) =>
        deployment.ice ? Boolean(deployment.nodes[countryOfOffice(office)]) : countryOfOffice(office) === e.country;
      return (
        served(o.destination) &&
        o.transit.every(served) &&
        (!p.office || served(p.office)) &&
        (!p.incident || served(p.incident.office))
      );
    })
    .map((e) => ({ ctd: e.ctd, path: pathOf(e) }));
}

/**
 * The thresholds of a scenario playing labelled movements: its SLOs (`checksRate`, and from `env`
 * SLO_E2E_P95_MS for the declared path, the other paths waiting for business time by design, and
 * SLO_ICE_P95_MS), the figures every summary carries, and each path's planned, completed and
 * (none) stuck.
 * @param {{ length: number, [i: number]: LabelledMovement }} movements  a SharedArray: indexed, no array methods
 * @param {Record<string, string>} env  __ENV
 * @param {number} checksRate
 * @returns {Record<string, string[]>}
 */
export function journeyThresholds(movements, env, checksRate) {
  /** @type {Record<string, string[]>} */
  const out = {
    checks: [`rate>${checksRate}`],
    http_req_failed: ['rate<0.01'],
    // Every movement played ends at the end of its path: none left open.
    movement_path_completed: ['count>0'],
    'movement_e2e_duration{path:as-declared}': [`p(95)<${envNumber(env, 'SLO_E2E_P95_MS', 30000)}`],
    ice_delivery_latency: [`p(95)<${envNumber(env, 'SLO_ICE_P95_MS', 5000)}`],
    'movement_step_duration{step:submit}': [],
    'movement_step_duration{step:release}': [],
    'movement_step_duration{step:crossing}': [],
    'movement_step_duration{step:arrival}': [],
    'movement_step_duration{step:control_results}': [],
    'ice_delivery_latency{message:IE050}': [],
    'ice_delivery_latency{message:IE001}': [],
    enquiry_duration: [],
    recovery_duration: [],
    diversions_handled: [],
    incidents_recorded: [],
    movement_path_stuck: ['count==0'],
  };
  /** @type {Set<string>} */
  const kinds = new Set();
  for (let i = 0; i < movements.length; i++) kinds.add(movements[i].path.kind);
  for (const kind of Object.keys(END_STATE)) {
    if (!kinds.has(kind)) continue;
    out[`movement_path_planned{path:${kind}}`] = [];
    out[`movement_path_completed{path:${kind}}`] = [];
    out[`movement_path_stuck{path:${kind}}`] = ['count==0'];
    out[`movement_path_skipped{path:${kind}}`] = [];
  }
  return out;
}

/**
 * For setup(): whether the time paths can run, said once on the console when they cannot.
 * @param {import('./deployment.js').Deployment} deployment
 * @param {number} waitSeconds  the longest real wait a movement may have for business time
 */
export async function businessTimeFor(deployment, waitSeconds) {
  const minFactor = Math.ceil((TIME_PATH_DAYS * 86400) / waitSeconds);
  const travelTime = await timeTravel(deployment, readClock, minFactor);
  if (!travelTime.possible)
    console.warn(
      `business time: ${travelTime.reason}; movements on ${TIME_PATHS.join(', ')} are not played ` +
        `(they need ${TIME_PATH_DAYS} business days within ${waitSeconds} s: start the deployment with --time-factor ${minFactor} or more)`,
    );
  else console.log(`business time runs ${travelTime.factor}× real time: every path is played`);
  return travelTime;
}

/**
 * Plays one movement along its path under `lrn`.
 * @param {{ deployment: import('./deployment.js').Deployment, creds: import('./credentials.js').Credentials,
 *   movement: LabelledMovement, lrn: string, timePaths: boolean, stepTimeoutMs: number, pollMs: number }} o
 *   timePaths: whether the deployment's clock lets the paths that need business time run
 * @returns {Promise<boolean>} whether it reached the end state of its path (false when not played)
 */
export async function playLabelled({ deployment, creds, movement, lrn, timePaths, stepTimeoutMs, pollMs }) {
  if (!timePaths && TIME_PATHS.includes(movement.path.kind)) {
    movementPathSkipped.add(1, { path: movement.path.kind });
    return false;
  }
  return travel({
    deployment,
    creds,
    ctd: Object.assign({}, movement.ctd, { lrn }),
    path: movement.path,
    stepTimeoutMs,
    pollMs,
  });
}
