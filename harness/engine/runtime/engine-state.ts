// What the k6 modules need to know about the engine thread they run in: the
// lifecycle phase, the metric registry, execution counters, and how to stop.
import { MetricRegistry } from '../metrics/registry.ts';
import type { VuState } from './vu-context.ts';

export type Phase = 'init' | 'setup' | 'run' | 'teardown' | 'summary';

export interface ScenarioInfo {
  name: string;
  executor: string;
  /** Epoch ms when the scenario started. */
  startTime: number;
  progress(): number;
}

/** Thrown by exec.test.abort(); ends the whole test with exit code 108. */
export class TestAbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestAbortError';
  }
}

/** A script mistake that makes the run meaningless (exit code 107). */
export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

export const engine = {
  phase: 'init' as Phase,
  registry: new MetricRegistry(),
  scriptPath: '',
  /** Files the init code read with open() (what an archive must carry). */
  opened: new Set<string>(),
  /** Global `__ENV` (process env merged with -e). */
  env: {} as Record<string, string>,
  /** Consolidated options, frozen (exec.test.options). */
  options: Object.freeze({}) as Readonly<Record<string, unknown>>,
  /** Epoch ms when the test's scenarios started. */
  testStart: 0,
  iterationsCompleted: 0,
  iterationsInterrupted: 0,
  vusActive: 0,
  vusInitialized: 0,
  /** Exceptions thrown by iterations. */
  errors: 0,
  /** exec.test.fail() was called. */
  failed: false,
  /** Scenario of each running VU, for exec.scenario. */
  scenarioOf: new WeakMap<VuState, ScenarioInfo>(),
  /** Each VU's current iteration of its scenario, in this instance and across the whole test (exec.scenario). */
  scenarioIteration: new WeakMap<VuState, { inInstance: number; inTest: number }>(),
  /** Sleeps started but not finished, per VU: one still pending when an iteration ends was not awaited. */
  pendingSleeps: new WeakMap<VuState, number>(),
  /** VUs whose own copy of the script is being loaded (k6 runs the init code once per VU). */
  vusInitializing: 0,
  /** Set by the worker: stops the test (exec.test.abort, fatal script errors). */
  stopTest: (_reason: { code: number; message: string }): void => {},
};

/**
 * Whether init code is running: the script's first load, or a VU's own copy of it being loaded (then no VU's
 * iteration is the caller).
 */
export function inInitContext(vu: VuState | undefined): boolean {
  return engine.phase === 'init' || (engine.vusInitializing > 0 && vu === undefined);
}
