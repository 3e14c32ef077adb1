// An output receives the run's samples in batches, like k6's output.Output.
// Configured with `--out NAME[=ARG]`.
import type { MetricDefinition, Sample } from '../metrics/metric.ts';

/** What an output may know of a metric besides its samples. */
export interface MetricDescription extends MetricDefinition {
  /** Threshold expressions set on this metric, e.g. ['p(95)<200']. */
  thresholds?: string[];
  /** Sub-metrics the thresholds select, k6 style: {name: 'http_req_duration{scenario:ctd}', suffix: 'scenario:ctd', tags: {scenario: 'ctd'}}. */
  submetrics?: Array<{ name: string; suffix: string; tags: Record<string, string> }>;
}

export interface OutputParams {
  /** What followed `=` in `--out name=arg`. */
  arg?: string;
  /** Environment of the run (k6 reads K6_* variables from it). */
  env: Record<string, string | undefined>;
  /** Run id, written as the `testid` tag where the output supports it. */
  testId: string;
  /** Looks up a metric's definition by name (built-in or custom); outputs fall back to the built-ins. */
  metrics?: (name: string) => MetricDescription | undefined;
}

export interface Output {
  readonly description: string;
  start(): Promise<void>;
  /** Called on the engine's flush interval with the samples since the last call. */
  addSamples(samples: Sample[]): void;
  stop(error?: Error): Promise<void>;
}

export type OutputFactory = (params: OutputParams) => Output;
