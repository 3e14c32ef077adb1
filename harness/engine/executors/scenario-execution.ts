// What every executor shares: VUs of one scenario on one engine thread, the
// iteration call with k6's iteration metrics, stop and graceful stop.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { builtin, type Tags } from '../metrics/metric.ts';
import type { ExecutionTuple } from '../options/execution-segment.ts';
import type { ScenarioPlan } from '../options/options.ts';
import { engine, TestAbortError, type ScenarioInfo } from '../runtime/engine-state.ts';
import { logScriptError } from '../runtime/error-log.ts';
import { pendingWorkDone, vuContext, type VuState } from '../runtime/vu-context.ts';

/** This thread's part of the test: thread `index` of `count`. */
export interface Segment {
  index: number;
  count: number;
}

/** This segment's whole share of `n` things; the shares of all segments add up to exactly `n`. */
export function share(n: number, seg: Segment): number {
  return Math.floor((n * (seg.index + 1)) / seg.count) - Math.floor((n * seg.index) / seg.count);
}

/** How many of `n` things the segments before this one have. */
export function shareOffset(n: number, seg: Segment): number {
  return Math.floor((n * seg.index) / seg.count);
}

/** Segment among the first `participants` threads (when there are fewer VUs than threads), or undefined if this thread sits out. */
export function participate(seg: Segment, participants: number): Segment | undefined {
  const count = Math.max(1, Math.min(seg.count, participants));
  return seg.index < count ? { index: seg.index, count } : undefined;
}

/**
 * VU numbers of this thread, reused across scenarios. The first `budget` VUs of
 * the test (its planned peak) are numbered 1..budget across threads, like k6;
 * VUs beyond it (arrival-rate growth) interleave above it, unique in the test.
 */
export class VuPool {
  private free: number[] = [];
  private next = 0;
  constructor(
    private readonly seg: Segment,
    private readonly budget: number,
  ) {}
  private id(local: number): number {
    const mine = share(this.budget, this.seg);
    return local < mine
      ? shareOffset(this.budget, this.seg) + local + 1
      : this.budget + (local - mine) * this.seg.count + this.seg.index + 1;
  }
  acquire(): number {
    const local = this.free.length ? this.free.pop()! : this.next++;
    engine.vusInitialized = Math.max(engine.vusInitialized, this.next);
    return local;
  }
  idOf(local: number): number {
    return this.id(local);
  }
  release(local: number): void {
    this.free.push(local);
  }
}

export const SHARED_TAKEN = 0;
export const SHARED_FINISHED = 1;
export const SHARED_STARTED = 2;

export type IterationFn = (data: unknown) => unknown;

export interface ExecutionEnv {
  plan: ScenarioPlan;
  /** This process's part of the test (k6's execution segment; the whole test without one). */
  instance: ExecutionTuple;
  /** This thread's part of the process's share. */
  segment: Segment;
  /** The scenario's function in VU `idInInstance`'s own copy of the script; a Promise while that copy loads. */
  fnFor: (idInInstance: number) => IterationFn | Promise<IterationFn>;
  /** setup()'s result as JSON; every VU parses its own copy. */
  setupJson: string | undefined;
  globalTags: Tags;
  globalEnv: Record<string, string>;
  pool: VuPool;
  /** Aborted when the whole test stops at once (abort, fatal error). */
  hardStop: AbortSignal;
  /**
   * Counters this scenario shares with the instance's other threads (Atomics): SHARED_TAKEN and
   * SHARED_FINISHED for what shared-iterations hands out, SHARED_STARTED for exec.scenario.iterationInInstance.
   */
  shared: Int32Array;
}

export class Vu {
  readonly controller = new AbortController();
  readonly state: VuState;
  readonly data: unknown;
  busy = false;
  retiring = false;
  fn: IterationFn | undefined;
  interrupted = false;
  constructor(
    /** Number within this thread's VU pool. */
    readonly local: number,
    state: Omit<VuState, 'signal'>,
    setupJson: string | undefined,
  ) {
    this.state = { ...state, signal: this.controller.signal };
    this.data = setupJson === undefined ? undefined : JSON.parse(setupJson);
  }
}

