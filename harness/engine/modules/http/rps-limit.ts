// k6's `rps`: at most that many requests a second over every VU of the test (k6 waits on one rate limiter,
// burst 1, before each request is sent). The threads share the time of the next free turn; each request
// takes a turn before it is sent, so the wait is not in its timings.

/** The next free turn, in µs since the epoch, shared by every thread (one BigInt64). */
let next: BigInt64Array | undefined;
let interval = 0n;

export const RPS_SLOT_BYTES = 8;

/** Applies `rps` (validated by the options parser: a whole number; 0 or none is no limit). */
export function configureRps(rps: unknown, slot: SharedArrayBuffer = new SharedArrayBuffer(RPS_SLOT_BYTES)): void {
  const perSecond = typeof rps === 'number' && rps > 0 ? rps : 0;
  next = perSecond ? new BigInt64Array(slot) : undefined;
  interval = perSecond ? BigInt(Math.round(1e6 / perSecond)) : 0n;
}

/** Resolves when this request may be sent; undefined when it may at once. */
export function rpsTurn(): Promise<void> | undefined {
  if (!next) return undefined;
  const now = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  for (;;) {
    const free = Atomics.load(next, 0);
    const turn = free > now ? free : now;
    if (Atomics.compareExchange(next, 0, free, turn + interval) !== free) continue;
    const waitMs = Number(turn - now) / 1000;
    return waitMs <= 0 ? undefined : new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
