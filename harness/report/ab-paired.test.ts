// The paired A/B statistics on samples with known answers: the signed-rank test against a
// textbook example and brute force, the family adjustment by sign flips against its bounds,
// and why pairing matters when the load drifts over a job.
import { describe, expect, it } from 'vitest';
import {
  medianChangeNoise,
  minimumRounds,
  pairedSpread,
  primaryFirst,
  signFlipAdjusted,
  smallestPairedP,
  wilcoxonSignedRank,
} from './ab-paired.ts';
import { judge, type FigureRule } from './ab-statistics.ts';

/** Every assignment of signs to |d|: the share with a positive rank sum at least the observed one. */
function bruteForceGreater(d: number[]): number {
  const nonZero = d.filter((v) => v !== 0);
  const abs = nonZero.map(Math.abs);
  const rank = (v: number) => {
    const below = abs.filter((x) => x < v).length;
    const equal = abs.filter((x) => x === v).length;
    return below + (equal + 1) / 2;
  };
  const w = (signs: number[]) => abs.reduce((s, v, i) => (signs[i]! > 0 ? s + rank(v) : s), 0);
  const observed = w(nonZero.map(Math.sign));
  let atLeast = 0;
  const n = abs.length;
  for (let m = 0; m < 2 ** n; m++) if (w(abs.map((_, i) => ((m >> i) & 1 ? 1 : -1))) >= observed - 1e-9) atLeast++;
  return atLeast / 2 ** n;
}

describe('wilcoxonSignedRank', () => {
  it("gives Hollander & Wolfe's depression-scale example its known V = 40 and exact p = 0.0195", () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = wilcoxonSignedRank(
      x.map((v, i) => v - y[i]!),
      'greater',
    );
    expect(r.wPlus).toBe(40);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(10 / 512, 12);
  });

  it('gives every change one way the smallest p, 1/2^n, and reads the other direction', () => {
    expect(wilcoxonSignedRank([0.1, 0.3, 0.2, 0.5, 0.4], 'greater').p).toBe(1 / 32);
    expect(wilcoxonSignedRank([0.1, 0.3, 0.2, 0.5, 0.4], 'less').p).toBe(1);
    expect(wilcoxonSignedRank([0.1, 0.3, 0.2, 0.5, 0.4], 'two-sided').p).toBe(2 / 32);
    expect(smallestPairedP(5)).toBe(1 / 32);
    expect(minimumRounds(0.05)).toBe(5);
  });

  it('counts ties and zeros exactly: the same p as enumerating every sign by brute force', () => {
    for (const d of [
      [1, 1, -1, 2, 2, 3],
      [0, 0.5, -0.5, 0.5, 1, -2, 3],
      [2, -2, 2, 2, -1, 1, 1],
    ])
      expect(wilcoxonSignedRank(d, 'greater').p, d.join(',')).toBeCloseTo(bruteForceGreater(d), 12);
  });

  it('finds nothing in changes that are all zero', () => {
    expect(wilcoxonSignedRank([0, 0, 0], 'greater')).toMatchObject({ n: 0, p: 1 });
  });

  it('uses the normal approximation beyond the exact limit, centred on a symmetric sample', () => {
    const d = Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : -1) * (i + 1));
    const r = wilcoxonSignedRank(d, 'greater');
    expect(r.method).toBe('normal');
    expect(r.p).toBeGreaterThan(0.3);
    expect(r.p).toBeLessThan(0.7);
  });
});

describe('signFlipAdjusted', () => {
  it('leaves one figure its own exact p', () => {
    const d = [0.3, -0.1, 0.2, 0.4, 0.25, 0.15];
    expect(signFlipAdjusted([d])[0]).toBeCloseTo(wilcoxonSignedRank(d, 'greater').p, 12);
  });

  it('does not divide α between figures that move together, as Holm must', () => {
    const d = [0.2, 0.1, 0.3, 0.25, 0.15];
    // Three figures, the same rounds worse in each: the family's p is one figure's, 1/32, not 3/32.
    expect(signFlipAdjusted([d, d.map((v) => 2 * v), d.map((v) => v / 3)])).toEqual([1 / 32, 1 / 32, 1 / 32]);
  });

  it('pays for figures that move independently: two sign patterns, twice the p', () => {
    const a = [0.1, 0.2, 0.3, 0.4, 0.5];
    const b = [0.1, -0.2, 0.3, -0.4, 0.5];
    const [pa] = signFlipAdjusted([a, b]);
    // Only the observed signs and those that turn b all positive give a p as small as a's 1/32.
    expect(pa).toBe(2 / 32);
  });

  it('is the same every time when it samples the flips of many rounds', () => {
    const d = Array.from({ length: 16 }, (_, i) => 0.1 + (i % 3) * 0.05);
    const first = signFlipAdjusted([d, d.map((v, i) => (i % 4 ? v : -v))], 'seed');
    expect(signFlipAdjusted([d, d.map((v, i) => (i % 4 ? v : -v))], 'seed')).toEqual(first);
    expect(first[0]).toBeLessThan(0.001);
  });
});