export class ScenarioExecution {
  readonly plan: ScenarioPlan;
  readonly vus = new Set<Vu>();
  readonly startedAt = performance.now();
  readonly info: ScenarioInfo;
  stopping = false;
  /** Executor-specific progress (0..1) for exec.scenario.progress. */
  progress: () => number = () => 0;
  private hard = false;
  /** The whole test was stopped at once (abort), not just this scenario's time. */
  get hardStopped(): boolean {
    return this.hard;
  }
  private resolveStopped!: () => void;
  private readonly stopped = new Promise<void>((r) => (this.resolveStopped = r));
  private readonly timers = new Set<NodeJS.Timeout>();
  private completed = 0;

  constructor(readonly env: ExecutionEnv) {
    this.plan = env.plan;
    this.info = {
      name: this.plan.name,
      executor: this.plan.executor,
      startTime: Date.now(),
      progress: () => Math.min(1, Math.max(0, this.progress())),
    };
    const onHardStop = (): void => {
      this.hard = true;
      this.requestStop();
    };
    if (env.hardStop.aborted) onHardStop();
    else env.hardStop.addEventListener('abort', onHardStop, { once: true });
  }

  /** Milliseconds since the scenario started on this thread. */
  elapsed(): number {
    return performance.now() - this.startedAt;
  }

  newVu(): Vu {
    const local = this.env.pool.acquire();
    const id = this.env.pool.idOf(local);
    const p = this.plan;
    const vu = new Vu(
      local,
      {
        idInInstance: id,
        // As in k6, the instance's n-th VU is the n-th of its segment's VU numbers in the whole test.
        idInTest: this.env.instance.nth(id - 1) + 1,
        iteration: 0,
        iterationInScenario: 0,
        scenario: p.name,
        executor: p.executor,
        tags: { ...this.env.globalTags, ...p.tags, scenario: p.name, group: '' },
        group: '',
        env: { ...this.env.globalEnv, ...p.env },
        sink: engine.registry,
      },
      this.env.setupJson,
    );
    engine.scenarioOf.set(vu.state, this.info);
    this.vus.add(vu);
    engine.vusActive++;
    return vu;
  }

  retire(vu: Vu): void {
    if (!this.vus.delete(vu)) return;
    engine.vusActive--;
    this.env.pool.release(vu.local);
  }

  /** Runs one iteration of `vu`; `scheduledAt` (performance.now() time) for arrival-rate iterations. */
  async iterate(vu: Vu, iterationInTest: number, scheduledAt?: number): Promise<void> {
    const st = vu.state;
    const registry = engine.registry;
    // As in k6, the instance numbers its iterations of a scenario in the order they start, across
    // all its VUs and threads, whatever share of the test's iterations its segment has.
    const inInstance = Atomics.add(this.env.shared, SHARED_STARTED, 1);
    const numbers = engine.scenarioIteration.get(st);
    if (numbers) {
      numbers.inInstance = inInstance;
      numbers.inTest = iterationInTest;
    } else engine.scenarioIteration.set(st, { inInstance, inTest: iterationInTest });
    vu.busy = true;
    if (!vu.fn) {
      const f = this.env.fnFor(st.idInInstance);
      try {
        vu.fn = typeof f === 'function' ? f : await f;
      } catch (err) {
        // As in k6, a VU whose init code fails stops the test.
        vu.busy = false;
        engine.stopTest({ code: 107, message: `VU ${st.idInTest}: the script's init code failed: ${String(err)}` });
        return;
      }
    }
    const start = performance.now();
    if (scheduledAt !== undefined)
      registry.add(builtin.iteration_schedule_lag, Math.max(0, start - scheduledAt), st.tags);
    let aborted = false;
    try {
      const r = vuContext.run(st, vu.fn, vu.data) as PromiseLike<unknown> | undefined;
      if (r && typeof r.then === 'function') await r;
      // As in k6, the iteration lasts while the work it started (open WebSockets…) is pending.
      const pending = pendingWorkDone(st);
      if (pending) await pending;
    } catch (err) {
      if (err instanceof TestAbortError) aborted = true;
      else {
        engine.errors++;
        logScriptError(err, `scenario=${st.scenario} vu=${st.idInTest}`);
      }
    }
    vu.busy = false;
    if (vu.interrupted || aborted) return;
    if ((engine.pendingSleeps.get(st) ?? 0) > 0) {
      engine.stopTest({
        code: 107,
        message: `scenario '${st.scenario}': an iteration ended while its sleep() was still pending: sleep() was called through a reference the engine cannot follow, so it could not wait for it. Call sleep(…) directly, or write 'await sleep(…)' in an async function`,
      });
      return;
    }
    const tags = st.tags;
    const took = performance.now() - start;
    registry.add(builtin.iteration_duration, took, tags);
    registry.add(builtin.iterations, 1, tags);
    // k6 reports data_sent and data_received for every iteration, with or without traffic: a scenario's first
    // iteration on the thread makes them present (adding 0 leaves their counts as they are).
    if (this.completed === 0) {
      registry.add(builtin.data_sent, 0, tags);
      registry.add(builtin.data_received, 0, tags);
    }
    st.iteration++;
    st.iterationInScenario++;
    engine.iterationsCompleted++;
    // k6's minIterationDuration: the VU stays taken until that long after the iteration started (its
    // iteration_duration excludes the wait); an interrupt ends the wait.
    const rest = this.plan.minIterationDurationMs - took;
    if (rest > 0) await this.pause(vu, start + this.plan.minIterationDurationMs);
    // Iterations that never wait on I/O would otherwise starve timers and I/O.
    if ((++this.completed & 63) === 0) await yieldToEventLoop();
  }

