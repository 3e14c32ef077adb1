// Business time during a replay: the TIR log's time, run `speed` times faster
// than the wall clock from the moment the replay starts. A deployment with a
// business clock of its own (a time factor) would supply this instead; until
// then the harness compresses the log's timing itself, so the nodes' own
// timestamps stay in wall-clock time and every duration the comparison reports
// is measured here, in business time.
export class BusinessClock {
  constructor(
    /** Business time (ms since the epoch) at the start. */
    readonly businessStart: number,
    /** Wall-clock time (ms since the epoch) at the start. */
    readonly realStart: number,
    /** Business milliseconds per wall-clock millisecond. */
    readonly speed: number,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  }

  /** The business time at wall-clock time `real`. */
  business(real: number = Date.now()): number {
    return this.businessStart + (real - this.realStart) * this.speed;
  }

  /** The wall-clock time at which business time `business` comes. */
  real(business: number): number {
    return this.realStart + (business - this.businessStart) / this.speed;
  }

  /** Resolves once business time `business` has come. */
  async until(business: number): Promise<void> {
    const wait = this.real(business) - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
