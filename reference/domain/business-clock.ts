// Business time: the time limit dates, enquiry and recovery periods and the
// timestamps of business events follow. A deployment may run it faster than
// real time (the time factor) so that a test reaches an 8-day limit in
// seconds. Every part derives it from the same anchor, so it agrees across
// parts and continues across restarts; protocol timers stay in real time.

/** The whole definition of a deployment's business time. */
export interface ClockAnchor {
  /** Real instant (ms since the epoch) at which business time equals real time. */
  epochMs: number;
  /** Business seconds per real second (1: business time is real time). */
  factor: number;
}

export interface BusinessClock {
  readonly anchor: ClockAnchor;
  /** The business time now. */
  now(): Date;
  /** Real milliseconds until business time reaches `at` (0 when past). */
  realDelayUntil(at: Date): number;
}

export const REAL_TIME: ClockAnchor = { epochMs: 0, factor: 1 };

/** Business time at real instant `realMs`. */
export function businessTimeAt(anchor: ClockAnchor, realMs: number): number {
  return anchor.epochMs + (realMs - anchor.epochMs) * anchor.factor;
}

/** A clock over a real time source (ms since the epoch), passed in so that this stays pure. */
export function businessClock(anchor: ClockAnchor, realNowMs: () => number): BusinessClock {
  if (!(anchor.factor > 0) || !Number.isFinite(anchor.factor)) throw new RangeError('time factor must be > 0');
  if (!Number.isFinite(anchor.epochMs)) throw new RangeError('clock epoch must be a finite instant');
  return {
    anchor,
    now: () => new Date(businessTimeAt(anchor, realNowMs())),
    realDelayUntil: (at) => Math.max(0, (at.getTime() - businessTimeAt(anchor, realNowMs())) / anchor.factor),
  };
}

/** `CATS_CLOCK`-style text: `<factor>` or `<factor>@<ISO epoch>`. */
export function formatAnchor(anchor: ClockAnchor): string {
  return `${anchor.factor}@${new Date(anchor.epochMs).toISOString()}`;
}

/**
 * Parses a time factor and an optional epoch (ISO 8601); without an epoch,
 * `defaultEpochMs` (the caller's start) is taken.
 */
export function parseAnchor(factorText: string, epochText: string | undefined, defaultEpochMs: number): ClockAnchor {
  const factor = Number(factorText);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(factorText.trim()) || !(factor > 0))
    throw new RangeError(`time factor must be a positive number, got ${factorText}`);
  if (factor === 1 && epochText === undefined) return REAL_TIME;
  const epochMs = epochText === undefined ? defaultEpochMs : Date.parse(epochText);
  if (!Number.isFinite(epochMs)) throw new RangeError(`clock epoch must be an ISO 8601 instant, got ${epochText}`);
  return { epochMs, factor };
}
