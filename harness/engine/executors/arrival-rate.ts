// The open model shared by both arrival-rate executors: iteration k starts at
// its scheduled time whatever the server does. A free VU runs it; with none
// free it is dropped (dropped_iterations) and one more VU is added, up to
// maxVUs, as k6 does. Each started iteration's lateness behind its schedule is
// recorded in iteration_schedule_lag.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { participate, ScenarioExecution, share, type ExecutionEnv, type Vu } from './scenario-execution.ts';

/**
 * Runs iterations at the times `startOf(k)` (ms from scenario start) for the
 * global indexes k = 0, 1, 2, … while `startOf` returns a time (it returns
 * undefined past the scenario's end). As in k6, an instance with an execution
 * segment takes the indexes its segment owns once the sequence is re-cut by
 * maxVUs; this thread takes every `count`-th of those, starting at its own.
 */
export async function runArrivalRate(
  env: ExecutionEnv,
  startOf: (k: number) => number | undefined,
  totalMs: number,
): Promise<void> {
  const ex = new ScenarioExecution(env);
  const { plan, instance } = env;
  const arrivals = instance.fromValue(plan.maxVUs);
  const maxVUsHere = instance.scale(plan.maxVUs);
  const preAllocatedHere = instance.scale(plan.preAllocatedVUs);
  const seg = arrivals && participate(env.segment, maxVUsHere);
  if (!arrivals || !seg) return ex.finish(Promise.resolve(), 0);
  ex.progress = () => ex.elapsed() / totalMs;
  // The schedule itself ends the scenario: an iteration due before the end starts
  // even if this thread runs late (its lag is recorded). Only a schedule still
  // behind when the graceful stop runs out is cut off, its rest counted as dropped.
  ex.stopAfter(totalMs + plan.gracefulStopMs);
  const maxVUs = Math.max(share(maxVUsHere, seg), share(preAllocatedHere, seg));
  const idle: Vu[] = Array.from({ length: share(preAllocatedHere, seg) }, () => ex.newVu());
  let growing = false;
  let droppedCount = 0;
  const running = new Set<Promise<void>>();

  const start = (vu: Vu, k: number, scheduledAt: number): void => {
    const p = ex.iterate(vu, k, scheduledAt).then(() => {
      running.delete(p);
      if (!vu.interrupted) idle.push(vu);
    });
    running.add(p);
  };

  const schedule = async (): Promise<void> => {
    let burst = 0;
    let next = seg.index;
    for (let j = seg.index; ; j += seg.count) {
      next = j;
      const k = arrivals.nth(j);
      const at = startOf(k);
      if (at === undefined) break;
      const due = ex.startedAt + at;
      const now = performance.now();
      if (due > now) {
        // Report drops as they happen (live dashboards), batched only while catching up.
        if (droppedCount > 0) {
          ex.dropped(droppedCount);
          droppedCount = 0;
        }
        await ex.until(due);
        if (ex.stopping) break;
        burst = 0;
      } else if (++burst % 128 === 0) {
        // Catching up on a backlog: let finished iterations hand their VUs back.
        await yieldToEventLoop();
      }
      if (ex.stopping) break;
      let vu = idle.pop();
      if (!vu && running.size) {
        // Iterations that just finished hand their VU back in pending callbacks: run those first.
        await yieldToEventLoop();
        vu = idle.pop();
      }
      if (vu) start(vu, k, due);
      else {
        droppedCount++;
        if (!growing && ex.vus.size < maxVUs) {
          growing = true;
          setImmediate(() => {
            growing = false;
            if (!ex.stopping) idle.push(ex.newVu());
          });
        }
      }
      if (droppedCount >= 256) {
        ex.dropped(droppedCount);
        droppedCount = 0;
      }
    }
    // A schedule that fell behind its end: what it never started was dropped, not forgotten.
    if (ex.stopping && !ex.hardStopped)
      for (let j = next; startOf(arrivals.nth(j)) !== undefined; j += seg.count) droppedCount++;
    ex.dropped(droppedCount);
    droppedCount = 0;
    ex.requestStop();
    await Promise.all(running);
  };
  await ex.finish(schedule(), plan.gracefulStopMs);
  ex.dropped(droppedCount);
}
