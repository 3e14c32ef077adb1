// The instances of a distributed run (one per execution segment) as the one run they make up:
// their end states (summary/run-state.ts) merged into the aggregates one instance running the
// whole test would hold, thresholds evaluated again on them, and k6's summary data built from them.
import { parseMetricSelector, MetricRegistry, type RegistryDelta } from './metrics/registry.ts';
import type { SinkState } from './metrics/sinks.ts';
import { parseThresholds } from './metrics/thresholds.ts';
import { ExecutionTuple, segmentString } from './options/execution-segment.ts';
import { evaluateThresholds } from './run.ts';
import { RUN_STATE_VERSION, type RunState } from './summary/run-state.ts';
import { buildSummaryData, type SummaryData } from './summary/summary-data.ts';

/** Gauges that count an instance's VUs: the instances run side by side, so the test's are their sum. */
const SUMMED_GAUGES = new Set(['vus', 'vus_max']);

export interface MergedRun {
  state: RunState;
  summary: SummaryData;
  failedThresholds: string[];
  /** What the merge could not vouch for (a segment missing, two instances of one segment…). */
  warnings: string[];
}

function sumGauges(states: SinkState[]): SinkState | undefined {
  const gauges = states.filter((s): s is Extract<SinkState, { type: 'gauge' }> => s.type === 'gauge');
  if (!gauges.length) return undefined;
  return {
    type: 'gauge',
    value: gauges.reduce((a, g) => a + g.value, 0),
    time: Math.max(...gauges.map((g) => g.time)),
    min: gauges.reduce((a, g) => a + g.min, 0),
    max: gauges.reduce((a, g) => a + g.max, 0),
  };
}

/** Whether the instances' segments are those of their sequence, each once. */
function coverage(states: RunState[]): string[] {
  const sequences = new Set(states.map((s) => s.executionSegmentSequence ?? ''));
  if (sequences.size > 1) return [`the instances ran with different segment sequences: ${[...sequences].join(' | ')}`];
  const segments = states.map((s) => s.executionSegment);
  if (segments.every((s) => s === undefined))
    return states.length > 1 ? ['the instances ran without execution segments: each ran the whole test'] : [];
  if (segments.some((s) => s === undefined)) return ['some instances ran without an execution segment'];
  if (!states[0].executionSegmentSequence && states.length > 1)
    return [
      'the instances ran without --execution-segment-sequence: each striped its segment on its own, so they may overlap',
    ];
  const tuples = states.map((s) => ExecutionTuple.of(s.executionSegment, s.executionSegmentSequence));
  const seen = new Set<string>();
  const warnings: string[] = [];
  for (const t of tuples) {
    const key = segmentString(t.segment);
    if (seen.has(key)) warnings.push(`segment ${key} ran more than once`);
    seen.add(key);
  }
  for (const seg of tuples[0].sequence) {
    const key = segmentString(seg);
    if (!seen.has(key)) warnings.push(`segment ${key} of ${tuples[0].sequenceString()} is missing`);
  }
  return warnings;
}

export function mergeRunStates(states: RunState[]): MergedRun {
  if (!states.length) throw new Error('nothing to merge');
  const first = states[0];
  const thresholds = parseThresholds(first.thresholds);
  const subNames = new Set<string>(thresholds.map((t) => t.selector.name));
  for (const s of states) for (const m of s.registry.metrics) for (const sub of m.subs) subNames.add(sub.name);
  const registry = new MetricRegistry([...subNames].map(parseMetricSelector));
  const gauges = new Map<string, { def: RegistryDelta['metrics'][number]['def']; states: SinkState[] }>();
  for (const s of states) {
    const delta: RegistryDelta = {
      ...s.registry,
      metrics: s.registry.metrics.filter((m) => {
        if (!SUMMED_GAUGES.has(m.def.name)) return true;
        const g = gauges.get(m.def.name) ?? { def: m.def, states: [] };
        if (m.state) g.states.push(m.state);
        gauges.set(m.def.name, g);
        return false;
      }),
      samples: [],
    };
    registry.merge(delta);
  }
  for (const { def, states: gs } of gauges.values()) {
    const state = sumGauges(gs);
    registry.merge({
      metrics: [state ? { def, state, subs: [] } : { def, subs: [] }],
      checks: [],
      groups: [],
      samples: [],
    });
  }
  const startedAt = Math.min(...states.map((s) => s.startedAt));
  const durationMs = Math.max(...states.map((s) => s.startedAt + s.testRunDurationMs)) - startedAt;
  const outcome = evaluateThresholds(registry, thresholds, durationMs);
  const setupJson = states.find((s) => s.setupJson !== undefined)?.setupJson;
  const { instance_id: _instance, ...tags } = first.tags;
  const summary = buildSummaryData({
    registry,
    thresholdResults: outcome.results,
    trendStats: first.summaryTrendStats,
    summaryTimeUnit: first.summaryTimeUnit,
    noColor: first.noColor,
    durationMs,
    setupData: setupJson === undefined ? undefined : JSON.parse(setupJson),
  });
  return {
    state: {
      type: 'cats-stress-run-state',
      version: RUN_STATE_VERSION,
      tags,
      startedAt,
      testRunDurationMs: durationMs,
      thresholds: first.thresholds,
      summaryTrendStats: first.summaryTrendStats,
      summaryTimeUnit: first.summaryTimeUnit,
      noColor: first.noColor,
      setupJson,
      registry: registry.snapshot(),
    },
    summary,
    failedThresholds: outcome.failed,
    warnings: coverage(states),
  };
}
