// ramping-arrival-rate: the rate moves linearly from stage to stage; iteration
// i (1-based) starts when the integral of the rate reaches i, as in k6.
import type { Stage } from '../options/options.ts';
import { runArrivalRate } from './arrival-rate.ts';
import type { ExecutionEnv } from './scenario-execution.ts';

/** Start time (ms) of each iteration k (0-based), or undefined past the last stage. */
export function arrivalSchedule(
  startRate: number,
  stages: Stage[],
  timeUnitMs: number,
): (k: number) => number | undefined {
  return (k) => {
    let remaining = k + 1;
    let from = startRate / timeUnitMs;
    let at = 0;
    for (const s of stages) {
      const to = s.target / timeUnitMs;
      const d = s.durationMs;
      const inStage = ((from + to) / 2) * d;
      if (remaining <= inStage + 1e-9 && d > 0) {
        // Solve from·τ + (to−from)·τ²/(2d) = remaining for τ.
        const a = (to - from) / (2 * d);
        const tau = a === 0 ? remaining / from : (2 * remaining) / (from + Math.sqrt(from * from + 4 * a * remaining));
        return at + Math.min(tau, d);
      }
      remaining -= inStage;
      at += d;
      from = to;
    }
    return undefined;
  };
}

export function runRampingArrivalRate(env: ExecutionEnv): Promise<void> {
  const { startRate, stages, timeUnitMs } = env.plan;
  const totalMs = stages.reduce((a, s) => a + s.durationMs, 0);
  return runArrivalRate(env, arrivalSchedule(startRate, stages, timeUnitMs), totalMs);
}
