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
