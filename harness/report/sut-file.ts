// sut.ndjson in a run folder: the system under test's own resource use, one line per
// second and part (written by harness/stress/sut-sampler.ts, read by the report and capacity).

export const SUT_FILE = 'sut.ndjson';

export interface SutLine {
  /** Epoch seconds. */
  t: number;
  /** `node KZ`, `ICE`. */
  part: string;
  /** Process CPU used since the previous scrape, in cores (1 = one core busy). */
  cpuCores?: number;
  rssBytes?: number;
  eventLoopLagP99Ms?: number;
  dbPoolTotal?: number;
  dbPoolIdle?: number;
  dbPoolWaiting?: number;
  /** ICE: messages stored and not yet delivered, over all recipients. */
  queueDepth?: number;
  /** ICE: messages sent and not yet acknowledged. */
  inFlight?: number;
  /** A node: C2C messages written to its outbox and not yet sent to ICE. */
  outboxPending?: number;
  /** A node: CTD lodgings it accepted since its previous answered scrape, as the node timed them. */
  lodged?: number;
  /** A node: the summed request-to-response time of those lodgings. */
  lodgingSeconds?: number;
  /** A node: those lodgings in its lodging-time histogram, cumulative per upper bound in seconds (`le`, with `+Inf`). */
  lodgingBuckets?: Record<string, number>;
  /** Why this second has no figures (the scrape failed). */
  gap?: string;
}
