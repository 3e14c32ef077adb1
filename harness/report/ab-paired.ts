// Paired statistics for A/B runs made in rounds: each round runs the base and the candidate
// one after the other, which first a fair coin, so a load on the machine that drifts over the
// job weighs on both runs of a round alike, and favours either with equal chance. Comparing
// each round's candidate with its own base (the Wilcoxon signed-rank test on their changes)
// cancels most of that drift, which comparing the two sides as unordered samples cannot.
// The figures of one job are judged as a family by flipping whole rounds (Westfall–Young):
// figures that move together, as latency, lodging time and CPU do, do not divide α between
// them as Holm must. The figure a regression is first of all (the time a node takes to lodge
// a CTD) can be tested ahead of that family ({@link primaryFirst}). Pure: no I/O, deterministic.
import { median, normalCdf, seededRandom, type Sided } from './sample-statistics.ts';

/** Doubled midranks of |d| for the non-zero changes (zeros carry no sign: Wilcoxon's rule). */
function doubledRanks(d: number[]): { ranks: number[]; tieTerm: number } {
  const order = d.map((v, i) => [Math.abs(v), i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(d.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = i + j + 2;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks, tieTerm };
}

/** Null distribution of the doubled positive rank sum: counts per sum, each change's sign a fair coin. */
function signedRankCounts(doubled: number[]): Float64Array {
  const max = doubled.reduce((a, b) => a + b, 0);
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    reach += r;
    for (let s = reach; s >= r; s--) counts[s] += counts[s - r]!;
  }
  return counts;
}

/** Changes up to this many (non-zero) get the exact distribution; beyond, the normal approximation. */
export const SIGNED_RANK_EXACT_LIMIT = 30;

export interface SignedRank {
  /** Sum of the ranks of |d| of the positive changes (midranks for ties). */
  wPlus: number;
  /** Non-zero changes ranked. */
  n: number;
  p: number;
  method: 'exact' | 'normal';
}

/**
 * Wilcoxon signed-rank test of paired changes `d` (candidate − base, in whatever scale):
 * `greater` asks whether they tend to be positive. Exact up to {@link SIGNED_RANK_EXACT_LIMIT}
 * non-zero changes (ties by midranks, conditional on the tie pattern), normal approximation
 * with tie and continuity correction beyond. All changes zero: p = 1.
 */
export function wilcoxonSignedRank(d: number[], alternative: Sided = 'two-sided'): SignedRank {
  const nonZero = d.filter((v) => Number.isFinite(v) && v !== 0);
  const n = nonZero.length;
  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  if (n === 0) return { wPlus: 0, n, p: 1, method: 'exact' };
  const { ranks, tieTerm } = doubledRanks(nonZero);
  const w2 = nonZero.reduce((s, v, i) => (v > 0 ? s + ranks[i]! : s), 0);
  const wPlus = w2 / 2;
  const pick = (greater: number, less: number) =>
    alternative === 'greater' ? greater : alternative === 'less' ? less : clamp(2 * Math.min(greater, less));
  if (n <= SIGNED_RANK_EXACT_LIMIT) {
    const counts = signedRankCounts(ranks);
    const total = 2 ** n;
    let atLeast = 0;
    let atMost = 0;
    counts.forEach((c, s) => {
      if (s >= w2) atLeast += c;
      if (s <= w2) atMost += c;
    });
    return { wPlus, n, p: pick(atLeast / total, atMost / total), method: 'exact' };
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  if (sd === 0) return { wPlus, n, p: 1, method: 'normal' };
  const greater = clamp(1 - normalCdf((wPlus - mean - 0.5) / sd));
  const less = clamp(normalCdf((wPlus - mean + 0.5) / sd));
  return { wPlus, n, p: pick(greater, less), method: 'normal' };
}

/** The smallest one-sided p the exact signed-rank test can give with n pairs: all changes one way. */
export const smallestPairedP = (n: number): number => (n <= 0 ? 1 : 2 ** -n);

/** Fewest rounds with which the paired test can reach α at all (5 for α = 0.05: 1/32). */
export function minimumRounds(alpha: number): number {
  let n = 1;
  while (smallestPairedP(n) > alpha * (1 + 1e-9)) n++;
  return n;
}

/** Rounds up to this many are flipped in every way; beyond, a seeded sample of the flips. */
export const EXACT_FLIP_ROUNDS = 14;
const SAMPLED_FLIPS = 20_000;

/**
 * Family-wise adjusted p-values of several figures measured in the same rounds (Westfall and
 * Young's single-step minP, by sign flips): under no change at all, which side of a round
 * ran which revision does not matter, so every figure of a round changes sign together.
 * A figure's adjusted p is the share of the flips in which the smallest p of any figure is
 * as small as its own. `changes[f][r]`: the change of figure f in round r, oriented so that
 * positive is worse (NaN where the round lacks it).
 */
export function signFlipAdjusted(changes: number[][], seed = 'cats-stress'): number[] {
  const rounds = Math.max(0, ...changes.map((c) => c.length));
  const figures = changes.map((c) => {
    const kept = c.map((v, r) => [v, r] as const).filter(([v]) => Number.isFinite(v) && v !== 0);
    const { ranks } = doubledRanks(kept.map(([v]) => v));
    const counts = signedRankCounts(ranks);
    // tail[s]: P(doubled W+ ≥ s) under the null.
    const tail = new Float64Array(counts.length + 1);
    for (let s = counts.length - 1; s >= 0; s--) tail[s] = tail[s + 1]! + counts[s]! / 2 ** kept.length;
    return { kept, ranks, tail };
  });
  const pUnder = (flipped: boolean[]) =>
    figures.map(({ kept, ranks, tail }) => {
      if (kept.length === 0) return 1;
      let w2 = 0;
      kept.forEach(([v, r], i) => {
        if (flipped[r] ? v < 0 : v > 0) w2 += ranks[i]!;
      });
      return tail[w2]!;
    });
  const observed = pUnder(new Array<boolean>(rounds).fill(false));
  const exact = rounds <= EXACT_FLIP_ROUNDS;
  const total = exact ? 2 ** rounds : SAMPLED_FLIPS;
  const random = seededRandom(seed);
  const hits = new Array<number>(figures.length).fill(0);
  for (let k = 0; k < total; k++) {
    const flipped = Array.from({ length: rounds }, (_, r) => (exact ? ((k >> r) & 1) === 1 : random() < 0.5));
    const minP = Math.min(...pUnder(flipped));
    observed.forEach((p, f) => {
      if (minP <= p * (1 + 1e-9)) hits[f]!++;
    });
  }
  // A sample of the flips counts the observed assignment once more (it is one of them).
  return hits.map((h) => (exact ? h / total : (h + 1) / (total + 1)));
}

/** Share of α the primary figure is tested at; the other figures share the rest ({@link primaryFirst}). */
export const PRIMARY_SHARE = 0.5;

/**
 * Adjusted p-values when one figure is tested ahead of the others (a Bonferroni-based
 * graphical procedure): the primary at `share` × α, the family of the others (its own
 * adjusted p-values, e.g. {@link signFlipAdjusted}) at the remaining α, and at all of α once
 * the primary was found worse. The chance of any false finding stays at most α, and a figure
 * the regression is about is not drowned by a family of figures it barely moves: six rounds,
 * all worse (p = 1/64), reach α = 0.05 for the primary whatever the family's size.
 */
export function primaryFirst(
  primary: number,
  others: number[],
  share = PRIMARY_SHARE,
): { primary: number; others: number[] } {
  const alone = Math.min(1, primary / share);
  return {
    primary: alone,
    // Found at α when q ≤ (1 − share) α, or when the primary was (p / share ≤ α) and q ≤ α.
    others: others.map((q) => Math.min(1, q / (1 - share), Math.max(alone, q))),
  };
}

/**
 * The runs' scatter as pairs see it: the robust standard deviation (1.4826 × median absolute
 * deviation) of the rounds' changes around their median. Load that drifts over the job
 * moves both runs of a round and does not count; what is left is the noise within a round.
 */
export function pairedSpread(changes: number[]): number {
  const c = changes.filter(Number.isFinite);
  if (c.length === 0) return 0;
  const m = median(c);
  return 1.4826 * median(c.map((v) => Math.abs(v - m)));
}

/**
 * How far the median change of the rounds moves by noise alone: its standard error,
 * √(π/2) × {@link pairedSpread} / √n. The minimum effect widens with this, not with the
 * scatter of single rounds: six rounds all worse by +9 … +40 % show a change, however much
 * one round differs from the next.
 */
export function medianChangeNoise(changes: number[]): number {
  const n = changes.filter(Number.isFinite).length;
  return n === 0 ? 0 : (Math.sqrt(Math.PI / 2) * pairedSpread(changes)) / Math.sqrt(n);
}

/** Percentile bootstrap interval of the median change, resampling whole rounds. */
export function pairedInterval(changes: number[], confidence: number, seed = 'cats-stress'): [number, number] {
  const c = changes.filter(Number.isFinite);
  if (c.length === 0) return [NaN, NaN];
  const random = seededRandom(seed);
  const stats: number[] = [];
  for (let i = 0; i < 2000; i++) stats.push(median(c.map(() => c[Math.floor(random() * c.length)]!)));
  stats.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * stats.length)))]!;
  return [at(tail), at(1 - tail)];
}
