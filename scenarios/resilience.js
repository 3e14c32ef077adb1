// resilience: corridor traffic through the whole journey (lodging to write-off,
// every step at the node of its office, ICE between them) at a steady multiple of
// the projected peak, while parts are killed, cut off and paused. The faults are
// the harness's part (`cats-stress stress --scenario resilience` applies a default
// schedule, or `--faults`); this script is the traffic and its verdict: a client
// that meets no answer tries again, as one of a service that heals would, and
// nothing accepted may be lost: every movement that got an MRN reaches write-off.
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { Counter, Rate } from 'k6/metrics';
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, projectedRates, readCtdRecords, readManifest, readParties } from './lib/dataset.js';
import { credentialIndex, countryOfOffice } from './lib/credentials.js';
import { travel } from './lib/journey.js';
import { uniqueLrn } from './lib/lrn.js';
import { duration, envNumber, seconds } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const ROUTES = __ENV.ROUTES ? __ENV.ROUTES.split(',') : undefined;

// Movements whose every office has a node (with ICE), in data-set order: the corridor's route mix.
const movements = new SharedArray('resilience-movements', () =>
  readCtdRecords(DATA)
    .filter((e) => {
      if (e.defect || !deployment.nodes[e.country] || (ROUTES && !ROUTES.includes(e.route))) return false;
      const o = e.ctd.offices;
      const served = (/** @type {string} */ office) =>
        deployment.ice ? Boolean(deployment.nodes[countryOfOffice(office)]) : countryOfOffice(office) === e.country;
      return served(o.destination) && o.transit.every(served);
    })
    .map((e) => e.ctd),
);
if (movements.length === 0)
  throw new Error('the data set has no valid movement whose offices all have a node in the deployment');

const projected = projectedRates(readManifest(DATA));
// Movements per second: RATE, else PEAK_FACTOR × the projected peak hour of the data set's routes.
const RATE = envNumber(__ENV, 'RATE', projected.peak * envNumber(__ENV, 'PEAK_FACTOR', 20));
const DURATION = seconds(__ENV.DURATION || '3m');
// Long enough for a step to outlast a fault: a partition, ICE restarting, a paused database.
const STEP_TIMEOUT_MS = envNumber(__ENV, 'STEP_TIMEOUT_MS', 90000);
const RUN = Date.now().toString(36).toUpperCase();

/** Movements that got an MRN and never reached write-off: what a fault lost. */
const movementsLost = new Counter('movements_lost');
/** Per movement that got an MRN: 1 when it reached write-off. */
const movementCompleted = new Rate('movement_completed');

export const options = {
  scenarios: {
    journeys: {
      executor: 'constant-arrival-rate',
      rate: Math.max(1, Math.round(RATE * 60)),
      timeUnit: '1m',
      duration: duration(DURATION),
      preAllocatedVUs: Math.max(4, Math.ceil(RATE * 10)),
      // A journey held up by a fault lasts long: VUs for the rate over a whole step timeout.
      maxVUs: Math.max(20, Math.ceil((RATE * STEP_TIMEOUT_MS) / 1000) + 10),
      // Journeys under way when the load stops finish: their movements must not be lost either.
      gracefulStop: duration((STEP_TIMEOUT_MS / 1000) * 6),
    },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
  thresholds: {
    // Nothing accepted is lost.
    movement_completed: ['rate==1'],
    movements_lost: ['count==0'],
    movements_written_off: ['count>0'],
    checks: [`rate>${envNumber(__ENV, 'SLO_CHECKS', 0.99)}`],
    // Requests meeting a killed or paused part fail until it is back: no SLO on them here; the
    // recovery figures per fault count them, and the recovery limits judge the healing.
    http_req_failed: [],
    movement_e2e_duration: [`p(95)<${envNumber(__ENV, 'SLO_E2E_P95_MS', 120000)}`],
    'movement_step_duration{step:submit}': [],
    'movement_step_duration{step:release}': [],
    'movement_step_duration{step:crossing}': [],
    'movement_step_duration{step:arrival}': [],
    'ice_delivery_latency{message:IE050}': [],
    'ice_delivery_latency{message:IE001}': [],
  },
};

const creds = credentialIndex(deployment, readParties(DATA));

export default async function () {
  const i = exec.scenario.iterationInTest;
  const ctd = movements[i % movements.length];
  /** @type {string | undefined} */
  let mrn;
  const writtenOff = await travel({
    deployment,
    creds,
    ctd: Object.assign({}, ctd, { lrn: uniqueLrn(`RS${RUN}`, i) }),
    stepTimeoutMs: STEP_TIMEOUT_MS,
    patient: true,
    onAccepted: (m) => (mrn = m),
  });
  if (mrn === undefined) return;
  movementCompleted.add(writtenOff);
  if (!writtenOff) {
    movementsLost.add(1);
    console.error(`movement ${mrn} (${ctd.lrn}) accepted and not written off`);
  }
}