  dropped(n: number): void {
    if (n > 0)
      engine.registry.add(builtin.dropped_iterations, n, {
        ...this.env.globalTags,
        ...this.plan.tags,
        scenario: this.plan.name,
      });
  }

  requestStop(): void {
    this.stopping = true;
    this.resolveStopped();
  }

  /**
   * Stops starting iterations `ms` after the scenario started. Timers count from
   * the event loop's cached clock, which can lag the real one; re-arming until
   * the real clock agrees keeps the stop from coming early.
   */
  stopAfter(ms: number): void {
    const check = (): void => {
      const left = ms - this.elapsed();
      if (left > 0) this.timer(check, left);
      else this.requestStop();
    };
    check();
  }

  /** Resolves at `performance.now()` time `at` (not earlier), or when the scenario stops. */
  async until(at: number): Promise<void> {
    for (let left = at - performance.now(); left > 0 && !this.stopping; left = at - performance.now())
      await this.delay(left);
  }

  /** Resolves at `performance.now()` time `at` (not earlier), or when `vu` is interrupted. */
  private async pause(vu: Vu, at: number): Promise<void> {
    const signal = vu.controller.signal;
    for (let left = at - performance.now(); left > 0 && !signal.aborted; left = at - performance.now())
      await new Promise<void>((resolve) => {
        const t = this.timer(() => (signal.removeEventListener('abort', onAbort), resolve()), left);
        const onAbort = (): void => (clearTimeout(t), this.timers.delete(t), resolve());
        signal.addEventListener('abort', onAbort, { once: true });
      });
  }

  timer(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
    return t;
  }

  delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.timer(resolve, ms));
  }

  /** Ends iterations still running on `vu` by aborting its signal; they count as interrupted. */
  interrupt(vu: Vu): void {
    if (vu.busy && !vu.interrupted) {
      vu.interrupted = true;
      engine.iterationsInterrupted++;
    }
    vu.controller.abort();
  }

  /**
   * Waits for `work` (the executor's loops); once a stop is requested, running
   * iterations get `graceMs` (gracefulStop) to finish before they are interrupted.
   */
  async finish(work: Promise<unknown>, graceMs: number): Promise<void> {
    let done = false;
    const settled = work.then(() => {
      done = true;
    });
    await Promise.race([settled, this.stopped]);
    if (!done) await Promise.race([settled, this.delay(this.hard ? 0 : graceMs)]);
    for (const vu of [...this.vus]) {
      this.interrupt(vu);
      this.retire(vu);
    }
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** Iterations one VU runs back to back until `next` returns undefined or the scenario stops. */
export async function vuLoop(ex: ScenarioExecution, vu: Vu, next: () => number | undefined): Promise<void> {
  while (!ex.stopping && !vu.retiring) {
    const i = next();
    if (i === undefined) return;
    await ex.iterate(vu, i);
  }
}
