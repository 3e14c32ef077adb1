// Rejection codes of spec v0 (reference/spec/errors.ts) that the load
// scenarios break their counts down by.

/** What a valid CTD can still be refused with when the system is under load or its data runs out. */
export const LOAD_REJECTIONS = [
  'GUARANTEE_INSUFFICIENT',
  'GUARANTEE_ALREADY_USED',
  'DUPLICATE_LRN',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
];

/**
 * Refusals by the business rules that a load scenario meets when it outgrows its data set
 * (a comprehensive guarantee with no room left; an individual guarantee that already serves
 * a movement): answered 409, counted in `ctd_refused{code}`, never in http_req_failed.
 */
export const BUSINESS_REFUSALS = ['GUARANTEE_INSUFFICIENT', 'GUARANTEE_ALREADY_USED'];

/**
 * Threshold entries without conditions, one per tag value: k6 reports a
 * sub-metric in the end-of-test summary only when a threshold names it.
 * @param {string} metric
 * @param {string} tag
 * @param {readonly string[]} values
 * @returns {Record<string, string[]>}
 */
export function breakdown(metric, tag, values) {
  /** @type {Record<string, string[]>} */
  const out = {};
  for (const v of values) out[`${metric}{${tag}:${v}}`] = [];
  return out;
}
