// constant-arrival-rate: `rate` iterations per `timeUnit`, the first at once.
import { runArrivalRate } from './arrival-rate.ts';
import type { ExecutionEnv } from './scenario-execution.ts';

export function runConstantArrivalRate(env: ExecutionEnv): Promise<void> {
  const { rate, timeUnitMs, durationMs } = env.plan;
  const interval = timeUnitMs / rate;
  return runArrivalRate(env, (k) => (k * interval < durationMs ? k * interval : undefined), durationMs);
}
