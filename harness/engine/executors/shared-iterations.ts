// shared-iterations: VUs share a fixed number of iterations, within maxDuration. As in k6, the pool is one
// across all threads: a VU takes the next iteration when it is free, so a fast VU (or thread) takes more.
import {
  participate,
  ScenarioExecution,
  share,
  SHARED_FINISHED as FINISHED,
  SHARED_TAKEN as TAKEN,
  vuLoop,
  type ExecutionEnv,
} from './scenario-execution.ts';

export async function runSharedIterations(env: ExecutionEnv): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan, shared, instance } = env;
  // As in k6, an instance's share of the iterations is striped by the segments' shares of the VUs.
  const iterations = instance.fromValue(plan.vus);
  const vus = instance.scale(plan.vus);
  const seg = iterations && participate(env.segment, vus);
  if (!iterations || !seg) return ex.finish(Promise.resolve(), 0);
  const total = iterations.scale(plan.iterations);
  ex.progress = () => (total ? Math.min(total, Atomics.load(shared, TAKEN)) / total : 1);
  ex.stopAfter(plan.maxDurationMs);
  const next = (): number | undefined => {
    const i = Atomics.add(shared, TAKEN, 1);
    return i < total ? iterations.nth(i) : undefined;
  };
  const mine = Array.from({ length: share(vus, seg) }, () => ex.newVu());
  await ex.finish(Promise.all(mine.map((vu) => vuLoop(ex, vu, next))), plan.gracefulStopMs);
  // The last thread to finish counts what nobody started: no thread takes an iteration after that.
  if (Atomics.add(shared, FINISHED, 1) + 1 === seg.count)
    ex.dropped(total - Math.min(total, Atomics.load(shared, TAKEN)));
}
