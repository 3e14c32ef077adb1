// Guarantee queries: balance, reserved amount (exposure) and level.
import { jsonBody, request } from './api.js';

/**
 * @param {string} nodeUrl
 * @param {string} token
 * @param {string} grn
 * @param {import('./ctd.js').Expecting} [opts]
 */
export async function getGuarantee(nodeUrl, token, grn, opts = {}) {
  const res = await request('GET', `${nodeUrl}/v1/guarantees/${grn}`, null, {
    token,
    operation: 'guarantee_get',
    name: 'GET /v1/guarantees/{grn}',
    expect: opts.expect,
  });
  return { res, body: jsonBody(res) };
}

/**
 * The node's books of one guarantee as its audit route shows them (auditor or admin):
 * balances in minor units and `uses`, what it holds for movements declared in other countries.
 * undefined when the node does not list it.
 * @param {string} nodeUrl
 * @param {string} token
 * @param {string} grn
 * @returns {Promise<{ grn: string, reservedMinor: number, referenceAmountMinor: number,
 *   uses?: { mrn: string, departureCountry: string, amountMinor: number }[] } | undefined>}
 */
export async function auditedGuarantee(nodeUrl, token, grn) {
  /** @type {string | undefined} */
  let after;
  for (;;) {
    const res = await request(
      'GET',
      `${nodeUrl}/v1/audit/guarantees?limit=1000${after ? `&after=${after}` : ''}`,
      null,
      { token, operation: 'audit_guarantees', name: 'GET /v1/audit/guarantees' },
    );
    const body = jsonBody(res);
    const items = body && Array.isArray(body.items) ? body.items : [];
    const found = items.find((/** @type {any} */ g) => g.grn === grn);
    if (found || !body || !body.next) return found;
    after = body.next;
  }
}
