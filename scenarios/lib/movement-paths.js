// The paths a movement takes once released (generators/movement-path.ts labels
// each CTD of a data set with one) and the state each ends in at its office of
// departure (reference/domain/README.md, state machine).

/** @type {Record<string, string>} */
export const END_STATE = {
  'as-declared': 'WRITTEN_OFF',
  'discrepancies-resolved': 'WRITTEN_OFF',
  'discrepancies-recovery': 'RECOVERED',
  'late-arrival': 'WRITTEN_OFF',
  'enquiry-arrival': 'WRITTEN_OFF',
  'enquiry-recovery': 'RECOVERED',
  'diverted-transit': 'WRITTEN_OFF',
  'diverted-destination': 'WRITTEN_OFF',
  incident: 'WRITTEN_OFF',
  invalidated: 'INVALIDATED',
};

/** Paths that need business time to pass (the time limit, the enquiry period): only with a clock running fast. */
export const TIME_PATHS = ['late-arrival', 'enquiry-arrival', 'enquiry-recovery'];

/**
 * The path label of a data-set record (older data sets have none: as declared).
 * @param {import('./dataset.js').CtdRecord} record
 * @returns {import('./journey.js').MovementPath}
 */
export function pathOf(record) {
  const p = record.path;
  if (!p || !END_STATE[p.kind]) return { kind: 'as-declared' };
  return p;
}

/**
 * Whether the deployment's business time runs fast enough for the time paths: every node
 * publishes a controllable clock at the same factor, at least `minFactor`. Read in setup().
 * @param {import('./deployment.js').Deployment} deployment
 * @param {(url: string) => Promise<import('./clock.js').Clock | undefined>} readClock
 * @param {number} minFactor
 * @returns {Promise<{ possible: boolean, factor: number, reason: string }>}
 */
export async function timeTravel(deployment, readClock, minFactor) {
  /** @type {number[]} */
  const factors = [];
  for (const country of Object.keys(deployment.nodes)) {
    const clock = await readClock(deployment.nodes[country].url);
    if (!clock || !clock.controllable)
      return { possible: false, factor: clock ? clock.factor : 1, reason: `${country} has no controllable clock` };
    factors.push(clock.factor);
  }
  const factor = Math.min(...factors);
  if (Math.max(...factors) !== factor)
    return { possible: false, factor, reason: `the nodes' clocks run at different factors (${factors.join(', ')})` };
  if (factor < minFactor)
    return { possible: false, factor, reason: `business time runs ${factor}× real time, below ${minFactor}×` };
  return { possible: true, factor, reason: '' };
}
