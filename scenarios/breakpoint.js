// breakpoint: CTD arrival rate ramping linearly from START_RATE to MAX_RATE
// until an SLO breaks; abortOnFail stops the test there. The offered rate at
// that moment (`offered_rate`, CTDs/s) is the deployment's capacity figure.
import { Gauge } from 'k6/metrics';
import exec from 'k6/execution';
import { parseDeployment } from './lib/deployment.js';
import { datasetDir } from './lib/dataset.js';
import { ctdTraffic, ctdBreakdown } from './lib/ctd-traffic.js';
import { seconds, duration, envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const traffic = ctdTraffic({ deployment, dataDir: datasetDir(__ENV), countries: __ENV.COUNTRIES });

const DURATION = seconds(__ENV.DURATION || '10m');
const START = Math.max(1, Math.round(envNumber(__ENV, 'START_RATE', 10)));
const MAX = Math.max(START, Math.round(envNumber(__ENV, 'MAX_RATE', 5000)));
const HOLD = envNumber(__ENV, 'SLO_DELAY', 10);

/** The arrival rate the schedule offered when the iteration started. */
const offeredRate = new Gauge('offered_rate');

export const options = {
  scenarios: {
    ctd_submissions: {
      executor: 'ramping-arrival-rate',
      exec: 'submit',
      startRate: START,
      timeUnit: '1s',
      stages: [{ duration: duration(DURATION), target: MAX }],
      preAllocatedVUs: Math.max(20, Math.ceil(START * 0.5)),
      maxVUs: Math.round(envNumber(__ENV, 'MAX_VUS', Math.max(200, MAX))),
      gracefulStop: '5s',
    },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  thresholds: Object.assign(
    {
      'http_req_duration{operation:ctd_submit}': [
        { threshold: `p(95)<${envNumber(__ENV, 'SLO_P95_MS', 250)}`, abortOnFail: true, delayAbortEval: `${HOLD}s` },
      ],
      'http_req_failed{operation:ctd_submit}': [
        { threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: `${HOLD}s` },
      ],
      offered_rate: [],
    },
    ctdBreakdown(),
  ),
};

export async function submit() {
  const elapsed = exec.instance.currentTestRunDuration / 1000;
  offeredRate.add(START + (MAX - START) * Math.min(1, elapsed / DURATION));
  await traffic.submit();
}
