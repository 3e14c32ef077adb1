// spike: the corridor at its projected peak, then a sudden surge of CTDs
// (SPIKE_FACTOR × that rate, e.g. a border reopening after a closure releases
// a queue of trucks), then back to the peak. The SLO allows a slower tail
// during the surge but no errors, and the service must keep up afterwards.
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, projectedRates } from './lib/dataset.js';
import { ctdTraffic, ctdBreakdown, submissionScenario, officerScenario } from './lib/ctd-traffic.js';
import { seconds, duration, plannedIterations, envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const THINK = envNumber(__ENV, 'THINK', 2);
const traffic = ctdTraffic({ deployment, dataDir: datasetDir(__ENV), countries: __ENV.COUNTRIES, think: THINK });

const DURATION = seconds(__ENV.DURATION || '2m');
const projected = projectedRates(traffic.manifest);
const BASE = Math.max(1, Math.round(envNumber(__ENV, 'RATE', projected.peak * envNumber(__ENV, 'PEAK_FACTOR', 20))));
const SPIKE = Math.max(BASE, Math.round(BASE * envNumber(__ENV, 'SPIKE_FACTOR', 10)));
const stages = [
  { duration: duration(DURATION * 0.3), target: BASE },
  { duration: duration(DURATION * 0.05), target: SPIKE },
  { duration: duration(DURATION * 0.2), target: SPIKE },
  { duration: duration(DURATION * 0.05), target: BASE },
  { duration: duration(DURATION * 0.4), target: BASE },
];
const planned = plannedIterations(BASE, stages);

export const options = {
  scenarios: {
    ctd_submissions: submissionScenario({ executor: 'ramping-arrival-rate', startRate: BASE, stages }, SPIKE),
    officer_releases: officerScenario(__ENV, DURATION, THINK),
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  thresholds: Object.assign(
    {
      'http_req_duration{operation:ctd_submit}': [`p(99)<${envNumber(__ENV, 'SLO_P99_MS', 1000)}`],
      'http_req_failed{operation:ctd_submit}': ['rate<0.01'],
      dropped_iterations: [`count<${Math.max(1, Math.ceil(planned * 0.01))}`],
      checks: ['rate>0.99'],
    },
    ctdBreakdown(),
  ),
};

export const submit = traffic.submit;
export const release = traffic.release;
