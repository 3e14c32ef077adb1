// per-vu-iterations: each VU runs exactly `iterations` iterations, within maxDuration.
import { participate, ScenarioExecution, share, shareOffset, vuLoop, type ExecutionEnv } from './scenario-execution.ts';

export async function runPerVuIterations(env: ExecutionEnv): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan, instance } = env;
  // As in k6, segments split the VUs; every VU keeps all its iterations.
  const vus = instance.scale(plan.vus);
  const seg = participate(env.segment, vus);
  if (!seg) return ex.finish(Promise.resolve(), 0);
  const vuCount = share(vus, seg);
  const firstVu = shareOffset(vus, seg);
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
      return instance.nth(firstVu + k) * plan.iterations + n++;
    });
  });
  await ex.finish(Promise.all(loops), plan.gracefulStopMs);
  ex.dropped(total - started);
}
