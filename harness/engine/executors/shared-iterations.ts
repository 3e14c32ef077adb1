// shared-iterations: VUs share a fixed number of iterations, within maxDuration.
import { participate, ScenarioExecution, share, shareOffset, vuLoop, type ExecutionEnv } from './scenario-execution.ts';

export async function runSharedIterations(env: ExecutionEnv): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan } = env;
  const seg = participate(env.segment, plan.vus);
  if (!seg) return ex.finish(Promise.resolve(), 0);
  const total = share(plan.iterations, seg);
  const offset = shareOffset(plan.iterations, seg);
  let started = 0;
  ex.progress = () => (total ? started / total : 1);
  ex.stopAfter(plan.maxDurationMs);
  const next = (): number | undefined => (started < total ? offset + started++ : undefined);
  const vus = Array.from({ length: share(plan.vus, seg) }, () => ex.newVu());
  await ex.finish(Promise.all(vus.map((vu) => vuLoop(ex, vu, next))), plan.gracefulStopMs);
  ex.dropped(total - started);
}
