// Guarantee queries: balance, reserved amount (exposure) and level.
import { jsonBody, request } from './api.js';

export async function getGuarantee(nodeUrl, token, grn, opts = {}) {
  const res = await request('GET', `${nodeUrl}/v1/guarantees/${grn}`, null, {
    token,
    operation: 'guarantee_get',
    name: 'GET /v1/guarantees/{grn}',
    expect: opts.expect,
  });
  return { res, body: jsonBody(res) };
}
