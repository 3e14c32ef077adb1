// The A/B statistics on samples whose answers are known: textbook Mann–Whitney examples,
// a brute-force permutation count, and synthetic runs with a known shift and noise.
import { describe, expect, it } from 'vitest';
import {
  bootstrapInterval,
  holm,
  judge,
  mannWhitney,
  minimumRunsPerSide,
  relativeSpread,
  smallestP,
  type FigureRule,
} from './ab-statistics.ts';
import { median, seededRandom } from './sample-statistics.ts';

const latency: FigureRule = { better: 'lower', effect: 'ratio', minEffect: 0.1 };

/** Values around `center` with relative noise `spread` (uniform ±spread), from a seeded generator. */
function noisy(center: number, spread: number, n: number, seed: string): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => center * (1 + spread * (2 * random() - 1)));
}

/** Every way of splitting the pooled values into the two sides: the permutation p-value by brute force. */
function bruteForceGreater(a: number[], b: number[]): number {
  const pooled = [...a, ...b];
  const u = (xs: number[], ys: number[]) =>
    xs.reduce((s, x) => s + ys.reduce((t, y) => t + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);
  const observed = u(a, b);
  let hits = 0;
  let total = 0;
  const n = pooled.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let m = mask; m; m &= m - 1) bits++;
    if (bits !== a.length) continue;
    const xs = pooled.filter((_, i) => mask & (1 << i));
    const ys = pooled.filter((_, i) => !(mask & (1 << i)));
    total++;
    if (u(xs, ys) >= observed - 1e-9) hits++;
  }
  return hits / total;
}

describe('Mann–Whitney U', () => {
  it("gives Hollander & Wolfe's permeability example its known U = 35 and exact p = 0.1272", () => {
    // Hollander & Wolfe (1973) p. 69, the example of R's wilcox.test: W = 35, p-value = 0.1272.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitney(x, y, 'greater');
    expect(r.method).toBe('exact');
    expect(r.u1).toBe(35);
    expect(r.u2).toBe(15);
    expect(r.p).toBeCloseTo(0.1272061, 6);
    expect(mannWhitney(x, y, 'two-sided').p).toBeCloseTo(0.2544123, 6);
    expect(mannWhitney(y, x, 'less').p).toBeCloseTo(0.1272061, 6);
  });

  it('gives complete separation the smallest exact p: 1/C(n1+n2, n1)', () => {
    expect(mannWhitney([4, 5, 6], [1, 2, 3], 'greater').p).toBeCloseTo(1 / 20, 12);
    expect(mannWhitney([5, 6, 7, 8], [1, 2, 3, 4], 'greater').p).toBeCloseTo(1 / 70, 12);
    expect(mannWhitney([5, 6, 7, 8], [1, 2, 3, 4], 'two-sided').p).toBeCloseTo(2 / 70, 12);
    expect(mannWhitney([5, 6, 7, 8], [1, 2, 3, 4], 'less').p).toBe(1);
    expect(smallestP(3, 3)).toBeCloseTo(0.05, 12);
    expect(smallestP(5, 5)).toBeCloseTo(1 / 252, 12);
  });

  it('counts ties exactly: the same p as enumerating every split by brute force', () => {
    const a = [2, 3, 3, 4, 4, 5];
    const b = [1, 1, 2, 2, 3, 4];
    const r = mannWhitney(a, b, 'greater');
    expect(r.method).toBe('exact');
    expect(r.u1).toBe(29); // 2: 2 + ½·2, 3: 2 × (4 + ½), 4: 2 × (5 + ½), 5: 6
    expect(r.p).toBeCloseTo(bruteForceGreater(a, b), 12);
    expect(mannWhitney(b, a, 'less').p).toBeCloseTo(r.p, 12);
  });

  it('uses the normal approximation with tie and continuity correction beyond the exact limit', () => {
    // SciPy 1.17 mannwhitneyu(a, b, method='asymptotic'): U = 262.5, p(less) = 0.0111718, two-sided 0.0223435.
    const a = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 12, 12, 13, 14, 15, 15, 16, 17, 18, 19, 20, 20];
    const b = [
      3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 11, 11, 12, 13, 14, 14, 16, 17, 18, 19, 21, 22, 23, 23, 24, 25, 26, 27, 28,
    ];
    const r = mannWhitney(a, b, 'less');
    expect(r.method).toBe('normal');
    expect(r.u1).toBe(262.5);
    expect(r.p).toBeCloseTo(0.0111718, 5);
    expect(mannWhitney(a, b).p).toBeCloseTo(0.0223435, 5);
  });

  it('finds nothing between identical samples, even all tied', () => {
    expect(mannWhitney([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]).p).toBe(1);
    expect(mannWhitney([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 'greater').p).toBe(1);
    const many = Array.from({ length: 40 }, () => 0);
    expect(mannWhitney(many, many, 'greater')).toMatchObject({ p: 1, method: 'normal' });
  });

  it('needs 3 runs per side for α = 0.05 one-sided, 4 two-sided', () => {
    expect(minimumRunsPerSide(0.05)).toBe(3);
    expect(minimumRunsPerSide(0.05, 'two-sided')).toBe(4);
    expect(minimumRunsPerSide(0.01)).toBe(5); // 1/70 > 0.01 ≥ 1/252
  });
});

