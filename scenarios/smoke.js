// smoke: one movement through its whole life, every step checked (see
// lib/journey.js). The cheapest proof that a deployment works end to end.
import { SharedArray } from 'k6/data';
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties, relodgeable } from './lib/dataset.js';
import { credentialIndex, countryOfOffice } from './lib/credentials.js';
import { travel } from './lib/journey.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);

// A valid movement whose every office has a node to record its events (with
// ICE, any node of the deployment; without, the departure node), crossing as
// many countries as the deployment allows, so ICE carries every step back.
const movement = new SharedArray('smoke-movement', () => {
  let pick;
  let reach = 0;
  for (const e of readCtdRecords(DATA)) {
    if (e.defect || !relodgeable(e.ctd) || !deployment.nodes[e.country]) continue;
    const o = e.ctd.offices;
    const served = (/** @type {string} */ office) =>
      deployment.ice ? Boolean(deployment.nodes[countryOfOffice(office)]) : countryOfOffice(office) === e.country;
    if (!served(o.destination) || !o.transit.every(served)) continue;
    const countries =
      new Set([o.departure, ...o.transit, o.destination].map(countryOfOffice)).size + o.transit.length / 100;
    if (countries > reach) [pick, reach] = [e.ctd, countries];
  }
  if (!pick) throw new Error('the data set has no valid movement whose offices all have a node in the deployment');
  return [pick];
});

export const options = {
  scenarios: {
    smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '2m' },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    movements_written_off: ['count==1'],
    movement_e2e_duration: ['max<60000'],
  },
};

const creds = credentialIndex(deployment, readParties(DATA));

export default async function () {
  // A fresh LRN, so the smoke test can run again and again against the same deployment.
  const ctd = Object.assign({}, movement[0], { lrn: `SMOKE-${Date.now().toString(36).toUpperCase()}` });
  await travel({ deployment, creds, ctd, stepTimeoutMs: Number(__ENV.STEP_TIMEOUT_MS || 10000) });
}
