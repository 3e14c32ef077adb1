// The A/B verdict over runs: which figures a run gives, how each is judged across the
// runs of both sides, and the exit code every outcome maps to.
import { describe, expect, it } from 'vitest';
import {
  abFigures,
  abMarkdown,
  abTable,
  compareSides,
  PERF_CI_EXIT,
  perfCiExitCode,
  SUBMIT,
  sutCpuSeconds,
  sutLodging,
  sutLodgingQuantile,
  type RunFigures,
} from './ab-comparison.ts';
import { judge } from './ab-statistics.ts';
import type { Summary } from './run-folder.ts';

function summary(med: number, p95: number, submissions: number, failed = 0): Summary {
  const metric = (values: Record<string, number>) => ({ type: 'trend' as const, contains: 'time' as const, values });
  return {
    metrics: {
      [SUBMIT]: metric({ med, 'p(95)': p95, 'p(99)': p95 * 1.5 }),
      'http_reqs{operation:ctd_submit}': { type: 'counter', contains: 'default', values: { count: submissions } },
      'http_req_failed{operation:ctd_submit}': { type: 'rate', contains: 'default', values: { rate: failed } },
      ctd_accepted: { type: 'counter', contains: 'default', values: { rate: submissions / 20, count: submissions } },
    },
  };
}

/** Five runs around a centre, each a little off, as runs of one revision on one machine are. */
function runs(med: number, submissions = 400, failed = 0): RunFigures[] {
  return [0.99, 1.01, 1.0, 0.98, 1.02].map((f) =>
    abFigures({ summary: summary(med * f, med * 2 * f, submissions, failed) }),
  );
}

describe('abFigures', () => {
  it('takes the gated figures from the summary and CPU per CTD from the SUT samples', () => {
    const sut = [
      { t: 1, part: 'node GE', cpuCores: 0.5 },
      { t: 1, part: 'ICE', cpuCores: 0.1 },
      { t: 2, part: 'node GE', cpuCores: 0.3 },
      { t: 2, part: 'ICE', gap: 'no answer within 900 ms' },
    ];
    const f = abFigures({ summary: summary(10, 30, 180, 0.01), sut });
    expect(f['CTD submission latency median']).toEqual({ value: 10, samples: undefined });
    expect(f['CTD submission latency p95']).toEqual({ value: 30, samples: 180 });
    expect(f['CTD submission error share']?.value).toBe(0.01);
    expect(f['CTDs accepted per second']?.value).toBe(9);
    // 0.9 CPU seconds over 180 submissions: 5 ms each.
    expect(f['SUT CPU per CTD']?.value).toBeCloseTo(5, 9);
    expect(f['ICE delivery latency median']).toBeUndefined();
    expect(f['ICE delivery latency mean']).toBeUndefined();
    expect(abFigures({ summary: summary(10, 30, 180) })['SUT CPU per CTD']).toBeUndefined();
  });

  it('counts a CPU rate read after failed scrapes for the seconds it covers', () => {
    const sut = [
      { t: 10, part: 'node GE' }, // first answer: no rate yet
      { t: 11, part: 'node GE', cpuCores: 0.5 },
      { t: 12, part: 'node GE', gap: 'no answer within 900 ms' },
      { t: 13, part: 'node GE', gap: 'no answer within 900 ms' },
      { t: 14, part: 'node GE', cpuCores: 0.4 }, // over the 3 s since t = 11
      { t: 14, part: 'ICE', cpuCores: 0.1 },
    ];
    expect(sutCpuSeconds(sut)).toBeCloseTo(0.5 + 1.2 + 0.1, 12);
    // 1.8 CPU seconds over 180 submissions: 10 ms each.
    expect(abFigures({ summary: summary(10, 30, 180), sut })['SUT CPU per CTD']?.value).toBeCloseTo(10, 9);
  });

  it("takes CTD lodging time from the nodes' own timing, over every node and answered scrape", () => {
    const sut = [
      { t: 1, part: 'node GE' }, // first answer: the counters' starting point
      { t: 2, part: 'node GE', lodged: 10, lodgingSeconds: 0.05 },
      { t: 2, part: 'node AZ', lodged: 30, lodgingSeconds: 0.25 },
      { t: 3, part: 'node GE', gap: 'no answer within 900 ms' },
      { t: 4, part: 'node GE', lodged: 20, lodgingSeconds: 0.1 }, // since t = 2
      { t: 4, part: 'ICE', cpuCores: 0.1 },
    ];
    expect(sutLodging(sut)).toEqual({ count: 60, seconds: 0.4 });
    // 0.4 s over 60 lodgings.
    const f = abFigures({ summary: summary(10, 30, 180), sut })['CTD lodging time at the nodes'];
    expect(f?.value).toBeCloseTo(6.667, 3);
    expect(f?.samples).toBe(60);
    expect(sutLodging([{ t: 1, part: 'node GE', lodged: 0, lodgingSeconds: 0 }])).toBeUndefined();
  });

  it("reads the median lodging time from the nodes' histograms as histogram_quantile does", () => {
    const buckets = { '0.001': 0, '0.002': 10, '0.004': 30, '+Inf': 40 };
    const sut = [
      { t: 2, part: 'node GE', lodgingBuckets: buckets },
      { t: 2, part: 'node AZ', lodgingBuckets: buckets },
      { t: 3, part: 'node AZ', gap: 'no answer within 900 ms', lodgingBuckets: buckets },
    ];
    // 80 lodgings, 20 within 2 ms and 60 within 4 ms: the 40th lies halfway through (2, 4] ms.
    expect(sutLodgingQuantile(sut, 0.5)).toEqual({ count: 80, seconds: 0.003 });
    // Beyond the highest finite bound: that bound.
    expect(sutLodgingQuantile(sut, 0.9)?.seconds).toBe(0.004);
    const f = abFigures({ summary: summary(10, 30, 180), sut })['CTD lodging time at the nodes, median'];
    expect(f).toEqual({ value: 3, samples: 80 });
    expect(sutLodgingQuantile([{ t: 1, part: 'node GE' }], 0.5)).toBeUndefined();
  });

  it("takes ICE delivery latency from ICE's own histogram when the run had ICE", () => {
    const ice = { delivered: 40, deliveryLatency: { count: 40, sumSeconds: 1.8 } };
    expect(abFigures({ summary: summary(10, 30, 180), ice })['ICE delivery latency mean']).toEqual({
      value: 45,
      samples: 40,
    });
    const none = { delivered: 0, deliveryLatency: { count: 0, sumSeconds: 0 } };
    expect(abFigures({ summary: summary(10, 30, 180), ice: none })['ICE delivery latency mean']).toBeUndefined();
  });
});

