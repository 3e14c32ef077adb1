// ctd-peak: CTD submissions at an open arrival rate, ramping from the
// corridor's average rate to PEAK_FACTOR × its projected peak (both from the
// data set's manifest) and holding there, spread over the countries as the
// data set's route weights spread them. Officers release the CTDs that risk
// sent to control, with think time. With ICE in the deployment, each release
// sends anticipated transit/arrival records across borders during the load.
import { parseDeployment } from './lib/deployment.js';
import { datasetDir, projectedRates } from './lib/dataset.js';
import { ctdTraffic, ctdBreakdown, submissionScenario, officerScenario } from './lib/ctd-traffic.js';
import { seconds, duration, plannedIterations, envNumber } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const THINK = envNumber(__ENV, 'THINK', 2);
const traffic = ctdTraffic({ deployment, dataDir: datasetDir(__ENV), countries: __ENV.COUNTRIES, think: THINK });

const DURATION = seconds(__ENV.DURATION || '1m');
const projected = projectedRates(traffic.manifest);
const TARGET = Math.max(
  1,
  Math.round(envNumber(__ENV, 'RATE', projected.peak * envNumber(__ENV, 'PEAK_FACTOR', 1000))),
);
const START = Math.min(TARGET, Math.max(1, Math.round(envNumber(__ENV, 'START_RATE', projected.average))));
const stages = [
  { duration: duration(DURATION * 0.3), target: TARGET },
  { duration: duration(DURATION * 0.6), target: TARGET },
  { duration: duration(DURATION * 0.1), target: START },
];
const planned = plannedIterations(START, stages);

export const options = {
  scenarios: {
    ctd_submissions: submissionScenario({ executor: 'ramping-arrival-rate', startRate: START, stages }, TARGET),
    officer_releases: officerScenario(__ENV, DURATION, THINK),
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  thresholds: Object.assign(
    {
      'http_req_duration{operation:ctd_submit}': [
        `p(95)<${envNumber(__ENV, 'SLO_P95_MS', 250)}`,
        `p(99)<${envNumber(__ENV, 'SLO_P99_MS', 500)}`,
      ],
      'http_req_failed{operation:ctd_submit}': ['rate<0.01'],
      'http_req_failed{operation:ctd_release}': ['rate<0.01'],
      // The open model holds only while the load generator keeps to the schedule.
      dropped_iterations: [`count<${Math.max(1, Math.ceil(planned * 0.01))}`],
      checks: ['rate>0.99'],
      ctd_accepted: ['count>0'],
    },
    ctdBreakdown(),
  ),
};

export const submit = traffic.submit;
export const release = traffic.release;
