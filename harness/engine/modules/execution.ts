// The `k6/execution` module. Counters under `instance` are those of the engine
// thread the VU runs on (one k6 "instance" per worker thread).
import { engine, TestAbortError, type ScenarioInfo } from '../runtime/engine-state.ts';
import { currentVu, type VuState } from '../runtime/vu-context.ts';

function runningVu(what: string): VuState {
  const vu = currentVu();
  if (!vu || engine.phase === 'init') throw new Error(`exec.${what} is not available in the init context`);
  return vu;
}

function scenarioOf(vu: VuState): ScenarioInfo | undefined {
  return engine.scenarioOf.get(vu);
}

/** Tags of the VU: writes replace vu.tags (samples already taken keep theirs). */
function tagsView(vu: VuState): Record<string, string> {
  return new Proxy({} as Record<string, string>, {
    get: (_t, k) => (typeof k === 'string' ? vu.tags[k] : undefined),
    set: (_t, k, v) => {
      if (typeof k !== 'string') return false;
      if (v !== null && typeof v === 'object')
        throw new TypeError(`exec.vu.metrics.tags.${k}: tag values must be strings, numbers or booleans`);
      vu.tags = { ...vu.tags, [k]: String(v) };
      return true;
    },
    deleteProperty: (_t, k) => {
      if (typeof k !== 'string') return false;
      const { [k]: _removed, ...rest } = vu.tags;
      vu.tags = rest;
      return true;
    },
    ownKeys: () => Reflect.ownKeys(vu.tags),
    getOwnPropertyDescriptor: (_t, k) =>
      typeof k === 'string' && k in vu.tags
        ? { value: vu.tags[k], enumerable: true, configurable: true, writable: true }
        : undefined,
    has: (_t, k) => typeof k === 'string' && k in vu.tags,
  });
}

const metadata = new WeakMap<VuState, Record<string, string>>();

export const vu = {
  get idInInstance() {
    return runningVu('vu').idInInstance;
  },
  get idInTest() {
    return runningVu('vu').idInTest;
  },
  get iterationInInstance() {
    return runningVu('vu').iteration;
  },
  get iterationInScenario() {
    return runningVu('vu').iterationInScenario;
  },
  get metrics() {
    const v = runningVu('vu');
    let meta = metadata.get(v);
    if (!meta) metadata.set(v, (meta = {}));
    return { tags: tagsView(v), metadata: meta };
  },
  get tags() {
    return tagsView(runningVu('vu'));
  },
};

export const scenario = {
  get name() {
    return runningVu('scenario').scenario;
  },
  get executor() {
    return runningVu('scenario').executor;
  },
  get startTime() {
    return scenarioOf(runningVu('scenario'))?.startTime ?? engine.testStart;
  },
  get progress() {
    return scenarioOf(runningVu('scenario'))?.progress() ?? 0;
  },
  get iterationInInstance() {
    return engine.scenarioIteration.get(runningVu('scenario'))?.inInstance ?? 0;
  },
  get iterationInTest() {
    return engine.scenarioIteration.get(runningVu('scenario'))?.inTest ?? 0;
  },
};

export const instance = {
  get currentTestRunDuration() {
    return engine.testStart ? Date.now() - engine.testStart : 0;
  },
  get iterationsCompleted() {
    return engine.iterationsCompleted;
  },
  get iterationsInterrupted() {
    return engine.iterationsInterrupted;
  },
  get vusActive() {
    return engine.vusActive;
  },
  get vusInitialized() {
    return engine.vusInitialized;
  },
};

export const test = {
  /** Stops the whole test; exit code 108. */
  abort(message?: string): never {
    const msg = message ?? 'test aborted by the script';
    engine.stopTest({ code: 108, message: msg });
    throw new TestAbortError(msg);
  },
  /** Marks the test failed (exit code 110) and lets it run on. */
  fail(message?: string): void {
    engine.failed = true;
    if (message) console.error(`test marked failed: ${message}`);
  },
  get options() {
    return engine.options;
  },
};

export default { vu, scenario, instance, test };
