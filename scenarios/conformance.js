// conformance: functional checks of spec v0 against one national node, and
// every defective declaration of the data set rejected with its labelled code.
// Each rule is one sample of `spec_adherence` tagged with its name; the rate
// is the adherence rate (100 % for a conforming implementation).
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { parseDeployment, countriesOf, nodeUrl } from './lib/deployment.js';
import { datasetDir, readCtdRecords, readParties } from './lib/dataset.js';
import { credentialIndex, countryOfOffice } from './lib/credentials.js';
import { errorCodes, jsonBody, request } from './lib/api.js';
import { submitCtd, getDeclaration } from './lib/ctd.js';
import { amendDeclaration, presentGoods, releaseForTransit, cancelDeclaration } from './lib/movement.js';
import { specAdherence } from './lib/metrics.js';
import { breakdown } from './lib/codes.js';

const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));
const DATA = datasetDir(__ENV);
const COUNTRIES = countriesOf(deployment, __ENV.COUNTRIES);
const MAX_DEFECTS = Number(__ENV.MAX_DEFECTS || 1000);

const entries = new SharedArray('conformance-entries', () => {
  const all = readCtdRecords(DATA).filter((e) => COUNTRIES.includes(e.country));
  const valid = all.filter((e) => !e.defect);
  // A duplicate-LRN defect repeats the LRN of an earlier valid CTD of the same holder: lodge that one first.
  const originals = new Map(valid.map((e) => [`${e.holderTin}/${e.ctd.lrn}`, e.ctd]));
  const defects = all
    .filter((e) => e.defect)
    .slice(0, MAX_DEFECTS)
    .map((e) => ({
      ctd: e.ctd,
      token: e.token,
      country: e.country,
      defect: e.defect,
      original: originals.get(`${e.holderTin}/${e.ctd.lrn}`),
    }));
  // Valid CTDs the rules below lodge under fresh LRNs: from the end of the data
  // set, so their extra guarantee reservations stay clear of load scenarios,
  // which lodge the data set from its start.
  return [{ valid: valid.slice(-50).map((e) => e.ctd) }, ...defects];
});
// The first entry lists the valid CTDs, every other one is a defect.
const VALID = /** @type {{ valid: import('./lib/dataset.js').Ctd[] }} */ (entries[0]).valid;
/**
 * @typedef {{ ctd: import('./lib/dataset.js').Ctd, token: string, country: string,
 *   defect: { code: string }, original: import('./lib/dataset.js').Ctd | undefined }} DefectEntry
 */
if (VALID.length === 0) throw new Error(`the data set has no valid CTD departing from ${COUNTRIES.join(', ')}`);
const creds = credentialIndex(deployment, readParties(DATA));

// A fresh LRN per run and rule, so rules never see each other's declarations.
const RUN = Date.now().toString(36);
const freshLrn = (/** @type {number} */ n) => `CF-${RUN}-${n}`;

/**
 * @param {string} rule
 * @param {string} requirement id in the requirement catalogue (reference/spec/requirements.ts)
 * @param {boolean} ok
 */
function record(rule, requirement, ok) {
  specAdherence.add(ok ? 1 : 0, { rule, requirement });
  check(ok, { [`spec: ${rule}`]: (v) => v });
}

/**
 * A rejection has the one error shape of spec v0 and names `code`.
 * @param {import('./lib/api.js').Response} res
 * @param {number} status
 * @param {string} code
 */
function rejectedWith(res, status, code) {
  const body = jsonBody(res);
  return (
    res.status === status &&
    body !== undefined &&
    typeof body.code === 'string' &&
    typeof body.message === 'string' &&
    Array.isArray(body.errors) &&
    body.errors.every(
      (/** @type {any} */ e) =>
        typeof e.code === 'string' && typeof e.pointer === 'string' && typeof e.message === 'string',
    ) &&
    errorCodes(res).includes(code)
  );
}

