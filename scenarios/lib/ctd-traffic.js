// CTD traffic from a data set: the submissions of the load scenarios (ctd-peak,
// spike, soak, breakpoint) and the officers who release the CTDs risk sent to
// control. Call ctdTraffic() in the init context of the script.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import { countriesOf, nodeUrl } from './deployment.js';
import { readCtdRecords, readManifest, readParties } from './dataset.js';
import { credentialIndex, countryOfOffice } from './credentials.js';
import { submitCtd, listDeclarations } from './ctd.js';
import { releaseForTransit } from './movement.js';
import { uniqueLrn } from './lrn.js';
import { BUSINESS_REFUSALS, LOAD_REJECTIONS, breakdown } from './codes.js';
import { duration, envNumber } from './schedule.js';

/**
 * @param {{ deployment: import('./deployment.js').Deployment, dataDir: string, countries?: string, think?: number }} config
 */
export function ctdTraffic({ deployment, dataDir, countries, think = 2 }) {
  const COUNTRIES = countriesOf(deployment, countries);
  const manifest = readManifest(dataDir);
  // Valid CTDs lodged at a node of the deployment, in data-set order, so the
  // data set's route weights spread the load over the countries.
  const ctds = new SharedArray(`ctds:${dataDir}:${COUNTRIES.join(',')}`, () =>
    readCtdRecords(dataDir)
      .filter((e) => !e.defect && COUNTRIES.includes(e.country))
      .map((e) => ({ ctd: e.ctd, token: e.token, country: e.country })),
  );
  if (ctds.length === 0) throw new Error(`the data set has no valid CTD departing from ${COUNTRIES.join(', ')}`);
  const creds = credentialIndex(deployment, readParties(dataDir));
  // One desk per office of departure the traffic uses, each with an officer of that office.
  const departures = new SharedArray(`departures:${dataDir}:${COUNTRIES.join(',')}`, () => {
    const offices = new Set();
    for (const e of readCtdRecords(dataDir))
      if (!e.defect && COUNTRIES.includes(e.country)) offices.add(e.ctd.offices.departure);
    return [...offices];
  });
  /** @type {{ office: string, token: string }[]} */
  const desks = [];
  for (let i = 0; i < departures.length; i++) {
    const office = departures[i];
    if (creds.hasOfficer(office)) desks.push({ office, token: creds.officerToken(office) });
  }

  /** One CTD, the next of the data set; past its end, the same content under a fresh LRN. */
  async function submit() {
    const i = exec.scenario.iterationInTest;
    const { ctd, token, country } = ctds[i % ctds.length];
    const cycle = Math.floor(i / ctds.length);
    const body = cycle === 0 ? ctd : Object.assign({}, ctd, { lrn: uniqueLrn(ctd.lrn, cycle) });
    const r = await submitCtd(nodeUrl(deployment, country), token, body, { refusals: true });
    // A refusal for want of guarantee is the data set running out, counted in ctd_refused, not a failed check.
    if (!r.refused) check(r, { 'CTD accepted': (x) => x.accepted });
    return r;
  }

  /**
   * One decision of an officer at a departure office: take a CTD held for
   * control, examine it for about `think` seconds, release it.
   */
  async function release() {
    if (desks.length === 0) {
      await sleep(1);
      return;
    }
    // Each officer VU makes the round of the desks from its own starting point.
    const desk = desks[(exec.vu.idInTest * 7919 + exec.vu.iterationInScenario) % desks.length];
    const node = nodeUrl(deployment, countryOfOffice(desk.office));
    // The list also holds movements bound for the officer's offices; only departure decides release.
    const { items } = await listDeclarations(node, desk.token, 'UNDER_CONTROL', { limit: 100 });
    const held = items.filter((d) => d.offices.departure === desk.office);
    if (held.length === 0) {
      await sleep(Math.max(0.05, think / 10));
      return;
    }
    const d = held[Math.floor(Math.random() * held.length)];
    await sleep(think * (0.5 + Math.random()));
    // 409: another officer of the office released it first.
    const r = await releaseForTransit(node, desk.token, d.mrn, {}, { expect: [200, 409] });
    check(r.res, { 'controlled CTD released': (res) => res.status === 200 || res.status === 409 });
  }

  return { submit, release, manifest, countries: COUNTRIES, size: ctds.length };
}

/**
 * Threshold entries that make the summary report CTD outcomes by decision and
 * the rejections a valid CTD can meet under load.
 */
export function ctdBreakdown() {
  return Object.assign(
    {
      'ctd_accepted{decision:release}': [],
      'ctd_accepted{decision:control}': [],
      'http_reqs{operation:ctd_submit}': [],
      'http_reqs{operation:ctd_release}': [],
    },
    breakdown('ctd_rejected', 'code', LOAD_REJECTIONS),
    breakdown('ctd_refused', 'code', BUSINESS_REFUSALS),
  );
}

/**
 * The open-model submission scenario of the load scripts: `schedule` holds the
 * executor and its rate fields; VUs are sized to the highest rate it reaches.
 * @param {{ executor: string, [field: string]: unknown }} schedule
 * @param {number} highestRate
 * @returns {import('k6/options').Scenario}
 */
export function submissionScenario(schedule, highestRate) {
  return /** @type {import('k6/options').Scenario} */ (
    Object.assign(
      {
        exec: 'submit',
        timeUnit: '1s',
        // VUs ready before the start for the highest rate at half a second each: a VU added
        // mid-test runs the script's init code first (as in k6), late for the iteration it was added for.
        preAllocatedVUs: Math.max(10, Math.ceil(highestRate * 0.5)),
        // Enough VUs to hold the rate while responses stay within the p99 SLO: a slower
        // server breaks that SLO, not the open model's schedule.
        maxVUs: Math.max(50, highestRate * 2, Math.ceil((highestRate * envNumber(__ENV, 'SLO_P99_MS', 500)) / 500)),
        gracefulStop: '10s',
      },
      schedule,
    )
  );
}

/**
 * Officers (OFFICERS, default 4) releasing the CTDs risk sent to control, for the whole run.
 * @param {Record<string, string | undefined>} env
 * @param {number} durationSecs
 * @param {number} think
 * @returns {import('k6/options').Scenario}
 */
export function officerScenario(env, durationSecs, think) {
  return {
    executor: 'constant-vus',
    exec: 'release',
    vus: Math.max(1, Math.round(envNumber(env, 'OFFICERS', 4))),
    duration: duration(durationSecs),
    gracefulStop: duration(think * 1.5 + 5),
  };
}
