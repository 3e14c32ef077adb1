// What k6's REST API controls in a run (k6's api/v1 ControlSurface): the engine's run implements it.
import type { MetricDefinition } from '../metrics/metric.ts';
import type { StatusAttributes } from './status.ts';

export interface ApiMetric {
  def: MetricDefinition;
  /** k6's Sink.Format values: counter {count, rate}, gauge {value}, rate {rate}, trend {min, max, avg, med, p(90), p(95)}. */
  sample: Record<string, number>;
  /** Whether one of its thresholds currently fails; null without thresholds. */
  tainted: boolean | null;
}

export interface ControlSurface {
  status(): StatusAttributes;
  /** Starts a test waiting with --paused; false (with why) when it cannot. */
  resume(): { ok: true } | { ok: false; message: string };
  /** Pausing a started test is not supported by the engine. */
  pause(): { ok: true } | { ok: false; message: string };
  /** Stops the test as k6 does on `stopped: true` (exit code 103). */
  stop(): void;
  /** Runs setup() on this instance; its data, as JSON text (undefined for none). */
  runSetup(): Promise<string | undefined>;
  /** The setup data as JSON text, undefined for none. */
  setupData(): string | undefined;
  /** Sets the setup data the VUs get (from another instance's setup()). */
  setSetupData(json: string | undefined): void;
  runTeardown(): Promise<void>;
  metrics(): ApiMetric[];
}