describe('compareSides', () => {
  it('passes a rerun of the same figures', () => {
    const c = compareSides({ base: 'base', candidate: 'cand' }, runs(10), runs(10));
    expect(c.regressions).toBe(0);
    expect(c.rows.find((r) => r.figure.name === 'CTD submission latency median')?.verdict).toBe('same');
    expect(perfCiExitCode({ comparison: c })).toBe(PERF_CI_EXIT.pass);
    expect(abTable(c)).toContain('PASS: no regression against base');
  });

  it('flags a 30 % slower submission latency, naming p-value, interval and effect', () => {
    const c = compareSides({ base: 'base abc', candidate: 'cand def' }, runs(10), runs(13));
    const median = c.rows.find((r) => r.figure.name === 'CTD submission latency median')!;
    expect(median.verdict).toBe('regression');
    expect(median.reason).toMatch(/worse by \+30\.0 % \(90 % CI .*\), p\(worse\) = 0\.004/);
    expect(c.rows.find((r) => r.figure.name === 'CTD submission error share')?.verdict).toBe('same');
    expect(perfCiExitCode({ comparison: c })).toBe(PERF_CI_EXIT.regression);
    const md = abMarkdown(c);
    expect(md).toMatch(/^### cats-stress perf-ci: FAIL: \d regressions? against base abc/);
    expect(md).toContain('| CTD submission latency median | 10 ms (n=5) | 13 ms (n=5) | +30.0 % |');
  });

  it('reports a tail percentile from too few samples without gating on it', () => {
    // 60 submissions: 3 beyond p95, 0.6 beyond p99.
    const c = compareSides({ base: 'b', candidate: 'c' }, runs(10, 60), runs(20, 60));
    expect(c.rows.find((r) => r.figure.name === 'CTD submission latency p95')?.verdict).toBe('not gated');
    expect(c.rows.find((r) => r.figure.name === 'CTD submission latency p99')?.reason).toContain('fewer than 500');
    expect(c.rows.find((r) => r.figure.name === 'CTD submission latency median')?.verdict).toBe('regression');
    // 400 submissions: p95 is gated, p99 is not.
    const d = compareSides({ base: 'b', candidate: 'c' }, runs(10, 400), runs(20, 400));
    expect(d.rows.find((r) => r.figure.name === 'CTD submission latency p95')?.verdict).toBe('regression');
    expect(d.rows.find((r) => r.figure.name === 'CTD submission latency p99')?.verdict).toBe('not gated');
  });

  it('pairs runs by round: a slowdown hidden by a drifting load is found, and a failed run only loses its round', () => {
    // Each round slower than the last, both sides alike; the candidate 25 % slower within every round.
    const drift = [1, 1.6, 1.2, 2.1, 1.4, 1.8];
    const base = drift.map((f) => abFigures({ summary: summary(10 * f, 30 * f, 400) }));
    const cand = drift.map((f, i) => abFigures({ summary: summary(12.5 * f * (i % 2 ? 1.01 : 0.99), 30 * f, 400) }));
    const median = (c: ReturnType<typeof compareSides>) =>
      c.rows.find((r) => r.figure.name === 'CTD submission latency median')!;
    expect(median(compareSides({ base: 'b', candidate: 'c' }, base, cand)).verdict).toBe('same');
    const paired = compareSides({ base: 'b', candidate: 'c' }, base, cand, { paired: true });
    expect(median(paired).verdict).toBe('regression');
    expect(median(paired).reason).toContain('p(worse) = 0.016 (0.016 for 4 figures, by flipping rounds)');
    expect(abMarkdown(paired)).toContain('compared with the base run of the same round');
    // The p95 did not move in any round: the same.
    expect(paired.rows.find((r) => r.figure.name === 'CTD submission latency p95')?.verdict).toBe('same');
    // A candidate run that failed in round 2: five rounds left, all worse, still enough to judge.
    const failed = compareSides({ base: 'b', candidate: 'c' }, base, [cand[0]!, {}, ...cand.slice(2)], {
      paired: true,
    });
    expect(median(failed).judgement.base.n).toBe(5);
    expect(median(failed).verdict).toBe('regression');
  });

  it('tests the lower quartile of CTD lodging time at the nodes first: six rounds all worse are enough beside the other figures', () => {
    // 100 lodgings spread evenly over ±50 % of `ms`, in 1 ms buckets: their median is `ms`, their lower quartile 0.75 `ms`.
    const lodgingBuckets = (ms: number) =>
      Object.fromEntries([
        ...Array.from({ length: 30 }, (_, i) => [
          String((i + 1) / 1000),
          100 * Math.min(1, Math.max(0, (i + 1 - ms / 2) / ms)),
        ]),
        ['+Inf', 100],
      ]);
    const sut = (lodgingMs: number, cpu: number) => [
      {
        t: 1,
        part: 'node GE',
        cpuCores: cpu,
        lodged: 100,
        lodgingSeconds: (100 * lodgingMs) / 1000,
        lodgingBuckets: lodgingBuckets(lodgingMs),
      },
    ];
    const drift = [1, 1.05, 0.97, 1.02, 0.99, 1.03];
    // Latency and CPU move by a few per cent either way; the lodging time is 18 % slower in every round.
    const noise = [1.04, 0.95, 1.01, 0.98, 1.06, 0.97];
    const base = drift.map((f) => abFigures({ summary: summary(10 * f, 30, 400), sut: sut(7 * f, 0.5 * f) }));
    const cand = drift.map((f, i) =>
      abFigures({ summary: summary(10 * f * noise[i]!, 30, 400), sut: sut(7 * f * 1.18, 0.5 * f * noise[5 - i]!) }),
    );
    expect(base[0]!['CTD lodging time at the nodes, median']?.value).toBeCloseTo(7, 9);
    expect(base[0]!['CTD lodging time at the nodes, lower quartile']?.value).toBeCloseTo(5.25, 9);
    const c = compareSides({ base: 'b', candidate: 'c' }, base, cand, { paired: true });
    const QUARTILE = 'CTD lodging time at the nodes, lower quartile';
    const quartile = c.rows.find((r) => r.figure.name === QUARTILE)!;
    expect(quartile.verdict).toBe('regression');
    // 1/64 alone, doubled for its half of α; as one of the family by flips it would be larger still.
    expect(quartile.reason).toMatch(
      /p\(worse\) = 0\.016 \(0\.031 for \d figures, CTD lodging time at the nodes, lower quartile first, the rest by flipping rounds\)/,
    );
    // The median and the mean moved as much and, tested after it, at all of α: found too.
    for (const name of ['CTD lodging time at the nodes', 'CTD lodging time at the nodes, median'])
      expect(c.rows.find((r) => r.figure.name === name)?.verdict).toBe('regression');
    expect(c.regressions).toBe(3);
    expect(abMarkdown(c)).toContain(`the ${QUARTILE} tested first at 0.025`);
    // With five rounds, half of α is out of reach: could not judge, and how many rounds would do.
    const five = compareSides({ base: 'b', candidate: 'c' }, base.slice(0, 5), cand.slice(0, 5), { paired: true });
    const short = five.rows.find((r) => r.figure.name === QUARTILE)!;
    expect(short.verdict).toBe('could not judge');
    expect(short.reason).toContain('run at least 6 rounds');
  });

  it('does not gate on a figure only one side measured', () => {
    const sut = [{ t: 1, part: 'node GE', cpuCores: 0.5 }];
    const withCpu = [1, 2, 3, 4, 5].map(() => abFigures({ summary: summary(10, 20, 400), sut }));
    const c = compareSides({ base: 'b', candidate: 'c' }, runs(10), withCpu);
    const cpu = c.rows.find((r) => r.figure.name === 'SUT CPU per CTD')!;
    expect(cpu.verdict).toBe('not gated');
    expect(cpu.reason).toContain('only the candidate runs measured it');
    expect(perfCiExitCode({ comparison: c })).toBe(PERF_CI_EXIT.pass);
  });

  it('holds the chance of a false regression at α over all gated figures (Holm)', () => {
    // Only CPU per CTD differs, +33 %, with two base runs above the lowest candidate run:
    // p = 4/252 alone, which is not significant once five figures are judged together.
    const sut = (cpu: number) => [{ t: 1, part: 'node GE', cpuCores: cpu }];
    const side = (cpus: number[]) =>
      cpus.map((c, i) => abFigures({ summary: summary(10 + i * 0.1, 30, 400), sut: sut(c) }));
    const base = side([4, 4.1, 4.2, 5.35, 5.4]);
    const cand = side([5.3, 5.5, 5.6, 5.7, 5.8]);
    const c = compareSides({ base: 'b', candidate: 'c' }, base, cand);
    const cpu = c.rows.find((r) => r.figure.name === 'SUT CPU per CTD')!;
    expect(cpu.judgement.pWorse).toBeCloseTo(4 / 252, 12);
    expect(cpu.judgement.pWorseAdjusted).toBeCloseTo((5 * 4) / 252, 12);
    // Judged alone, the same runs would fail the build.
    expect(judge([4, 4.1, 4.2, 5.35, 5.4], [5.3, 5.5, 5.6, 5.7, 5.8], cpu.figure).verdict).toBe('regression');
    expect(cpu.verdict).toBe('same');
    expect(perfCiExitCode({ comparison: c })).toBe(PERF_CI_EXIT.pass);
    // In complete separation the same shift is a regression even over the family.
    const clear = compareSides({ base: 'b', candidate: 'c' }, side([4, 4.1, 4.2, 4.3, 4.4]), cand);
    expect(clear.rows.find((r) => r.figure.name === 'SUT CPU per CTD')?.verdict).toBe('regression');
  });

  it('could not judge with two runs per side', () => {
    const c = compareSides({ base: 'b', candidate: 'c' }, runs(10).slice(0, 2), runs(20).slice(0, 2));
    expect(c.regressions).toBe(0);
    expect(c.unjudged).toBeGreaterThan(0);
    expect(perfCiExitCode({ comparison: c })).toBe(PERF_CI_EXIT.couldNotJudge);
    expect(abTable(c)).toContain('COULD NOT JUDGE');
  });
});

describe('perfCiExitCode', () => {
  const pass = compareSides({ base: 'b', candidate: 'c' }, runs(10), runs(10));
  const regressed = compareSides({ base: 'b', candidate: 'c' }, runs(10), runs(15));
  it('maps every outcome to its own code', () => {
    expect(perfCiExitCode({ comparison: pass })).toBe(0);
    expect(perfCiExitCode({ comparison: regressed })).toBe(1);
    expect(perfCiExitCode({ usageError: true })).toBe(2);
    const differing = { ...regressed, notComparable: ['dataset.seed: "perf-ci" → "other"'] };
    expect(perfCiExitCode({ comparison: differing })).toBe(2);
    expect(abTable(differing)).toContain('NOT COMPARABLE: the sides ran with different settings (dataset.seed');
    expect(perfCiExitCode({})).toBe(3);
    expect(perfCiExitCode({ comparison: compareSides({ base: 'b', candidate: 'c' }, [], []) })).toBe(3);
    // A failed round leaves the verdict open unless what ran already shows a regression.
    expect(perfCiExitCode({ comparison: pass, failedRuns: 1 })).toBe(3);
    expect(perfCiExitCode({ comparison: regressed, failedRuns: 1 })).toBe(1);
  });
});