describe('primaryFirst', () => {
  it('tests the primary at half of α and gives the others all of α once it is found', () => {
    const { primary, others } = primaryFirst(1 / 64, [0.03, 0.2]);
    expect(primary).toBe(2 / 64);
    // 0.03 alone would need 0.025; after the primary (0.031 ≤ 0.05) it stands at 0.031.
    expect(others).toEqual([2 / 64, 0.2]);
  });

  it('leaves the others half of α when the primary is not found', () => {
    const { primary, others } = primaryFirst(0.1, [0.02, 0.04]);
    expect(primary).toBe(0.2);
    expect(others).toEqual([0.04, 0.08]);
  });

  it('keeps the chance of any false finding at α: every flip of six rounds, counted', () => {
    // Three figures measured in the same six rounds; under no change every sign pattern is as likely.
    const lodging = [0.05, 0.12, 0.03, 0.2, 0.08, 0.15];
    const latency = [0.1, -0.02, 0.3, 0.07, 0.04, 0.25];
    const cpu = [0.02, 0.06, -0.01, 0.09, 0.03, 0.05];
    const flip = (d: number[], k: number) => d.map((v, r) => ((k >> r) & 1 ? -v : v));
    let anyFound = 0;
    for (let k = 0; k < 64; k++) {
      const rest = signFlipAdjusted([flip(latency, k), flip(cpu, k)]);
      const adjusted = primaryFirst(wilcoxonSignedRank(flip(lodging, k), 'greater').p, rest);
      if ([adjusted.primary, ...adjusted.others].some((q) => q <= 0.05)) anyFound++;
    }
    expect(anyFound).toBeGreaterThan(0);
    expect(anyFound / 64).toBeLessThanOrEqual(0.05);
  });
});

describe('medianChangeNoise', () => {
  it("is the median's standard error: √(π/2) × the robust spread / √n", () => {
    const changes = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    expect(medianChangeNoise(changes)).toBeCloseTo((Math.sqrt(Math.PI / 2) * 1.4826 * 0.15) / Math.sqrt(6), 12);
    expect(medianChangeNoise([NaN, NaN])).toBe(0);
  });
});

describe('judging rounds in pairs', () => {
  const latency: FigureRule = { better: 'lower', effect: 'ratio', minEffect: 0.1 };
  // The load drifts over the job: each round's base run is slower or faster than the last.
  const base = [10, 20, 15, 30, 12, 25];
  const candidate = base.map((v, i) => v * 1.2 * (i % 2 ? 1.02 : 0.98));

  it('finds a 20 % slowdown in every round that the drift hides from unordered samples', () => {
    expect(judge(base, candidate, latency).verdict).toBe('same');
    const paired = judge(base, candidate, latency, { paired: true });
    expect(paired.verdict).toBe('regression');
    expect(paired.change).toBeCloseTo(0.2, 1);
    expect(paired.pWorse).toBe(1 / 64);
    expect(paired.reason).toMatch(/^worse by \+\d+\.\d %/);
  });

  it('calls identical revisions the same however the load drifts', () => {
    const same = base.map((v, i) => v * (i % 2 ? 1.03 : 0.97));
    expect(judge(base, same, latency, { paired: true }).verdict).toBe('same');
  });

  it('skips a round one side did not finish and says so when too few rounds are left', () => {
    const missing = [...candidate.slice(0, 4), NaN, NaN];
    const j = judge(base, missing, latency, { paired: true });
    expect(j.verdict).toBe('could not judge');
    expect(j.reason).toContain('4 rounds with both runs cannot reach p ≤ 0.05');
    expect(j.reason).toContain('run at least 5 rounds');
  });

  it('widens the minimum effect to twice the noise of the median change, not the scatter of the drifting runs', () => {
    const changes = [0.2, 0.1, 0.3, 0.25, 0.15];
    expect(pairedSpread(changes)).toBeCloseTo(1.4826 * 0.05, 12);
    const j = judge(base, candidate, latency, { paired: true });
    // ±2 % within a round: the rule's 10 % stands, although the runs range from 10 to 36.
    expect(j.minEffect).toBe(0.1);
    // Rounds +9 … +40 % worse: a 16 % median change, whose noise (about 7 %) keeps it beyond 10 % × 2 noise.
    const scattered = [1.09, 1.4, 1.03, 1.16, 1.15, 1.59];
    const k = judge(
      base,
      base.map((v, i) => v * scattered[i]!),
      latency,
      { paired: true },
    );
    expect(k.minEffect).toBeGreaterThan(0.1);
    expect(k.minEffect).toBeLessThan(0.155);
    expect(k.reason).toMatch(/widened to 2 × the noise of the median change of \d+\.\d %/);
    expect(k.verdict).toBe('regression');
  });
});
