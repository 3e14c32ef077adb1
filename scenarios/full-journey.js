// full-journey: movements along the corridor's routes (KZ→AZ→GE and the
// others the deployment's countries cover), each from lodging to write-off
// with every step at the node of the office where it happens and ICE carrying
// the records between them; timed per step (movement_step_duration{step}),
// end to end (movement_e2e_duration) and per ICE delivery (ice_delivery_latency).
// With DAY=1 it plays the data set's day instead: every valid movement once,
// under its own LRN, each to its planned end (written off at its office of
// destination, in a CATS country), `VUS` at a time.
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties, relodgeable } from './lib/dataset.js';
import { credentialIndex, countryOfOffice } from './lib/credentials.js';
import { travel } from './lib/journey.js';
import { uniqueLrn } from './lib/lrn.js';
import { duration, envNumber, seconds } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const ROUTES = __ENV.ROUTES ? __ENV.ROUTES.split(',') : undefined;

// Valid movements whose every office has a node (with ICE) or that stay in
// their departure country (without), in data-set order, so the route mix follows the corridor's;
// a day's play takes every one of them.
const movements = new SharedArray('full-journey-movements', () =>
  readCtdRecords(DATA)
    .filter((e) => {
      if (e.defect || !deployment.nodes[e.country] || (ROUTES && !ROUTES.includes(e.route))) return false;
      // Lodged under fresh LRNs (not in a day's play), a CTD on an individual guarantee would be refused.
      if (__ENV.DAY !== '1' && !relodgeable(e.ctd)) return false;
      const o = e.ctd.offices;
      const served = (/** @type {string} */ office) =>
        deployment.ice ? Boolean(deployment.nodes[countryOfOffice(office)]) : countryOfOffice(office) === e.country;
      return served(o.destination) && o.transit.every(served);
    })
    .map((e) => e.ctd),
);
if (movements.length === 0)
  throw new Error('the data set has no valid movement whose offices all have a node in the deployment');

const DAY = __ENV.DAY === '1';
const RATE = envNumber(__ENV, 'RATE', 1);
const VUS = envNumber(__ENV, 'VUS', 20);
const DURATION = seconds(__ENV.DURATION || '1m');
const STEP_TIMEOUT_MS = envNumber(__ENV, 'STEP_TIMEOUT_MS', 15000);
// Run identity in each LRN, so the scenario can run again against the same deployment.
const RUN = Date.now().toString(36).toUpperCase();

export const options = {
  scenarios: {
    journeys: DAY
      ? {
          executor: 'shared-iterations',
          vus: Math.min(VUS, movements.length),
          iterations: movements.length,
          maxDuration: duration(Math.max(DURATION, 600)),
        }
      : {
          executor: 'constant-arrival-rate',
          rate: Math.max(1, Math.round(RATE * 60)),
          timeUnit: '1m',
          duration: duration(DURATION),
          preAllocatedVUs: Math.max(2, Math.ceil(RATE * 5)),
          maxVUs: Math.max(10, Math.ceil(RATE * 30)),
          gracefulStop: duration((STEP_TIMEOUT_MS / 1000) * 6),
        },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
  thresholds: {
    checks: ['rate>0.99'],
    http_req_failed: ['rate<0.01'],
    // A day's play ends with every movement written off: none left open.
    movements_written_off: [DAY ? `count==${movements.length}` : 'count>0'],
    movement_e2e_duration: [`p(95)<${envNumber(__ENV, 'SLO_E2E_P95_MS', 30000)}`],
    ice_delivery_latency: [`p(95)<${envNumber(__ENV, 'SLO_ICE_P95_MS', 5000)}`],
    'movement_step_duration{step:submit}': [],
    'movement_step_duration{step:release}': [],
    'movement_step_duration{step:crossing}': [],
    'movement_step_duration{step:arrival}': [],
    'movement_step_duration{step:control_results}': [],
    'ice_delivery_latency{message:IE050}': [],
    'ice_delivery_latency{message:IE001}': [],
  },
};

const creds = credentialIndex(deployment, readParties(DATA));

export default async function () {
  const i = exec.scenario.iterationInTest;
  const ctd = movements[i % movements.length];
  await travel({
    deployment,
    creds,
    ctd: DAY ? ctd : Object.assign({}, ctd, { lrn: uniqueLrn(`FJ${RUN}`, i) }),
    stepTimeoutMs: STEP_TIMEOUT_MS,
    // A day's play keeps hundreds of movements in flight: poll less often, so polling does not crowd them out.
    pollMs: DAY ? 250 : 20,
  });
}
