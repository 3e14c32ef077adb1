// A run's mergeable end state (`--state-export FILE`): every metric's aggregate as the engine keeps
// it — counters' sums, rates' tallies, gauges' last/min/max, trends' exact count/sum/min/max and
// HdrHistogram buckets — with what the summary needs besides. The states of the instances of a
// distributed run (execution segments) merge into exactly the aggregates one instance running the
// whole test would hold: bucket counts add up, the buckets' bounds depend only on the precision.
import type { RegistryDelta } from '../metrics/registry.ts';

export const RUN_STATE_FILE = 'run-state.json';
export const RUN_STATE_VERSION = 1;

export interface RunState {
  type: 'cats-stress-run-state';
  version: number;
  /** The run's tags (`instance_id`, `testid`…). */
  tags: Record<string, string>;
  executionSegment?: string;
  executionSegmentSequence?: string;
  /** Epoch ms when the scenarios started, and how long the test ran. */
  startedAt: number;
  testRunDurationMs: number;
  /** The `thresholds` option, as the script gave it. */
  thresholds: unknown;
  summaryTrendStats: string[];
  summaryTimeUnit?: string;
  noColor: boolean;
  /** setup()'s data as JSON text, when there was any. */
  setupJson?: string;
  registry: RegistryDelta;
}

export class RunStateError extends Error {}

export function parseRunState(text: string, where: string): RunState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RunStateError(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const s = raw as Partial<RunState> | null;
  if (!s || s.type !== 'cats-stress-run-state' || !s.registry || !Array.isArray(s.registry.metrics))
    throw new RunStateError(`${where}: not a run state written by --state-export`);
  if (s.version !== RUN_STATE_VERSION)
    throw new RunStateError(`${where}: run state version ${s.version}, this build reads ${RUN_STATE_VERSION}`);
  return s as RunState;
}
