// onboarding: new traders joining CATS at a steady rate. Each registers as an
// operator, is refused a declaration while pending, is approved by customs,
// registers a comprehensive guarantee that customs approves, and lodges a
// first CTD with it. Measures the approval flows' latency end to end.
import { check } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { Trend } from 'k6/metrics';
import { parseDeployment, countriesOf, nodeUrl } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties } from './lib/dataset.js';
import { credentialIndex, countryOfOffice } from './lib/credentials.js';
import { submitCtd } from './lib/ctd.js';
import {
  registerOperator,
  approveOperator,
  registerGuarantee,
  approveGuarantee,
  scenarioGuarantor,
  asHolder,
  issueAccessCode,
} from './lib/parties.js';
import { duration, envNumber, seconds } from './lib/schedule.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const COUNTRIES = countriesOf(deployment, __ENV.COUNTRIES);
const creds = credentialIndex(deployment, readParties(DATA));

// One valid CTD per country (from the end of the data set, clear of the load
// scenarios), for the new operator's first declaration.
const templates = new SharedArray('onboarding-templates', () => {
  /** @type {Record<string, import('./lib/dataset.js').Ctd>} */
  const byCountry = {};
  const records = readCtdRecords(DATA);
  for (let i = records.length - 1; i >= 0; i--) {
    const e = records[i];
    if (
      !e.defect &&
      COUNTRIES.includes(e.country) &&
      !byCountry[e.country] &&
      creds.hasOfficer(e.ctd.offices.departure)
    )
      byCountry[e.country] = e.ctd;
  }
  return Object.values(byCountry);
});
if (templates.length === 0) throw new Error(`the data set has no valid CTD departing from ${COUNTRIES.join(', ')}`);

/** Registration to first CTD accepted. */
const onboardingDuration = new Trend('onboarding_duration', true);
/** Each approval step; tag `step`. */
const onboardingStep = new Trend('onboarding_step_duration', true);

const RATE = envNumber(__ENV, 'RATE', 1);
const RUN = Date.now().toString(36).toUpperCase();

export const options = {
  scenarios: {
    onboarding: {
      executor: 'constant-arrival-rate',
      rate: Math.max(1, Math.round(RATE * 60)),
      timeUnit: '1m',
      duration: duration(seconds(__ENV.DURATION || '1m')),
      preAllocatedVUs: Math.max(2, Math.ceil(RATE * 2)),
      maxVUs: Math.max(10, Math.ceil(RATE * 20)),
    },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)'],
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate<0.01'],
    onboarding_duration: [`p(95)<${envNumber(__ENV, 'SLO_P95_MS', 2000)}`],
    'onboarding_step_duration{step:operator_approval}': [],
    'onboarding_step_duration{step:guarantee_approval}': [],
    'onboarding_step_duration{step:first_ctd}': [],
  },
};

/**
 * @template T
 * @param {string} step
 * @param {() => Promise<T>} fn
 */
async function timed(step, fn) {
  const t = Date.now();
  const r = await fn();
  onboardingStep.add(Date.now() - t, { step });
  return r;
}

export default async function () {
  const i = exec.scenario.iterationInTest;
  const template = templates[i % templates.length];
  const country = countryOfOffice(template.offices.departure);
  const node = nodeUrl(deployment, country);
  const officer = creds.officerToken(template.offices.departure);
  const operator = {
    tin: `${country}O${RUN}${i.toString(36).toUpperCase()}`,
    name: `Onboarding Trader ${i}`,
    country,
    aeo: true,
  };
  const started = Date.now();

  const registered = await registerOperator(node, operator);
  if (
    !check(registered.res, {
      'operator registered, pending': (r) => r.status === 201 && registered.body.operator.status === 'PENDING',
    })
  )
    return;
  const token = registered.body.token;
  const reference = template.guarantees[0].references[0];

  // Pending accounts cannot lodge.
  const early = await submitCtd(
    node,
    token,
    asHolder(
      template,
      operator,
      { type: '1', grn: reference.grn, accessCode: reference.accessCode },
      `ONB${RUN}-${i}-0`,
    ),
    { expect: [403] },
  );
  check(early, {
    'pending operator refused a declaration': (r) => r.res.status === 403 && r.code === 'OPERATOR_NOT_ACTIVE',
  });

  const approved = await timed('operator_approval', () => approveOperator(node, officer, operator.tin, true));
  if (
    !check(approved.res, {
      'customs approves the operator': (r) => r.status === 200 && approved.body.status === 'ACTIVE',
    })
  )
    return;

  const guarantee = await registerGuarantee(node, token, {
    type: '1',
    referenceAmount: Math.ceil(reference.amountToBeCovered * 10) + 1000,
    currency: reference.currency,
    guarantor: scenarioGuarantor(operator.tin),
  });
  if (
    !check(guarantee.res, {
      'guarantee registered, pending': (r) => r.status === 201 && guarantee.body.status === 'PENDING',
    })
  )
    return;
  const grn = guarantee.body.grn;
  const active = await timed('guarantee_approval', () => approveGuarantee(node, officer, grn));
  if (
    !check(active.res, { 'customs approves the guarantee': (r) => r.status === 200 && active.body.status === 'ACTIVE' })
  )
    return;
  // The holder takes a fresh access code (the one issued at approval went to its notification stream).
  const code = await issueAccessCode(node, token, grn);
  if (
    !check(code.res, {
      'holder issues an access code': (r) => r.status === 200 && /^[A-Z0-9]{4}$/.test(code.body.accessCode),
    })
  )
    return;

  const first = await timed('first_ctd', () =>
    submitCtd(
      node,
      token,
      asHolder(template, operator, { type: '1', grn, accessCode: code.body.accessCode }, `ONB${RUN}-${i}-1`),
    ),
  );
  if (check(first, { 'first CTD accepted': (r) => r.accepted })) onboardingDuration.add(Date.now() - started);
  else console.error(`first CTD of ${operator.tin} refused: ${first.res.status} ${first.res.body}`);
}
