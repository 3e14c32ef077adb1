// An output receives the run's samples in batches, like k6's output.Output.
// Configured with `--out NAME[=ARG]`.
import type { Sample } from '../metrics/metric.ts';

export interface OutputParams {
  /** What followed `=` in `--out name=arg`. */
  arg?: string;
  /** Environment of the run (k6 reads K6_* variables from it). */
  env: Record<string, string | undefined>;
  /** Run id, written as the `testid` tag where the output supports it. */
  testId: string;
}

export interface Output {
  readonly description: string;
  start(): Promise<void>;
  /** Called on the engine's flush interval with the samples since the last call. */
  addSamples(samples: Sample[]): void;
  stop(error?: Error): Promise<void>;
}

export type OutputFactory = (params: OutputParams) => Output;
