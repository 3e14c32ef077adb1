// per-vu-iterations: each VU runs exactly `iterations` iterations, within maxDuration.
import { participate, ScenarioExecution, share, shareOffset, vuLoop, type ExecutionEnv } from './scenario-execution.ts';

export async function runPerVuIterations(env: ExecutionEnv): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan } = env;
  const seg = participate(env.segment, plan.vus);
  if (!seg) return ex.finish(Promise.resolve(), 0);
  const vuCount = share(plan.vus, seg);
  const firstVu = shareOffset(plan.vus, seg);
  const total = vuCount * plan.iterations;
  let started = 0;
  ex.progress = () => (total ? started / total : 1);
  ex.stopAfter(plan.maxDurationMs);
  const loops = Array.from({ length: vuCount }, (_, k) => {
    const vu = ex.newVu();
    let n = 0;
    return vuLoop(ex, vu, () => {
      if (n >= plan.iterations) return undefined;
      started++;
      return (firstVu + k) * plan.iterations + n++;
    });
  });
  await ex.finish(Promise.all(loops), plan.gracefulStopMs);
  ex.dropped(total - started);
}
