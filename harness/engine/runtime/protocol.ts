// Messages between the coordinating thread and the engine worker threads.
import type { MetricDefinition } from '../metrics/metric.ts';
import type { RegistryDelta } from '../metrics/registry.ts';
import type { RunOptions } from '../options/options.ts';

/** Int32 counters each scenario shares across the threads of one instance (ExecutionEnv.shared). */
export const SCENARIO_COUNTERS = 3;

export interface WorkerData {
  scriptPath: string;
  index: number;
  /** `__ENV`: the process environment plus -e values. */
  env: Record<string, string>;
}

export interface WorkerStatus {
  vus: number;
  vusMax: number;
  errors: number;
  failed: boolean;
  /** p99 of the thread's event-loop delay since the scenarios started (ms): how far the generator itself ran late. */
  loopDelayP99Ms: number;
}

export type ToWorker =
  | { type: 'setup'; options: RunOptions; selectors: string[] }
  | {
      type: 'start';
      options: RunOptions;
      selectors: string[];
      setupJson?: string;
      testStart: number;
      flushMs: number;
      bufferSamples: boolean;
      threads: number;
      vuBudget: number;
      /** Counters every thread shares, SCENARIO_COUNTERS Int32 per scenario (in `options.scenarios` order): see ExecutionEnv.shared. */
      shared: SharedArrayBuffer;
      /** The next free turn of `rps`, shared by every thread (modules/http/rps-limit.ts). */
      rpsSlot: SharedArrayBuffer;
    }
  | { type: 'stop' }
  | { type: 'teardown'; setupJson?: string }
  | { type: 'handleSummary'; data: unknown };

export type FromWorker =
  | {
      type: 'loaded';
      options: Record<string, unknown> | undefined;
      functions: string[];
      metrics: MetricDefinition[];
      /** Files the init code opened. */
      opened: string[];
    }
  | { type: 'failed'; code: number; message: string }
  | { type: 'setupDone'; setupJson?: string; delta: RegistryDelta }
  | { type: 'metrics'; delta: RegistryDelta; status: WorkerStatus }
  | { type: 'stopTest'; code: number; message: string }
  | { type: 'done'; delta: RegistryDelta; status: WorkerStatus }
  | { type: 'teardownDone'; delta: RegistryDelta }
  | { type: 'summary'; result: Record<string, unknown> | undefined };
