// soak: a steady CTD rate for a long time (default 30 minutes at
// PEAK_FACTOR × the projected peak) to surface slow leaks, growing queues and
// degrading latency that short runs hide.
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, projectedRates } from './lib/dataset.js';
import { ctdTraffic, ctdBreakdown, submissionScenario, officerScenario } from './lib/ctd-traffic.js';
import { seconds, duration, envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const THINK = envNumber(__ENV, 'THINK', 2);
const traffic = ctdTraffic({ deployment, dataDir: datasetDir(__ENV), countries: __ENV.COUNTRIES, think: THINK });

const DURATION = seconds(__ENV.DURATION || '30m');
const projected = projectedRates(traffic.manifest);
const RATE = Math.max(1, Math.round(envNumber(__ENV, 'RATE', projected.peak * envNumber(__ENV, 'PEAK_FACTOR', 20))));

export const options = {
  scenarios: {
    ctd_submissions: submissionScenario(
      { executor: 'constant-arrival-rate', rate: RATE, duration: duration(DURATION) },
      RATE,
    ),
    officer_releases: officerScenario(__ENV, DURATION, THINK),
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  thresholds: Object.assign(
    {
      'http_req_duration{operation:ctd_submit}': [
        `p(95)<${envNumber(__ENV, 'SLO_P95_MS', 250)}`,
        `p(99)<${envNumber(__ENV, 'SLO_P99_MS', 500)}`,
      ],
      'http_req_failed{operation:ctd_submit}': ['rate<0.001'],
      dropped_iterations: [`count<${Math.max(1, Math.ceil(RATE * DURATION * 0.001))}`],
      checks: ['rate>0.999'],
    },
    ctdBreakdown(),
  ),
};

export const submit = traffic.submit;
export const release = traffic.release;
