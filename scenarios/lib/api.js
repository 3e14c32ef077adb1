// One request to a spec v0 endpoint: JSON in and out, bearer token, and the two
// tags every request carries: `operation` (what it does in the domain) and
// `name` (the route without ids, so metrics stay low-cardinality).
import http from 'k6/http';
import { jsonHeaders } from './auth.js';

/** @typedef {import('k6/http').RefinedResponse<import('k6/http').ResponseType | undefined>} Response */

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} body  object (sent as JSON), string (sent as is) or null
 * @param {{ token?: string, operation: string, name: string, expect?: Array<number | { min: number, max: number }>, headers?: Record<string, string>, timeout?: string }} opts
 *   `expect` lists the statuses (or ranges) that are not failures (negative tests, business refusals); default 2xx/3xx.
 */
export function request(method, url, body, opts) {
  /** @type {import('k6/http').RefinedParams<import('k6/http').ResponseType | undefined>} */
  const params = {
    headers: Object.assign(jsonHeaders(opts.token), opts.headers || {}),
    tags: { operation: opts.operation, name: opts.name },
    timeout: opts.timeout || '30s',
  };
  if (opts.expect) params.responseCallback = http.expectedStatuses(...opts.expect);
  const payload = body === null || body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return http.asyncRequest(method, url, payload, params);
}

/**
 * The response body as JSON, or undefined when there is none or it does not parse.
 * @param {Response | undefined} res
 * @returns {any}
 */
export function jsonBody(res) {
  if (!res || !res.body) return undefined;
  try {
    return JSON.parse(String(res.body));
  } catch (_) {
    return undefined;
  }
}

/**
 * The rejection code of a spec v0 error response (top-level code), or `HTTP_<status>` when the body has none.
 * @param {Response} res
 * @returns {string}
 */
export function errorCode(res) {
  const body = jsonBody(res);
  if (body && typeof body.code === 'string') return body.code;
  return res.status === 0 ? `NETWORK_${res.error_code || 0}` : `HTTP_${res.status}`;
}

/**
 * Every code a rejection names: the top-level one and each functional error's.
 * @param {Response} res
 * @returns {string[]}
 */
export function errorCodes(res) {
  const body = jsonBody(res);
  if (!body) return [];
  const codes = typeof body.code === 'string' ? [body.code] : [];
  for (const e of body.errors || []) if (e && typeof e.code === 'string') codes.push(e.code);
  return codes;
}
