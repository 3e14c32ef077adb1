// full-journey: movements along the corridor's routes (KZ→AZ→GE and the
// others the deployment's countries cover), each from lodging to the end of the
// path its data set labels it with (written off as declared; late, enquired
// about, recovered, with discrepancies, diverted, with an incident or
// invalidated otherwise), every step at the node of the office where it happens
// and ICE carrying the records between them; paths that need business time (the
// time limit, the enquiry period) wait what the deployment's clock (GET
// /v1/clock) says, so they run only on a clock running fast (`up --time-factor`).
// Timed per step (movement_step_duration{step}), end to end per path
// (movement_e2e_duration{path}) and per ICE delivery (ice_delivery_latency);
// counted per path (movement_path_planned/completed/stuck{path}).
// With DAY=1 it plays the data set's day instead: every valid movement once,
// under its own LRN, each to its planned end, `VUS` at a time; with PER_PATH=N,
// the first N movements of each path the data set has, once each.
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties, relodgeable } from './lib/dataset.js';
import { credentialIndex } from './lib/credentials.js';
import { businessTimeFor, journeyThresholds, playLabelled, servedMovements } from './lib/labelled-journey.js';
import { uniqueLrn } from './lib/lrn.js';
import { duration, envNumber, seconds } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const ROUTES = __ENV.ROUTES ? __ENV.ROUTES.split(',') : undefined;
const DAY = __ENV.DAY === '1';
const PER_PATH = envNumber(__ENV, 'PER_PATH', 0);
// Each movement played once under its own LRN: a day, or the first few of each path.
const ONCE = DAY || PER_PATH > 0;

// Served movements in data-set order, so the route and path mix follows the corridor's.
const movements = new SharedArray('full-journey-movements', () => {
  const served = servedMovements(
    readCtdRecords(DATA),
    deployment,
    // Lodged under fresh LRNs (not played once), a CTD on an individual guarantee would be refused.
    (e) => (!ROUTES || ROUTES.includes(e.route)) && (ONCE || relodgeable(e.ctd)),
  );
  if (!PER_PATH) return served;
  /** @type {Record<string, number>} */
  const taken = {};
  return served.filter((m) => (taken[m.path.kind] = (taken[m.path.kind] || 0) + 1) <= PER_PATH);
});
if (movements.length === 0)
  throw new Error('the data set has no valid movement whose offices all have a node in the deployment');

const RATE = envNumber(__ENV, 'RATE', 1);
const VUS = envNumber(__ENV, 'VUS', 20);
const DURATION = seconds(__ENV.DURATION || '1m');
const STEP_TIMEOUT_MS = envNumber(__ENV, 'STEP_TIMEOUT_MS', 15000);
// The longest real wait for business time (limit date, enquiry period) a movement may have.
const PATH_WAIT_S = envNumber(__ENV, 'PATH_WAIT_S', 300);
// Run identity in each LRN, so the scenario can run again against the same deployment.
const RUN = Date.now().toString(36).toUpperCase();

export const options = {
  scenarios: {
    journeys: ONCE
      ? {
          executor: 'shared-iterations',
          vus: Math.min(VUS, movements.length),
          iterations: movements.length,
          maxDuration: duration(Math.max(DURATION, 600, PATH_WAIT_S * 2)),
        }
      : {
          executor: 'constant-arrival-rate',
          rate: Math.max(1, Math.round(RATE * 60)),
          timeUnit: '1m',
          duration: duration(DURATION),
          preAllocatedVUs: Math.max(2, Math.ceil(RATE * 5)),
          maxVUs: Math.max(10, Math.ceil(RATE * 30)),
          gracefulStop: duration(Math.max((STEP_TIMEOUT_MS / 1000) * 6, PATH_WAIT_S)),
        },
  },
  setupTimeout: '60s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
  thresholds: journeyThresholds(movements, __ENV, 0.99),
};

const creds = credentialIndex(deployment, readParties(DATA));

export async function setup() {
  return { timePaths: (await businessTimeFor(deployment, PATH_WAIT_S)).possible };
}

/** @param {Awaited<ReturnType<typeof setup>>} data */
export default async function (data) {
  const i = exec.scenario.iterationInTest;
  const movement = movements[i % movements.length];
  await playLabelled({
    deployment,
    creds,
    movement,
    lrn: ONCE ? movement.ctd.lrn : uniqueLrn(`FJ${RUN}`, i),
    timePaths: data.timePaths,
    stepTimeoutMs: STEP_TIMEOUT_MS,
    // Hundreds of movements in flight: poll less often, so polling does not crowd them out.
    pollMs: ONCE ? 250 : 20,
  });
}
