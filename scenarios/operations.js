// operations: the projected live operations of the corridor: movements arriving at
// `PEAK_FACTOR` × the projected peak hour, each played through ICE along the path
// its data set labels it with (as declared, or late, enquired about, recovered,
// with discrepancies, diverted, with an incident, invalidated), happy and unhappy
// paths together in the data set's shares. Paths that need business time wait what
// the deployment's clock says (`up --time-factor`; `cats-stress stress --scenario
// operations` starts the reference with one). Every movement that got an MRN must
// reach the end state of its path: counted per path
// (movement_path_planned/completed/stuck{path}), none stuck.
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, projectedRates, readCtdRecords, readManifest, readParties, relodgeable } from './lib/dataset.js';
import { credentialIndex } from './lib/credentials.js';
import { businessTimeFor, journeyThresholds, playLabelled, servedMovements } from './lib/labelled-journey.js';
import { uniqueLrn } from './lib/lrn.js';
import { duration, envNumber, seconds } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
if (!deployment.ice) throw new Error('operations runs the live mix over ICE: the deployment file lists no ICE');
const DATA = datasetDir(__ENV);

// Relodged under fresh LRNs, so not on individual guarantees; in data-set order: the corridor's mix.
const movements = new SharedArray('operations-movements', () =>
  servedMovements(readCtdRecords(DATA), deployment, (e) => relodgeable(e.ctd)),
);
if (movements.length === 0)
  throw new Error('the data set has no valid movement whose offices all have a node in the deployment');

const projected = projectedRates(readManifest(DATA));
// Movements per second: RATE, else PEAK_FACTOR × the projected peak hour of the data set's routes.
const RATE = envNumber(__ENV, 'RATE', projected.peak * envNumber(__ENV, 'PEAK_FACTOR', 20));
const DURATION = seconds(__ENV.DURATION || '1m');
const STEP_TIMEOUT_MS = envNumber(__ENV, 'STEP_TIMEOUT_MS', 30000);
// The longest real wait for business time (limit date, enquiry period) a movement may have.
const PATH_WAIT_S = envNumber(__ENV, 'PATH_WAIT_S', 300);
const RUN = Date.now().toString(36).toUpperCase();

export const options = {
  scenarios: {
    operations: {
      executor: 'constant-arrival-rate',
      rate: Math.max(1, Math.round(RATE * 60)),
      timeUnit: '1m',
      duration: duration(DURATION),
      preAllocatedVUs: Math.max(4, Math.ceil(RATE * 10)),
      // Movements waiting for business time stay in flight for up to PATH_WAIT_S.
      maxVUs: Math.max(20, Math.ceil(RATE * 30) + Math.ceil(RATE * 0.05 * PATH_WAIT_S) + 10),
      // Movements under way when the arrivals stop go on to the end of their paths.
      gracefulStop: duration(PATH_WAIT_S + (STEP_TIMEOUT_MS / 1000) * 4),
    },
  },
  setupTimeout: '60s',
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
  thresholds: journeyThresholds(movements, __ENV, envNumber(__ENV, 'SLO_CHECKS', 0.99)),
};

const creds = credentialIndex(deployment, readParties(DATA));

export async function setup() {
  return { timePaths: (await businessTimeFor(deployment, PATH_WAIT_S)).possible };
}

/** @param {Awaited<ReturnType<typeof setup>>} data */
export default async function (data) {
  const i = exec.scenario.iterationInTest;
  await playLabelled({
    deployment,
    creds,
    movement: movements[i % movements.length],
    lrn: uniqueLrn(`OP${RUN}`, i),
    timePaths: data.timePaths,
    stepTimeoutMs: STEP_TIMEOUT_MS,
    pollMs: 100,
  });
}
