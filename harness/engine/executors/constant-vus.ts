// constant-vus: a fixed number of VUs loop over iterations for a duration.
import { ScenarioExecution, share, vuLoop, type ExecutionEnv } from './scenario-execution.ts';

export async function runConstantVus(env: ExecutionEnv): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan, segment, instance } = env;
  ex.progress = () => ex.elapsed() / plan.durationMs;
  ex.stopAfter(plan.durationMs);
  let local = 0;
  // Iteration numbers in the test: this thread's share of the instance's, the instance's of the test's.
  const next = (): number => instance.nth(local++ * segment.count + segment.index);
  const vus = Array.from({ length: share(instance.scale(plan.vus), segment) }, () => ex.newVu());
  await ex.finish(Promise.all(vus.map((vu) => vuLoop(ex, vu, next))), plan.gracefulStopMs);
}
