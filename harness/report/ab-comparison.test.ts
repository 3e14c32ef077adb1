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