/** @param {number} n */
function lodgeable(n) {
  const ctd = VALID[n % VALID.length];
  const country = countryOfOffice(ctd.offices.departure);
  return {
    ctd: Object.assign({}, ctd, { lrn: freshLrn(n) }),
    node: nodeUrl(deployment, country),
    token: creds.operatorToken(ctd.holder.identificationNumber),
    country,
  };
}

/**
 * Another operator of the same country than `tin`, if the credentials hold one.
 * @param {string} tin
 */
function otherOperator(tin) {
  return creds.operators().find((o) => o.tin !== tin && o.tin.slice(0, 2) === tin.slice(0, 2));
}

/** @param {number[]} [expect] */
const opts = (expect) => ({
  operation: 'conformance',
  name: 'conformance',
  expect,
});

/**
 * Rules by name, each with the requirement it checks; a rule's result is undefined
 * when the credentials at hand cannot exercise it.
 * @type {[string, string, () => Promise<boolean | undefined>][]}
 */
const RULES = [
  [
    'health',
    'C2B-HEALTH',
    async () => (await request('GET', `${lodgeable(0).node}/healthz`, null, opts())).status === 200,
  ],
  [
    'readiness',
    'C2B-HEALTH',
    async () => (await request('GET', `${lodgeable(0).node}/readyz`, null, opts())).status === 200,
  ],
  [
    'openapi_document',
    'C2B-OPENAPI',
    async () => {
      const res = await request('GET', `${lodgeable(0).node}/openapi.json`, null, opts());
      const doc = jsonBody(res);
      return (
        res.status === 200 && doc && /^3\.1/.test(doc.openapi) && doc.paths && Boolean(doc.paths['/v1/declarations'])
      );
    },
  ],
  [
    'unauthenticated',
    'C2B-AUTHENTICATION',
    async () => {
      const { ctd, node } = lodgeable(1);
      return rejectedWith(await request('POST', `${node}/v1/declarations`, ctd, opts([401])), 401, 'UNAUTHENTICATED');
    },
  ],
  [
    'wrong_token',
    'C2B-AUTHENTICATION',
    async () => {
      const { ctd, node } = lodgeable(2);
      const res = await request(
        'POST',
        `${node}/v1/declarations`,
        ctd,
        Object.assign(opts([401]), { token: 'not-a-token-of-this-node-000000' }),
      );
      return rejectedWith(res, 401, 'UNAUTHENTICATED');
    },
  ],
  [
    'malformed_json',
    'C2B-MALFORMED-JSON',
    async () => {
      const { node, token } = lodgeable(3);
      const res = await request(
        'POST',
        `${node}/v1/declarations`,
        '{"lrn": "X1", ',
        Object.assign(opts([400]), { token }),
      );
      return rejectedWith(res, 400, 'MALFORMED_JSON');
    },
  ],
  [
    'schema_violation_with_pointer',
    'C2B-SCHEMA-POINTER',
    async () => {
      const { ctd, node, token } = lodgeable(4);
      const bad = Object.assign({}, ctd, { security: 'high' });
      const res = await request('POST', `${node}/v1/declarations`, bad, Object.assign(opts([400]), { token }));
      const body = jsonBody(res);
      return (
        rejectedWith(res, 400, 'SCHEMA_VIOLATION') &&
        body.errors.some((/** @type {any} */ e) => e.pointer === '/security')
      );
    },
  ],
  [
    'unsupported_media_type',
    'C2B-MEDIA-TYPE',
    async () => {
      const { ctd, node, token } = lodgeable(5);
      const res = await request(
        'POST',
        `${node}/v1/declarations`,
        JSON.stringify(ctd),
        Object.assign(opts([415]), { token, headers: { 'Content-Type': 'text/plain' } }),
      );
      return rejectedWith(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  ],
  [
    'body_too_large',
    'C2B-BODY-LIMIT',
    async () => {
      const { ctd, node, token } = lodgeable(6);
      // Just over spec v0's 1 MiB limit. A server may answer 413 and close before
      // the client has sent everything; the client then sees a reset, so try again.
      const huge = JSON.stringify(Object.assign({}, ctd, { padding: 'x'.repeat(1024 * 1024 + 64 * 1024) }));
      let res;
      for (let attempt = 0; attempt < 3; attempt++) {
        res = await request('POST', `${node}/v1/declarations`, huge, Object.assign(opts([0, 413]), { token }));
        if (res.status !== 0) break;
      }
      // The loop ran at least once.
      return rejectedWith(/** @type {import('./lib/api.js').Response} */ (res), 413, 'BODY_TOO_LARGE');
    },
  ],
  [
    'unknown_mrn',
    'C2B-NOT-FOUND',
    async () => {
      const { node, token, country } = lodgeable(7);
      const res = await getDeclaration(node, token, `26${country}000000000000J0`, { expect: [404] });
      return rejectedWith(res.res, 404, 'NOT_FOUND');
    },
  ],
  [
    'idempotent_replay',
    'C2B-IDEMPOTENT-LODGING',
    async () => {
      const { ctd, node, token } = lodgeable(8);
      const first = await submitCtd(node, token, ctd);
      const again = await submitCtd(node, token, ctd);
      return first.accepted && again.accepted && again.mrn === first.mrn && again.body.replayed === true;
    },
  ],
  [
    'duplicate_lrn_other_content',
    'C2B-DUPLICATE-LRN',
    async () => {
      const { ctd, node, token } = lodgeable(9);
      const first = await submitCtd(node, token, ctd);
      const changed = Object.assign({}, ctd, { security: ctd.security === 0 ? 1 : 0 });
      const again = await submitCtd(node, token, changed, { expect: [409] });
      return first.accepted && rejectedWith(again.res, 409, 'DUPLICATE_LRN');
    },
  ],
  [
    'operator_isolation',
    'C2B-OPERATOR-ISOLATION',
    async () => {
      const { ctd, node, token } = lodgeable(10);
      const other = otherOperator(ctd.holder.identificationNumber);
      if (!other) return false;
      const lodged = await submitCtd(node, token, ctd);
      const peek = await getDeclaration(node, other.token, lodged.mrn, { expect: [403, 404] });
      return lodged.accepted && (peek.res.status === 403 || peek.res.status === 404);
    },
  ],
  [
    'operator_cannot_decide',
    'C2B-ROLES',
    async () => {
      // Release is a customs decision: an operator's token is refused.
      const { ctd, node, token } = lodgeable(11);
      const lodged = await submitCtd(node, token, ctd);
      const r = await releaseForTransit(node, token, lodged.mrn, {}, { expect: [403] });
      return lodged.accepted && rejectedWith(r.res, 403, 'FORBIDDEN');
    },
  ],
  [
    'officer_scope',
    'C2B-OFFICER-SCOPE',
    async () => {
      // An officer acts only for their own offices.
      const { ctd, node, token } = lodgeable(14);
      const departure = ctd.offices.departure;
      const elsewhere = creds
        .allOfficers()
        .find(
          (o) =>
            !o.offices.includes(departure) &&
            o.offices.every((office) => countryOfOffice(office) === countryOfOffice(departure)),
        );
      if (!elsewhere) return undefined;
      const lodged = await submitCtd(node, token, ctd);
      const r = await releaseForTransit(node, elsewhere.token, lodged.mrn, {}, { expect: [403] });
      return lodged.accepted && rejectedWith(r.res, 403, 'FORBIDDEN');
    },
  ],
  [
    'illegal_transition',
    'C2B-ILLEGAL-TRANSITION',
    async () => {
      // Cancellation is allowed only before release.
      const { ctd, node, token } = lodgeable(12);
      const lodged = await submitCtd(node, token, ctd);
      if (!lodged.accepted) return false;
      let state = lodged.state;
      if (state === 'ACCEPTED') state = (await presentGoods(node, token, lodged.mrn)).body.state;
      if (state === 'UNDER_CONTROL')
        state = (await releaseForTransit(node, creds.officerToken(ctd.offices.departure), lodged.mrn)).body.state;
      if (state !== 'RELEASED') return false;
      const r = await cancelDeclaration(node, token, lodged.mrn, {}, { expect: [409] });
      return rejectedWith(r.res, 409, 'ILLEGAL_TRANSITION');
    },
  ],
  [
    'amend_before_release',
    'C2B-AMENDMENT',
    async () => {
      // A pre-lodged CTD can be amended until the goods are presented; after that, no more.
      const { ctd, node, token } = lodgeable(15);
      const prelodged = Object.assign({}, ctd, { additionalDeclarationType: 'D' });
      const lodged = await submitCtd(node, token, prelodged);
      if (!lodged.accepted || lodged.state !== 'ACCEPTED') return false;
      const amended = await amendDeclaration(
        node,
        token,
        lodged.mrn,
        Object.assign({}, prelodged, { security: ctd.security === 0 ? 1 : 0 }),
      );
      const presented = await presentGoods(node, token, lodged.mrn);
      const late = await amendDeclaration(node, token, lodged.mrn, prelodged, { expect: [409] });
      return (
        amended.res.status === 200 &&
        amended.body.amendments === 1 &&
        presented.res.status === 200 &&
        rejectedWith(late.res, 409, 'ILLEGAL_TRANSITION')
      );
    },
  ],
  [
    'cancel_before_release',
    'C2B-CANCELLATION',
    async () => {
      // A pre-lodged CTD waits for presentation, so it can always be cancelled.
      const { ctd, node, token } = lodgeable(13);
      const lodged = await submitCtd(node, token, Object.assign({}, ctd, { additionalDeclarationType: 'D' }));
      const r = await cancelDeclaration(node, token, lodged.mrn, {});
      return lodged.accepted && lodged.state === 'ACCEPTED' && r.res.status === 200 && r.body.state === 'CANCELLED';
    },
  ],
];

const defectCount = entries.length - 1;
/** @type {string[]} */
const defectRules = [];
for (let i = 1; i < entries.length; i++) {
  const rule = `defect_${/** @type {DefectEntry} */ (entries[i]).defect.code}`;
  if (!defectRules.includes(rule)) defectRules.push(rule);
}

export const options = {
  scenarios: {
    conformance: {
      executor: 'shared-iterations',
      vus: Math.min(4, RULES.length + defectCount),
      iterations: RULES.length + defectCount,
      maxDuration: '5m',
    },
  },
  thresholds: Object.assign(
    {
      spec_adherence: ['rate==1'],
      http_req_failed: ['rate==0'],
    },
    breakdown('spec_adherence', 'rule', RULES.map(([name]) => name).concat(defectRules)),
  ),
};

const DUPLICATE_LRN = 'C2B-DUPLICATE-LRN';
const CTD_VALIDATION = 'C2B-CTD-VALIDATION';

/** @param {DefectEntry} entry */
async function checkDefect(entry) {
  const { ctd, token, country, defect, original } = entry;
  const node = nodeUrl(deployment, country);
  if (original) await submitCtd(node, token, original);
  const r = await submitCtd(node, token, ctd, { expect: [400, 403, 404, 409, 422] });
  const ok = !r.accepted && r.res.status >= 400 && r.res.status < 500 && errorCodes(r.res).includes(defect.code);
  // A repeated LRN is the duplicate-LRN rule; every other defect breaks a CTD business rule.
  record(`defect_${defect.code}`, defect.code === 'DUPLICATE_LRN' ? DUPLICATE_LRN : CTD_VALIDATION, ok);
}

export default async function () {
  const i = exec.scenario.iterationInTest;
  if (i < RULES.length) {
    const [name, requirement, rule] = RULES[i];
    /** @type {boolean | undefined} */
    let ok = false;
    try {
      ok = await rule();
    } catch (err) {
      console.error(`conformance rule ${name}: ${err}`);
    }
    // undefined: the credentials at hand cannot exercise the rule.
    if (ok === undefined) console.warn(`conformance rule ${name}: skipped, no credentials to exercise it`);
    else record(name, requirement, ok);
    return;
  }
  await checkDefect(/** @type {DefectEntry} */ (entries[i - RULES.length + 1]));
}
