// A VU state with an in-memory sink, to run k6 module functions outside the engine.
import type { MetricDefinition, Sample, SampleSink, Tags } from '../../harness/engine/metrics/metric.ts';
import { vuContext, type VuState } from '../../harness/engine/runtime/vu-context.ts';

export interface TestVu {
  state: VuState;
  samples: Sample[];
  abort: AbortController;
  /** Runs fn as this VU's code. */
  run<T>(fn: () => T): T;
  /** Samples of one metric. */
  of(metric: string): Sample[];
}

export function testVu(tags: Tags = { scenario: 'default', group: '' }): TestVu {
  const samples: Sample[] = [];
  const sink: SampleSink = {
    add(metric: MetricDefinition, value: number, sampleTags: Tags, time?: number) {
      samples.push({ metric: metric.name, value, tags: sampleTags, time: time ?? Date.now() });
    },
  };
  const abort = new AbortController();
  const state: VuState = {
    idInInstance: 1,
    idInTest: 1,
    iteration: 0,
    iterationInScenario: 0,
    scenario: tags.scenario ?? 'default',
    executor: 'per-vu-iterations',
    tags: Object.freeze({ ...tags }),
    group: tags.group ?? '',
    env: {},
    sink,
    signal: abort.signal,
  };
  return {
    state,
    samples,
    abort,
    run: (fn) => vuContext.run(state, fn),
    of: (metric) => samples.filter((s) => s.metric === metric),
  };
}
