// The committed-baseline gate normalised by the host: a baseline recorded on a fast host,
// read on a host half as fast, is scaled before it is compared, on synthetic figures.
import { describe, expect, it } from 'vitest';
import { describeFactors, hostFactors, normaliseBaseline, type Calibration } from './calibration.ts';
import { compare, type Measured } from './compare-runs.ts';

const SUBMIT = 'http_req_duration{operation:ctd_submit}';

/** A run's figures: submission latency scaled by `slower`, the same offered load and counts. */
function measured(label: string, slower: number): Measured {
  const trend = (med: number) => ({
    type: 'trend' as const,
    contains: 'time' as const,
    values: { avg: med * 1.2, min: med / 4, med, max: med * 8, 'p(90)': med * 2, 'p(95)': med * 3, 'p(99)': med * 5 },
  });
  return {
    label,
    summary: {
      metrics: {
        [SUBMIT]: trend(10 * slower),
        http_req_duration: trend(12 * slower),
        http_reqs: { type: 'counter', contains: 'default', values: { count: 2000, rate: 20 } },
        http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.001 } },
        ctd_accepted: { type: 'counter', contains: 'default', values: { count: 1980, rate: 19.8 } },
      },
    },
    noise: {},
    operations: { ctd_release: { p50: 8 * slower, p95: 20 * slower, seconds: 30, samples: 600 } },
    samples: { [SUBMIT]: 2000, http_req_duration: 2600 },
  };
}

const fast: Calibration = { cpuPerSecond: 40_000, sqlPerSecond: 9_000, measuredAt: '2026-12-01T00:00:00Z' };
const halfAsFast: Calibration = { cpuPerSecond: 20_000, sqlPerSecond: 4_500, measuredAt: '2026-12-03T00:00:00Z' };

describe('hostFactors', () => {
  it('reads how many times slower this host is, per resource and for latency', () => {
    expect(hostFactors(fast, halfAsFast)).toEqual({ cpu: 2, sql: 2, latency: 2 });
    expect(hostFactors(fast, fast)).toEqual({ cpu: 1, sql: 1, latency: 1 });
    // A CPU twice as slow over a PostgreSQL as fast: latency, CPU and SQL together, √2.
    const mixed = hostFactors(fast, { ...fast, cpuPerSecond: 20_000 });
    expect(mixed.cpu).toBe(2);
    expect(mixed.sql).toBe(1);
    expect(mixed.latency).toBeCloseTo(Math.SQRT2, 12);
    expect(describeFactors(mixed)).toBe(
      "this host is 2.00× the baseline host's CPU time and 1.00× its SQL time; baseline latencies scaled by 1.41×",
    );
  });
});

describe('normaliseBaseline', () => {
  it('scales every duration and leaves rates, counts and shares as recorded', () => {
    const n = normaliseBaseline(measured('baseline', 1), { cpu: 2, sql: 2, latency: 2 });
    expect(n.summary.metrics[SUBMIT]!.values).toEqual({
      avg: 24,
      min: 5,
      med: 20,
      max: 160,
      'p(90)': 40,
      'p(95)': 60,
      'p(99)': 100,
    });
    expect(n.summary.metrics.http_reqs!.values).toEqual({ count: 2000, rate: 20 });
    expect(n.summary.metrics.http_req_failed!.values).toEqual({ rate: 0.001 });
    expect(n.summary.metrics.ctd_accepted!.values).toEqual({ count: 1980, rate: 19.8 });
    expect(n.operations.ctd_release).toEqual({ p50: 16, p95: 40, seconds: 30, samples: 600 });
    expect(n.samples).toEqual({ [SUBMIT]: 2000, http_req_duration: 2600 });
  });

  it('does not read a host half as fast as a regression, and still finds a real one there', () => {
    const baseline = measured('baseline on a fast host', 1);
    const sameCode = measured('same code on a host half as fast', 2);
    const slowerCode = measured('50 % slower code on that host', 3);
    const regressions = (b: Measured, r: Measured) =>
      compare(b, r)
        .rows.filter((row) => row.verdict === 'regression')
        .map((row) => `${row.metric} ${row.stat}`);

    // Unnormalised, the slower host fails the gate on every latency.
    expect(regressions(baseline, sameCode)).toContain(`${SUBMIT} med`);
    const factors = hostFactors(fast, halfAsFast);
    expect(regressions(normaliseBaseline(baseline, factors), sameCode)).toEqual([]);
    expect(regressions(normaliseBaseline(baseline, factors), slowerCode)).toEqual(
      expect.arrayContaining([`${SUBMIT} med`, `${SUBMIT} p(95)`]),
    );
  });
});
