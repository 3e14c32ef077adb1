// The deployment's business clock (GET /v1/clock): limit dates, enquiry and
// recovery periods run on it, possibly many times faster than real time. A path
// that needs business time to pass waits the real time the clock says, never
// real days.
import { jsonBody, request } from './api.js';

/**
 * @typedef {{ now: number, factor: number, controllable: boolean }} Clock
 *   now: business time (ms since the epoch) when read; factor: business seconds per real second
 */

/**
 * The node's business clock, or undefined when it publishes none.
 * @param {string} nodeUrl
 * @returns {Promise<Clock | undefined>}
 */
export async function readClock(nodeUrl) {
  const res = await request('GET', `${nodeUrl}/v1/clock`, null, {
    operation: 'clock',
    name: 'GET /v1/clock',
    expect: [200, 404],
  });
  const body = jsonBody(res);
  if (res.status !== 200 || !body || typeof body.now !== 'string' || !(body.factor > 0)) return undefined;
  return { now: Date.parse(body.now), factor: body.factor, controllable: body.controllable === true };
}

/**
 * Real milliseconds until the node's business time reaches `at` (0 when past; Infinity without a clock).
 * @param {string} nodeUrl
 * @param {string} at  ISO 8601 business instant
 */
export async function realMsUntil(nodeUrl, at) {
  const clock = await readClock(nodeUrl);
  if (!clock) return Infinity;
  return Math.max(0, (Date.parse(at) - clock.now) / clock.factor);
}
