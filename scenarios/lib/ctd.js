// Lodging a CATS Transit Declaration and reading its state back.
import { sleep } from 'k6';
import { errorCode, jsonBody, request } from './api.js';
import { ctdAccepted, ctdRefused, ctdRejected } from './metrics.js';
import { BUSINESS_REFUSALS } from './codes.js';
import { acknowledged } from './journal.js';

/**
 * Statuses that are not failures (negative tests).
 * @typedef {{ expect?: number[] }} Expecting
 */

/**
 * Submits a CTD as its holder and records the outcome as ctd_accepted{decision}
 * or ctd_rejected{code}, with `tags` added. With `refusals`, a refusal by the business rules
 * (BUSINESS_REFUSALS, answered 409) is no failed request and is recorded as
 * ctd_refused{code} instead: the load scenarios keep it apart from system failures.
 * With `awaitGuaranteeS`, a CTD secured by a guarantee of another country (answered
 * AWAITING_GUARANTEE) is read back until that country has answered, for at most that many
 * seconds, and the answer is its outcome: accepted with the decision that follows, or
 * rejected with the code of the refusal (`NO_GUARANTEE_ANSWER` when none came in time,
 * `STATE_<state>` when it ended otherwise).
 * @param {string} nodeUrl
 * @param {string} token
 * @param {unknown} ctd
 * @param {Expecting & { refusals?: boolean, tags?: Record<string, string>, awaitGuaranteeS?: number }} [opts]
 * @returns {Promise<{ res: import('./api.js').Response, accepted: boolean, refused?: boolean, mrn?: string, state?: string, code?: string, body?: any }>}
 */
export async function submitCtd(nodeUrl, token, ctd, opts = {}) {
  const tags = opts.tags || {};
  const res = await request('POST', `${nodeUrl}/v1/declarations`, ctd, {
    token,
    operation: 'ctd_submit',
    name: 'POST /v1/declarations',
    expect: opts.refusals ? [{ min: 200, max: 399 }, 409] : opts.expect,
  });
  const body = jsonBody(res);
  if (res.status >= 200 && res.status < 300 && body && body.mrn) {
    acknowledged(body.mrn, 'ctd_submit', body.state);
    if (body.state === 'AWAITING_GUARANTEE' && opts.awaitGuaranteeS !== undefined)
      return guaranteeAnswer(nodeUrl, token, res, body, opts.awaitGuaranteeS, tags);
    ctdAccepted.add(1, Object.assign({ decision: body.decision || decisionOf(body.state) }, tags));
    return { res, accepted: true, mrn: body.mrn, state: body.state, body };
  }
  const code = errorCode(res);
  if (opts.refusals && BUSINESS_REFUSALS.includes(code)) {
    ctdRefused.add(1, Object.assign({ code }, tags));
    return { res, accepted: false, refused: true, code, body };
  }
  ctdRejected.add(1, Object.assign({ code }, tags));
  return { res, accepted: false, code, body };
}

/** Where a movement goes once its guarantees are reserved: released, held for control, or waiting for its goods (pre-lodged). */
const SECURED = ['RELEASED', 'UNDER_CONTROL', 'ACCEPTED'];

/**
 * The outcome of a lodging that waits for another country to reserve its guarantees (IE203/IE205).
 * @param {string} nodeUrl
 * @param {string} token
 * @param {import('./api.js').Response} res  the lodging's answer
 * @param {any} lodged  its body
 * @param {number} seconds
 * @param {Record<string, string>} tags
 */
async function guaranteeAnswer(nodeUrl, token, res, lodged, seconds, tags) {
  const deadline = Date.now() + seconds * 1000;
  let m = lodged;
  while (m.state === 'AWAITING_GUARANTEE' && Date.now() < deadline) {
    await sleep(0.25);
    const read = await getDeclaration(nodeUrl, token, lodged.mrn);
    if (read.res.status === 200 && read.body) m = read.body;
  }
  if (SECURED.includes(m.state)) {
    ctdAccepted.add(1, Object.assign({ decision: decisionOf(m.state) }, tags));
    return { res, accepted: true, mrn: m.mrn, state: m.state, body: m };
  }
  const refusal = m.guaranteeAbroad && m.guaranteeAbroad.refusal;
  const code = refusal
    ? String(refusal.code)
    : m.state === 'AWAITING_GUARANTEE'
      ? 'NO_GUARANTEE_ANSWER'
      : `STATE_${m.state}`;
  ctdRejected.add(1, Object.assign({ code }, tags));
  return { res, accepted: false, mrn: m.mrn, state: m.state, code, body: m };
}

/**
 * The risk decision a state reflects: released straight away, or held for control.
 * @param {string | undefined} state
 */
function decisionOf(state) {
  if (state === 'UNDER_CONTROL') return 'control';
  if (state === 'RELEASED') return 'release';
  return String(state || 'unknown').toLowerCase();
}

/**
 * @param {string} nodeUrl
 * @param {string} token
 * @param {string | undefined} mrn  undefined after a failed lodging: the request is then refused
 * @param {Expecting} [opts]
 */
export async function getDeclaration(nodeUrl, token, mrn, opts = {}) {
  const res = await request('GET', `${nodeUrl}/v1/declarations/${mrn}`, null, {
    token,
    operation: 'ctd_get',
    name: 'GET /v1/declarations/{mrn}',
    expect: opts.expect,
  });
  return { res, body: jsonBody(res) };
}

/**
 * Declarations in one state, as the caller may see them (an officer: their offices'; an operator: their own).
 * @param {string} nodeUrl
 * @param {string} token
 * @param {string} state
 * @param {{ limit?: number, after?: string }} [opts]
 * @returns {Promise<{ res: import('./api.js').Response, items: any[], next: string | null }>}
 */
export async function listDeclarations(nodeUrl, token, state, opts = {}) {
  const query = `state=${state}${opts.limit ? `&limit=${opts.limit}` : ''}${opts.after ? `&after=${opts.after}` : ''}`;
  const res = await request('GET', `${nodeUrl}/v1/declarations?${query}`, null, {
    token,
    operation: 'ctd_list',
    name: 'GET /v1/declarations?state',
  });
  const body = jsonBody(res);
  return { res, items: body && Array.isArray(body.items) ? body.items : [], next: body ? body.next : null };
}
