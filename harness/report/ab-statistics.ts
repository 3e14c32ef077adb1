// Statistics for A/B performance runs: several short runs per side, one figure per run,
// and a verdict that tells a real change from the noise of a shared machine. A figure is a
// regression only when a one-sided test finds the candidate worse at α (Mann–Whitney U on the
// two sides' runs, or, when the runs were made in rounds, the signed-rank test on each round's
// change: ab-paired.ts) and the change is worse by more than a minimum effect. Pure: no I/O,
// deterministic.

import { medianChangeNoise, minimumRounds, pairedInterval, smallestPairedP, wilcoxonSignedRank } from './ab-paired.ts';
import { median, normalCdf, seededRandom, type Sided } from './sample-statistics.ts';

export interface MannWhitney {
  /** U of the first sample: pairs (a, b) with a > b, ties counting ½. */
  u1: number;
  /** U of the second sample; u1 + u2 = n1 × n2. */
  u2: number;
  /** P-value of the alternative asked for. */
  p: number;
  method: 'exact' | 'normal';
}

/** Samples up to this size per side get the exact (permutation) distribution. */
export const EXACT_LIMIT = 25;

/** Midranks of the pooled values (ties share the mean of their ranks). */
function midranks(values: number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

/**
 * Counts, for every possible sum of doubled midranks, the subsets of size `k` reaching it:
 * the exact null distribution of the rank sum, ties included (conditional on the tie pattern).
 */
function rankSumCounts(doubled: number[], k: number): number[] {
  const max = doubled.reduce((a, b) => a + b, 0);
  // counts[j][s]: subsets of size j with doubled rank sum s
  const counts = Array.from({ length: k + 1 }, () => new Float64Array(max + 1));
  counts[0]![0] = 1;
  let reach = 0;
  for (const d of doubled) {
    reach += d;
    for (let j = k; j >= 1; j--) {
      const to = counts[j]!;
      const from = counts[j - 1]!;
      for (let s = reach; s >= d; s--) if (from[s - d]) to[s] += from[s - d]!;
    }
  }
  return Array.from(counts[k]!);
}

/**
 * Mann–Whitney U test of `a` against `b`. `greater`: a tends to be larger than b.
 * Exact p-value (ties handled by the permutation distribution of midranks) up to
 * {@link EXACT_LIMIT} values per side; beyond, the normal approximation with tie
 * correction and continuity correction.
 */
export function mannWhitney(a: number[], b: number[], alternative: Sided = 'two-sided'): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitney: both samples need at least one value');
  const { ranks, tieTerm } = midranks([...a, ...b]);
  const r1 = ranks.slice(0, n1).reduce((s, r) => s + r, 0);
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  if (n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
    const counts = rankSumCounts(
      ranks.map((r) => Math.round(r * 2)),
      n1,
    );
    const total = counts.reduce((s, c) => s + c, 0);
    const w = Math.round(r1 * 2);
    let atLeast = 0;
    let atMost = 0;
    counts.forEach((c, s) => {
      if (s >= w) atLeast += c;
      if (s <= w) atMost += c;
    });
    const greater = atLeast / total;
    const less = atMost / total;
    const p = alternative === 'greater' ? greater : alternative === 'less' ? less : clamp(2 * Math.min(greater, less));
    return { u1, u2, p, method: 'exact' };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u1, u2, p: 1, method: 'normal' };
  const sd = Math.sqrt(variance);
  const greater = 1 - normalCdf((u1 - mean - 0.5) / sd);
  const less = normalCdf((u1 - mean + 0.5) / sd);
  const p =
    alternative === 'greater'
      ? clamp(greater)
      : alternative === 'less'
        ? clamp(less)
        : clamp(2 * Math.min(greater, less));
  return { u1, u2, p, method: 'normal' };
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** The smallest one-sided p-value the exact test can give with these sizes: complete separation. */
export function smallestP(n1: number, n2: number, sided: 'one-sided' | 'two-sided' = 'one-sided'): number {
  if (n1 === 0 || n2 === 0) return 1;
  return Math.min(1, (sided === 'two-sided' ? 2 : 1) / binomial(n1 + n2, n1));
}

/** Fewest runs per side (equal sides) with which the test can reach α at all: 3 for α = 0.05 one-sided (1/20). */
export function minimumRunsPerSide(alpha: number, sided: 'one-sided' | 'two-sided' = 'one-sided'): number {
  let n = 1;
  while (smallestP(n, n, sided) > alpha * (1 + 1e-9)) n++;
  return n;
}

export interface BootstrapOptions {
  /** Two-sided confidence of the interval, e.g. 0.9. */
  confidence: number;
  resamples?: number;
  seed?: string | number;
}

/**
 * Percentile bootstrap interval of a statistic of two samples (each resampled with
 * replacement on its own side), by default the ratio of medians b / a.
 */
export function bootstrapInterval(
  a: number[],
  b: number[],
  opts: BootstrapOptions,
  statistic: (a: number[], b: number[]) => number = (x, y) => median(y) / median(x),
): [number, number] {
  const random = seededRandom(opts.seed ?? 'cats-stress');
  const resamples = opts.resamples ?? 2000;
  const draw = (v: number[]) => v.map(() => v[Math.floor(random() * v.length)]!);
  const stats: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const s = statistic(draw(a), draw(b));
    if (Number.isFinite(s)) stats.push(s);
  }
  if (stats.length === 0) return [NaN, NaN];
  stats.sort((x, y) => x - y);
  const tail = (1 - opts.confidence) / 2;
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * stats.length)))]!;
  return [at(tail), at(1 - tail)];
}