describe('bootstrap interval', () => {
  it('is the same every time for the same seed and brackets the observed ratio', () => {
    const a = noisy(100, 0.05, 8, 'a');
    const b = noisy(120, 0.05, 8, 'b');
    const one = bootstrapInterval(a, b, { confidence: 0.9, seed: 'fig' });
    expect(bootstrapInterval(a, b, { confidence: 0.9, seed: 'fig' })).toEqual(one);
    const ratio = median(b) / median(a);
    expect(one[0]).toBeLessThanOrEqual(ratio);
    expect(one[1]).toBeGreaterThanOrEqual(ratio);
    expect(one[0]).toBeGreaterThan(1);
  });
});

describe('judge', () => {
  it('calls identical samples the same', () => {
    const a = noisy(50, 0.1, 5, 'same');
    const j = judge(a, [...a], latency, { seed: 'x' });
    expect(j.verdict).toBe('same');
    expect(j.change).toBe(0);
    expect(j.pWorse).toBeGreaterThan(0.4);
  });

  it('flags a clean 20 % shift with little noise, naming the p-value and the effect', () => {
    const j = judge(noisy(50, 0.02, 5, 'base'), noisy(60, 0.02, 5, 'cand'), latency, { seed: 'x' });
    expect(j.verdict).toBe('regression');
    expect(j.pWorse).toBeCloseTo(1 / 252, 12);
    expect(j.change).toBeGreaterThan(0.15);
    expect(j.interval[0]).toBeGreaterThan(0.1);
    expect(j.reason).toMatch(
      /worse by \+\d+\.\d % \(90 % CI .*p\(worse\) = 0\.004 ≤ α 0\.05, beyond the minimum effect 10\.0 %/,
    );
  });

  it('does not flag a 20 % shift buried in ±50 % noise at 5 runs per side', () => {
    const base = [40, 75, 52, 30, 66];
    const cand = [36, 90, 48, 62, 79]; // median 62 against 52 (+19 %), the runs spread ±45 %
    const j = judge(base, cand, latency);
    expect(j.change).toBeCloseTo(62 / 52 - 1, 9);
    expect(j.pWorse).toBeGreaterThan(0.05);
    expect(j.verdict).toBe('same');
    expect(j.interval[0]).toBeLessThan(0);
  });

  it('calls a significant 5 % shift below the minimum effect, not a regression', () => {
    const j = judge(noisy(100, 0.005, 6, 'b5'), noisy(105, 0.005, 6, 'c5'), latency);
    expect(j.pWorse).toBeLessThan(0.01);
    expect(j.change).toBeCloseTo(0.05, 1);
    expect(j.verdict).toBe('below minimum effect');
    expect(j.reason).toContain('within the minimum effect 10.0 %');
  });

  it('reads the direction from the rule: lower throughput is worse', () => {
    const throughput: FigureRule = { better: 'higher', effect: 'ratio', minEffect: 0.1 };
    expect(judge(noisy(20, 0.01, 5, 't1'), noisy(15, 0.01, 5, 't2'), throughput).verdict).toBe('regression');
    expect(judge(noisy(20, 0.01, 5, 't1'), noisy(25, 0.01, 5, 't2'), throughput).verdict).toBe('improvement');
    expect(judge(noisy(50, 0.01, 5, 'l1'), noisy(35, 0.01, 5, 'l2'), latency).verdict).toBe('improvement');
  });

  it('compares shares by their difference in points', () => {
    const errors: FigureRule = { better: 'lower', effect: 'difference', minEffect: 0.005 };
    expect(judge([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], errors).verdict).toBe('same');
    const j = judge([0, 0, 0.001, 0, 0], [0.03, 0.05, 0.04, 0.02, 0.06], errors);
    expect(j.verdict).toBe('regression');
    expect(j.change).toBeCloseTo(0.04, 9);
    expect(j.reason).toContain('+4.00 pt');
  });

  it('could not judge with too few runs to ever reach significance', () => {
    const j = judge([10, 11], [20, 21], latency);
    expect(j.verdict).toBe('could not judge');
    expect(j.reason).toContain('at least 3 per side');
    expect(judge([10, 11, 12], [], latency).verdict).toBe('could not judge');
    // Three per side can reach p = 0.05 exactly, with complete separation.
    expect(judge([10, 11, 12], [20, 21, 22], latency).verdict).toBe('regression');
  });

  it('takes α and the minimum effect from the options', () => {
    const base = noisy(100, 0.01, 5, 'o1');
    const cand = noisy(115, 0.01, 5, 'o2');
    expect(judge(base, cand, latency).verdict).toBe('regression');
    expect(judge(base, cand, latency, { minEffect: 0.2 }).verdict).toBe('below minimum effect');
    expect(judge(base, cand, latency, { alpha: 0.01 }).verdict).toBe('regression');
    // 1/252 > 0.001: five runs per side can never reach it.
    expect(judge(base, cand, latency, { alpha: 0.001 }).verdict).toBe('could not judge');
  });
});

describe('holm', () => {
  it('gives the textbook step-down adjustment, in the order given', () => {
    // p sorted 0.01, 0.02, 0.03, 0.04 over m = 4: 4 × 0.01, 3 × 0.02, max(2 × 0.03, 0.06), max(0.04, 0.06).
    const adjusted = holm([0.03, 0.01, 0.04, 0.02]);
    [0.06, 0.04, 0.06, 0.06].forEach((want, i) => expect(adjusted[i]).toBeCloseTo(want, 12));
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
    expect(holm([0.004])).toEqual([0.004]);
    expect(holm([])).toEqual([]);
  });
});

describe('relativeSpread', () => {
  it('measures the scatter within each side, not the shift between them', () => {
    // Each side: its median ± 10 % twice, ± 0 once: deviations 0, 0.1, 0.1 on each side.
    expect(relativeSpread([90, 100, 110], [180, 200, 220])).toBeCloseTo(1.4826 * 0.1, 12);
    expect(relativeSpread([5, 5, 5], [9, 9, 9])).toBe(0);
  });
});

describe("judge with the runs' own scatter", () => {
  it('widens the minimum effect to twice the scatter: a 20 % shift in ±30 % noise is not gated as a regression', () => {
    const base = [70, 100, 130, 85, 115];
    const cand = [120, 121, 122, 123, 160]; // all above the base's median; +22 % median
    const j = judge(base, cand, latency, { noiseFactor: 2 });
    expect(j.spread).toBeGreaterThan(0.1);
    expect(j.minEffect).toBeCloseTo(2 * j.spread!, 12);
    expect(j.pWorse).toBeLessThan(0.05);
    expect(j.verdict).toBe('below minimum effect');
    expect(j.reason).toMatch(/widened to 2 × the runs' scatter of \d+\.\d %/);
    // Without the widening the same runs would fail.
    expect(judge(base, cand, latency, { noiseFactor: 0 }).verdict).toBe('regression');
  });

  it('keeps the set minimum effect for a steady figure', () => {
    const j = judge(noisy(20, 0.01, 5, 'cpu-a'), noisy(24, 0.01, 5, 'cpu-b'), latency);
    expect(j.minEffect).toBe(0.1);
    expect(j.verdict).toBe('regression');
  });

  it('decides on the family-adjusted p-value and needs runs enough for α over the family', () => {
    const base = noisy(100, 0.01, 5, 'f1');
    const cand = noisy(130, 0.01, 5, 'f2');
    expect(judge(base, cand, latency, { familySize: 6, pWorseAdjusted: 6 / 252 }).verdict).toBe('regression');
    const j = judge(base, cand, latency, { familySize: 6, pWorseAdjusted: 0.06 });
    expect(j.verdict).toBe('same');
    expect(j.reason).toContain('(0.060 for 6 figures, Holm)');
    // Four runs a side reach 1/70 at best, more than 0.05 / 6.
    const four = judge(base.slice(0, 4), cand.slice(0, 4), latency, { familySize: 6 });
    expect(four.verdict).toBe('could not judge');
    expect(four.reason).toContain('run at least 5 per side');
  });
});
