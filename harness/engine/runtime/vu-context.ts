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