export interface FigureRule {
  better: 'lower' | 'higher';
  /** `ratio`: relative change of the medians; `difference`: candidate − base median (shares, in points). */
  effect: 'ratio' | 'difference';
  /** Smallest change in the bad direction that counts: 0.1 = 10 % (ratio) or 0.1 absolute (difference). */
  minEffect: number;
}

/**
 * Holm's step-down adjustment: p-values of m tests made comparable to one α, so that the
 * chance of any false finding among them stays at α (family-wise), with more power than
 * Bonferroni. Returned in the order given.
 */
export function holm(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

/**
 * The runs' own scatter, relative: each value's distance from its side's median as a share of
 * that median, pooled over both sides, as a robust standard deviation (1.4826 × the median
 * absolute deviation). A shift between the sides does not count, only the spread within each.
 */
export function relativeSpread(a: number[], b: number[]): number {
  const deviations: number[] = [];
  for (const side of [a, b]) {
    const m = median(side);
    if (!(m > 0)) continue;
    for (const v of side) deviations.push(Math.abs(v - m) / m);
  }
  return deviations.length ? 1.4826 * median(deviations) : 0;
}

/** The minimum effect widens to this many times the runs' relative scatter ({@link relativeSpread}). */
export const NOISE_FACTOR = 2;

export interface JudgeOptions {
  /** Significance level of the one-sided test in the bad direction (default 0.05). */
  alpha?: number;
  /** Overrides the rule's minimum effect for ratio figures (default 0.1). */
  minEffect?: number;
  /** Seed of the bootstrap (e.g. the figure's name). */
  seed?: string;
  /**
   * Figures judged together: the test must be able to reach α / familySize (Holm's first
   * step) for a verdict at all. Default 1.
   */
  familySize?: number;
  /** p(worse) adjusted for the family ({@link holm}); the verdict uses it in place of the raw one. */
  pWorseAdjusted?: number;
  /** Widen a ratio figure's minimum effect to this many times its runs' scatter (default {@link NOISE_FACTOR}; 0: never). */
  noiseFactor?: number;
  /**
   * base[i] and candidate[i] ran in the same round: judged by their changes round by round
   * (Wilcoxon signed-rank, `ab-paired.ts`), the family adjusted by sign flips, not Holm.
   */
  paired?: boolean;
  /** The p a verdict must be able to reach (default α, or α / familySize for unordered samples). */
  reach?: number;
  /** How {@link pWorseAdjusted} was adjusted, for the reason (default: by flipping rounds, or Holm). */
  adjustedBy?: string;
}

export type AbVerdict = 'regression' | 'improvement' | 'same' | 'below minimum effect' | 'could not judge';

export interface Judgement {
  verdict: AbVerdict;
  base: { n: number; median: number };
  candidate: { n: number; median: number };
  /** Relative change of the medians (ratio − 1), or their difference. */
  change: number;
  /** Bootstrap interval of the same quantity, at confidence 1 − 2α (matches the one-sided test). */
  interval: [number, number];
  confidence: number;
  /** One-sided p-value that the candidate is worse / better. */
  pWorse: number;
  pBetter: number;
  /** p(worse) adjusted for the figures judged together, when it was. */
  pWorseAdjusted?: number;
  /** Judged round by round (the change is then the median of the rounds' changes). */
  paired?: boolean;
  alpha: number;
  /** The minimum effect applied: the rule's, or wider when the runs scatter more (see {@link spread}). */
  minEffect: number;
  /** The runs' relative scatter ({@link relativeSpread}), or in rounds the noise of the median change ({@link medianChangeNoise}), for ratio figures. */
  spread?: number;
  /** One line: the verdict with both numbers behind it. */
  reason: string;
}

/**
 * Each round's change of the candidate against the base, NaN in a round without both: the log
 * of the ratio (symmetric for a test of its sign) for a ratio figure whose values are all
 * positive, else the difference.
 */
export function roundChanges(
  base: number[],
  candidate: number[],
  rule: Pick<FigureRule, 'effect'>,
): { changes: number[]; logs: boolean } {
  const both = base.map((x, i) => Number.isFinite(x) && Number.isFinite(candidate[i]));
  const logs = rule.effect === 'ratio' && both.every((k, i) => !k || (base[i]! > 0 && candidate[i]! > 0));
  const changes = base.map((x, i) => (both[i] ? (logs ? Math.log(candidate[i]! / x) : candidate[i]! - x) : NaN));
  return { changes, logs };
}

/** Signed change of the candidate against the base: positive is worse. */
function worseBy(rule: FigureRule, change: number): number {
  return rule.better === 'lower' ? change : -change;
}

export function formatChange(rule: Pick<FigureRule, 'effect'>, v: number): string {
  if (!Number.isFinite(v)) return '–';
  return rule.effect === 'ratio'
    ? `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`
    : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)} pt`;
}

const formatP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

/** Judges one figure measured once per run on each side. */
export function judge(base: number[], candidate: number[], rule: FigureRule, opts: JudgeOptions = {}): Judgement {
  const alpha = opts.alpha ?? 0.05;
  const family = Math.max(1, opts.familySize ?? 1);
  const paired = opts.paired === true;
  // Paired: only the rounds in which both sides gave the figure.
  const inRounds = paired ? roundChanges(base, candidate, rule) : undefined;
  const kept = inRounds?.changes.map(Number.isFinite);
  const a = base.filter((x, i) => (kept ? kept[i] : Number.isFinite(x)));
  const b = candidate.filter((y, i) => (kept ? kept[i] : Number.isFinite(y)));
  const ma = median(a);
  const mb = median(b);
  const ratio = inRounds ? inRounds.logs : rule.effect === 'ratio' && ma !== 0;
  const rounds = inRounds ? inRounds.changes.filter(Number.isFinite) : [];
  const ruleEffect = rule.effect === 'ratio' ? (opts.minEffect ?? rule.minEffect) : rule.minEffect;
  const spread = ratio ? (paired ? Math.expm1(medianChangeNoise(rounds)) : relativeSpread(a, b)) : undefined;
  const noiseFloor = (opts.noiseFactor ?? NOISE_FACTOR) * (spread ?? 0);
  const minEffect = Math.max(ruleEffect, noiseFloor);
  const fromRounds = (v: number) => (ratio ? Math.expm1(v) : v);
  const change = a.length && b.length ? (paired ? fromRounds(median(rounds)) : ratio ? mb / ma - 1 : mb - ma) : NaN;
  const confidence = 1 - 2 * alpha;
  const out = {
    base: { n: a.length, median: ma },
    candidate: { n: b.length, median: mb },
    change,
    confidence,
    alpha,
    minEffect,
    spread,
  };
  const shown: Pick<FigureRule, 'effect'> = { effect: ratio ? 'ratio' : 'difference' };
  const floor = paired ? smallestPairedP(rounds.length) : smallestP(a.length, b.length);
  // Sign flips adjust a family without dividing α when its figures move together: one figure's reach is enough.
  const reachable = opts.reach ?? (paired ? alpha : alpha / family);
  if (floor > reachable * (1 + 1e-9))
    return {
      ...out,
      verdict: 'could not judge',
      interval: [NaN, NaN],
      pWorse: NaN,
      pBetter: NaN,
      paired: paired || undefined,
      reason: paired
        ? `could not judge: ${rounds.length} rounds with both runs cannot reach p ≤ ${formatP(reachable)} (smallest possible p ${formatP(floor)}); run at least ${minimumRounds(reachable)} rounds`
        : `could not judge: ${a.length} base and ${b.length} candidate runs cannot reach p ≤ ${family > 1 ? `${alpha} / ${family} figures` : alpha} (smallest possible p ${formatP(floor)}); run at least ${minimumRunsPerSide(reachable)} per side`,
    };
  const greater = paired ? wilcoxonSignedRank(rounds, 'greater').p : mannWhitney(b, a, 'greater').p;
  const less = paired ? wilcoxonSignedRank(rounds, 'less').p : mannWhitney(b, a, 'less').p;
  const pWorse = rule.better === 'lower' ? greater : less;
  const pBetter = rule.better === 'lower' ? less : greater;
  const interval = paired
    ? (pairedInterval(rounds, confidence, opts.seed).map(fromRounds) as [number, number])
    : bootstrapInterval(
        a,
        b,
        { confidence, seed: opts.seed },
        ratio ? (x, y) => median(y) / median(x) - 1 : (x, y) => median(y) - median(x),
      );
  const worse = worseBy(rule, change);
  const decisive = opts.pWorseAdjusted ?? pWorse;
  const adjusted =
    opts.pWorseAdjusted === undefined
      ? ''
      : ` (${formatP(decisive)} for ${family} figures, ${opts.adjustedBy ?? (paired ? 'by flipping rounds' : 'Holm')})`;
  const numbers = `${formatChange(shown, change)} (${Math.round(confidence * 100)} % CI ${formatChange(shown, interval[0])} … ${formatChange(shown, interval[1])}), p(worse) = ${formatP(pWorse)}${adjusted}`;
  const pct = (v: number) => formatChange(shown, v).replace('+', '');
  const limit =
    minEffect > ruleEffect
      ? `minimum effect ${pct(minEffect)} (${pct(ruleEffect)}, widened to ${opts.noiseFactor ?? NOISE_FACTOR} × ${paired ? 'the noise of the median change' : "the runs' scatter"} of ${pct(spread!)})`
      : `minimum effect ${pct(minEffect)}`;
  let verdict: AbVerdict;
  let why: string;
  if (decisive <= alpha && worse > minEffect) {
    verdict = 'regression';
    why = `worse by ${numbers} ≤ α ${alpha}, beyond the ${limit}`;
  } else if (decisive <= alpha) {
    verdict = 'below minimum effect';
    why = `significantly worse by ${numbers}, but within the ${limit}`;
  } else if (pBetter <= alpha && -worse > minEffect) {
    verdict = 'improvement';
    why = `better by ${formatChange(shown, change)}, p(better) = ${formatP(pBetter)}`;
  } else {
    verdict = 'same';
    why = `no significant worsening: ${numbers} > α ${alpha}`;
  }
  return {
    ...out,
    verdict,
    interval,
    pWorse,
    pBetter,
    pWorseAdjusted: opts.pWorseAdjusted,
    paired: paired || undefined,
    reason: why,
  };
}
