// When a part of a deployment that died is started again, as a service
// manager would: after a delay that doubles with each recent restart, and not
// at all once it has died too often within a window (it is then failed).
import { parseDuration } from '../engine/options/duration.ts';

export interface RestartPolicy {
  /** Delay before the first restart. */
  initialDelayMs: number;
  /** The delay doubles with every restart within the window, up to this. */
  maxDelayMs: number;
  /** A part that needs more restarts than this within `windowMs` is failed. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 200,
  maxDelayMs: 5000,
  maxRestarts: 5,
  windowMs: 60_000,
};

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; why: string };

/** The restart history of one part. */
export class RestartTracker {
  private recent: number[] = [];

  constructor(readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** Called when the part died at `now` (ms): whether to start it again, and when. */
  died(now: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, maxRestarts, windowMs } = this.policy;
    this.recent = this.recent.filter((t) => now - t < windowMs);
    if (this.recent.length >= maxRestarts) {
      return { restart: false, why: `died after ${this.recent.length} restarts within ${windowMs / 1000} s` };
    }
    const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** this.recent.length);
    this.recent.push(now);
    return { restart: true, delayMs };
  }
}

/** `N/DURATION` (as `up --restart-limit`): at most N restarts within DURATION (a k6 duration such as 60s or 10m). */
export function parseRestartLimit(text: string): Pick<RestartPolicy, 'maxRestarts' | 'windowMs'> {
  const m = /^(\d+)\/(.+)$/.exec(text.trim());
  const fail = (why: string) => new Error(`--restart-limit: '${text}' ${why} (use e.g. 5/60s)`);
  if (!m) throw fail('is not N/DURATION');
  let windowMs: number;
  try {
    windowMs = parseDuration(m[2], '--restart-limit window');
  } catch (err) {
    throw fail(`has no valid window: ${(err as Error).message}`);
  }
  if (windowMs <= 0) throw fail('has an empty window');
  return { maxRestarts: Number(m[1]), windowMs };
}
