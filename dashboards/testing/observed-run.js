// A short k6 run that gives every dashboard panel something to show: CTD
// submissions across a border (so ICE carries IE001/IE050), duplicate LRNs the
// node refuses (failed requests, rejections), declaration reads, and a
// scenario starved of VUs (dropped iterations). Used by dashboards/observability.test.ts.
//   env: NODE_URL, TOKEN (operator), CTD (path of a CTD template, JSON), RUN (short tag for LRNs), DURATION
import http from 'k6/http';
import { check, sleep } from 'k6';
import { ctdAccepted, ctdRejected } from '../../scenarios/lib/metrics.js';

const template = JSON.parse(open(__ENV.CTD));
const DURATION = __ENV.DURATION || '6s';
const headers = { authorization: `Bearer ${__ENV.TOKEN}`, 'content-type': 'application/json' };

export const options = {
  scenarios: {
    ctd_submissions: {
      executor: 'constant-arrival-rate',
      exec: 'submit',
      rate: 20,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: 4,
      maxVUs: 8,
    },
    // One VU sleeping 200 ms cannot start 300 iterations a second: the rest are dropped, fast
    // enough that the engine reports them several times a second.
    starved_probe: {
      executor: 'constant-arrival-rate',
      exec: 'probe',
      rate: 300,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: 1,
      maxVUs: 1,
    },
  },
};

/**
 * @param {string} lrn
 * @param {Record<string, unknown>} ctd
 */
function lodge(lrn, ctd) {
  return http.asyncRequest('POST', `${__ENV.NODE_URL}/v1/declarations`, JSON.stringify({ ...ctd, lrn }), {
    headers,
    tags: { operation: 'ctd_submit', name: 'POST /v1/declarations' },
  });
}

export async function submit() {
  const lrn = `${__ENV.RUN}${__VU}X${__ITER}`;
  const res = await lodge(lrn, template);
  // Text responses (the default response type).
  const body = res.status === 201 ? JSON.parse(/** @type {string} */ (res.body)) : undefined;
  check(res, { 'CTD accepted': () => res.status === 201 });
  if (!body) {
    ctdRejected.add(1, { code: `HTTP_${res.status}` });
    return;
  }
  ctdAccepted.add(1, { decision: body.decision });
  const read = await http.asyncRequest('GET', `${__ENV.NODE_URL}/v1/declarations/${body.mrn}`, null, {
    headers,
    tags: { operation: 'ctd_get', name: 'GET /v1/declarations/{mrn}' },
  });
  check(read, { 'declaration readable': (r) => r.status === 200 });
  if (__ITER % 5 === 0) {
    // Same LRN, other content: the node must refuse it (409 DUPLICATE_LRN).
    const dup = await lodge(lrn, {
      ...template,
      consignment: { ...template.consignment, grossMass: template.consignment.grossMass + 1 },
    });
    check(dup, { 'duplicate LRN refused': (r) => r.status === 409 });
    if (dup.status === 409) ctdRejected.add(1, { code: JSON.parse(/** @type {string} */ (dup.body)).code });
  }
}

export async function probe() {
  const res = await http.asyncRequest('GET', `${__ENV.NODE_URL}/readyz`, null, {
    tags: { operation: 'probe', name: 'GET /readyz' },
  });
  check(res, { 'node ready': (r) => r.status === 200 });
  await sleep(0.2);
}
