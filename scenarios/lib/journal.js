// The run's journal of acknowledged steps, for the reconciliation after it: each
// answer in which a node acknowledged a step of a movement is one sample of the
// `movement_acks` counter tagged with the MRN, the step and the state the node
// answered with. The harness's engine writes these samples to journal.ndjson
// (`--out journal=FILE`). The harness turns the journal on with CATS_JOURNAL=1; it
// is off otherwise, because under a real k6 an output such as Prometheus remote
// write would make every MRN a series (`-e CATS_JOURNAL=1 --out json` keeps it there).
import { movementAcks } from './metrics.js';

const JOURNAL = __ENV.CATS_JOURNAL === '1';

/**
 * @param {string | undefined} mrn
 * @param {string} step  the operation tag of the request (ctd_submit, ctd_release, movement_crossing, …)
 * @param {unknown} state  the movement's state in the node's answer
 */
export function acknowledged(mrn, step, state) {
  if (!JOURNAL || typeof mrn !== 'string' || typeof state !== 'string') return;
  movementAcks.add(1, { mrn, step, state });
}
