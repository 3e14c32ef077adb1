// A committed baseline holds absolute figures of the host that recorded it. To read a run on
// another host against it, both carry a calibration measured in the same job as their run: a
// fixed CPU reference and the raw SQL rate of the PostgreSQL the run used. The baseline's
// figures are scaled by how much slower (or faster) this host is before they are compared,
// so a slower host is not read as a slower revision. Pure: no I/O.
import { Type, type Static } from '@sinclair/typebox';
import type { Measured } from './compare-runs.ts';
import type { Summary } from './run-folder.ts';

export const CALIBRATION_FILE = 'calibration.json';

export const Calibration = Type.Object({
  /** Iterations per second of the fixed CPU reference (JSON round trips of a CTD-sized object). */
  cpuPerSecond: Type.Number({ exclusiveMinimum: 0 }),
  /** Statements per second of a fixed insert-and-select load on the run's PostgreSQL. */
  sqlPerSecond: Type.Number({ exclusiveMinimum: 0 }),
  measuredAt: Type.String(),
});
export type Calibration = Static<typeof Calibration>;

/** How many times slower this host is than the baseline's (above 1: slower), per resource. */
export interface HostFactors {
  cpu: number;
  sql: number;
  /** Latency of a CTD is CPU on the node and a statement on PostgreSQL: the geometric mean of both. */
  latency: number;
}

export function hostFactors(baseline: Calibration, here: Calibration): HostFactors {
  const cpu = baseline.cpuPerSecond / here.cpuPerSecond;
  const sql = baseline.sqlPerSecond / here.sqlPerSecond;
  return { cpu, sql, latency: Math.sqrt(cpu * sql) };
}

/** Trend statistics that are durations (k6's summary keys); counts and rates are left alone. */
const DURATION_STATS = new Set(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)']);

/**
 * The baseline as this host would have measured it: every duration (latency trends of the
 * summary, per-operation percentiles) times the latency factor. Rates at a fixed offered
 * load, counts and error shares do not depend on the host's speed while it keeps up, so
 * they stay as recorded; the noise is relative and stays too.
 */
export function normaliseBaseline(baseline: Measured, factors: HostFactors): Measured {
  const metrics: Summary['metrics'] = {};
  for (const [name, m] of Object.entries(baseline.summary.metrics)) {
    if (m.type !== 'trend' || m.contains !== 'time') {
      metrics[name] = m;
      continue;
    }
    const values = Object.fromEntries(
      Object.entries(m.values).map(([k, v]) => [k, DURATION_STATS.has(k) || /^p\(/.test(k) ? v * factors.latency : v]),
    );
    metrics[name] = { ...m, values };
  }
  const operations = Object.fromEntries(
    Object.entries(baseline.operations).map(([op, o]) => [
      op,
      { ...o, p50: o.p50 * factors.latency, p95: o.p95 * factors.latency },
    ]),
  );
  return { ...baseline, summary: { ...baseline.summary, metrics }, operations };
}

const times = (f: number) => `${f.toFixed(2)}×`;

/** One line for the report: what this host measured against the baseline's host. */
export function describeFactors(f: HostFactors): string {
  return `this host is ${times(f.cpu)} the baseline host's CPU time and ${times(f.sql)} its SQL time; baseline latencies scaled by ${times(f.latency)}`;
}
