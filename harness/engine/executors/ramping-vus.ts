// ramping-vus: the VU count follows the stages linearly; VUs over the target
// finish their iteration (gracefulRampDown) and leave.
import type { Stage } from '../options/options.ts';
import { ScenarioExecution, share, vuLoop, type ExecutionEnv, type Vu } from './scenario-execution.ts';

const TICK_MS = 10;

/** The whole test's VU target `t` ms into the stages (whole VUs, reached exactly at each stage's end). */
export function vuTarget(startVUs: number, stages: Stage[], t: number): number {
  let from = startVUs;
  let at = 0;
  for (const s of stages) {
    if (t < at + s.durationMs) return Math.floor(from + ((s.target - from) * (t - at)) / s.durationMs);
    at += s.durationMs;
    from = s.target;
  }
  return from;
}

export async function runRampingVus(env: ExecutionEnv): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan, segment, instance } = env;
  const totalMs = plan.stages.reduce((a, s) => a + s.durationMs, 0);
  ex.progress = () => ex.elapsed() / totalMs;
  ex.stopAfter(totalMs);
  let local = 0;
  const next = (): number => instance.nth(local++ * segment.count + segment.index);
  const active: Vu[] = [];
  const loops = new Set<Promise<void>>();
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const adjust = (): void => {
    // As k6 does, an instance has its segment's share of the test's target at every moment.
    const want = ex.stopping ? 0 : share(instance.scale(vuTarget(plan.startVUs, plan.stages, ex.elapsed())), segment);
    while (!ex.stopping && active.length < want) {
      const vu = ex.newVu();
      active.push(vu);
      const loop = vuLoop(ex, vu, next).then(() => {
        loops.delete(loop);
        ex.retire(vu);
      });
      loops.add(loop);
    }
    while (!ex.stopping && active.length > want) {
      const vu = active.pop()!;
      vu.retiring = true;
      if (vu.busy) ex.timer(() => ex.interrupt(vu), plan.gracefulRampDownMs);
    }
    if (ex.stopping) {
      void Promise.all(loops).then(resolveDone);
      return;
    }
    ex.timer(adjust, TICK_MS);
  };
  adjust();
  await ex.finish(done, plan.gracefulStopMs);
}
