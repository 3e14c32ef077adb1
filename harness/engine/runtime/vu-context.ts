// The state of the VU whose code is running, found through async context so
// that module functions (http, check, metrics) know their VU without arguments.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SampleSink, Tags } from '../metrics/metric.ts';

export interface VuState {
  /** VU number within this engine instance (k6's idInInstance) and across the test (idInTest). */
  idInInstance: number;
  idInTest: number;
  /** Iteration counter of this VU (__ITER). */
  iteration: number;
  iterationInScenario: number;
  scenario: string;
  executor: string;
  /** Tags every sample of this VU carries: global tags, scenario tags, `scenario`, `group`, script-set tags. */
  tags: Tags;
  /** Current `group` path, k6 style: '' at root, '::outer::inner' inside groups. */
  group: string;
  /** `__ENV` as this VU sees it (global env merged with the scenario's env). */
  env: Record<string, string>;
  sink: SampleSink;
  /** Aborted when the VU must stop (graceful stop expired, test aborted). */
  signal: AbortSignal;
}

export const vuContext = new AsyncLocalStorage<VuState>();

/** The running VU, or undefined in the init context. setup(), teardown() and handleSummary() run with a VU state of their own (VU 0). */
export function currentVu(): VuState | undefined {
  return vuContext.getStore();
}

export class InitContextError extends Error {
  constructor(what: string) {
    super(`${what} cannot be called in the init context`);
    this.name = 'InitContextError';
  }
}

/**
 * Work a module started during an iteration that keeps the iteration going after its function returns
 * (k6 ends an iteration only when the VU's event loop is empty). Resolves when the VU has none left,
 * rejects with the error that work failed with; undefined when the VU has none at all.
 */
export type PendingWork = (vu: VuState) => Promise<void> | undefined;

const pendingWork: PendingWork[] = [];

/** Modules register, once when loaded, what their VUs may still be waiting on. */
export function registerPendingWork(work: PendingWork): void {
  pendingWork.push(work);
}

/**
 * Resolves when every module's pending work for `vu` is done; executors await it to end an iteration.
 * Undefined when there is none, so an iteration without any ends without another turn of the event loop.
 */
export function pendingWorkDone(vu: VuState, from = 0): Promise<void> | undefined {
  for (let i = from; i < pendingWork.length; i++) {
    const pending = pendingWork[i](vu);
    if (pending) return pending.then(() => pendingWorkDone(vu, i + 1));
  }
  return undefined;
}
