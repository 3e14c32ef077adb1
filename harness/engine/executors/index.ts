// Executor by k6 name.
import type { ExecutorName } from '../options/options.ts';
import { runConstantArrivalRate } from './constant-arrival-rate.ts';
import { runConstantVus } from './constant-vus.ts';
import { runPerVuIterations } from './per-vu-iterations.ts';
import { runRampingArrivalRate } from './ramping-arrival-rate.ts';
import { runRampingVus } from './ramping-vus.ts';
import type { ExecutionEnv } from './scenario-execution.ts';
import { runSharedIterations } from './shared-iterations.ts';

export const executors: Record<ExecutorName, (env: ExecutionEnv) => Promise<void>> = {
  'constant-vus': runConstantVus,
  'ramping-vus': runRampingVus,
  'constant-arrival-rate': runConstantArrivalRate,
  'ramping-arrival-rate': runRampingArrivalRate,
  'per-vu-iterations': runPerVuIterations,
  'shared-iterations': runSharedIterations,
};
