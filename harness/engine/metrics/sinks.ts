// Aggregates of one metric (or sub-metric), k6's four sink kinds. Each sink can
// export its state since the last reset (a worker's delta) and merge such a
// delta, so aggregates from several worker threads combine exactly.
import { Float64Histogram } from 'hdr-histogram-js';
import type { MetricType } from './metric.ts';

/**
 * Trend precision: values are recorded at a resolution of 0.001 (1 µs for time
 * trends, which are in milliseconds) with 3 significant digits, so any
 * percentile is within 0.05 % (half a bucket) of the value k6 computes from the
 * same samples. count, sum, avg, min and max are exact.
 */
export const TREND_SCALE = 1000;
export const TREND_SIGNIFICANT_DIGITS = 3;

export type SinkState =
  | { type: 'counter'; sum: number }
  | { type: 'gauge'; value: number; time: number; min: number; max: number }
  | { type: 'rate'; passes: number; total: number }
  | { type: 'trend'; count: number; sum: number; min: number; max: number; positive: number[]; negative: number[] };

export interface Sink {
  add(value: number, time: number): void;
  /** State since the last reset; undefined when nothing was recorded. */
  state(): SinkState | undefined;
  merge(state: SinkState): void;
  reset(): void;
}

export class CounterSink implements Sink {
  sum = 0;
  private touched = false;
  add(value: number): void {
    this.sum += value;
    this.touched = true;
  }
  state(): SinkState | undefined {
    return this.touched ? { type: 'counter', sum: this.sum } : undefined;
  }
  merge(s: SinkState): void {
    if (s.type === 'counter') this.add(s.sum);
  }
  reset(): void {
    this.sum = 0;
    this.touched = false;
  }
}

export class GaugeSink implements Sink {
  value = 0;
  time = -Infinity;
  min = Infinity;
  max = -Infinity;
  add(value: number, time: number): void {
    if (time >= this.time) {
      this.value = value;
      this.time = time;
    }
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
  state(): SinkState | undefined {
    return this.time === -Infinity
      ? undefined
      : { type: 'gauge', value: this.value, time: this.time, min: this.min, max: this.max };
  }
  merge(s: SinkState): void {
    if (s.type !== 'gauge') return;
    this.add(s.value, s.time);
    if (s.min < this.min) this.min = s.min;
    if (s.max > this.max) this.max = s.max;
  }
  reset(): void {
    this.value = 0;
    this.time = -Infinity;
    this.min = Infinity;
    this.max = -Infinity;
  }
}

export class RateSink implements Sink {
  passes = 0;
  total = 0;
  add(value: number): void {
    this.total++;
    if (value !== 0) this.passes++;
  }
  state(): SinkState | undefined {
    return this.total ? { type: 'rate', passes: this.passes, total: this.total } : undefined;
  }
  merge(s: SinkState): void {
    if (s.type !== 'rate') return;
    this.passes += s.passes;
    this.total += s.total;
  }
  reset(): void {
    this.passes = this.total = 0;
  }
}

function newHistogram(): Float64Histogram {
  const h = new Float64Histogram(1, 60_000 * TREND_SCALE, TREND_SIGNIFICANT_DIGITS);
  h.autoResize = true;
  return h;
}

/** Non-empty buckets as flat [index, count, index, count, …]; indexes depend only on the precision. */
function buckets(h: Float64Histogram | undefined): number[] {
  const out: number[] = [];
  if (!h || h.totalCount === 0) return out;
  const last = Math.min(h.countsArrayLength - 1, h.countsArrayIndex(h.maxValue));
  for (let i = 0; i <= last; i++) {
    const c = h.getCountAtIndex(i);
    if (c) out.push(i, c);
  }
  return out;
}

function addBuckets(h: Float64Histogram, flat: number[]): void {
  for (let i = 0; i < flat.length; i += 2) h.recordValueWithCount(h.valueFromIndex(flat[i]), flat[i + 1]);
}

/** Trend: exact count/sum/min/max, HdrHistogram for percentiles (flat memory however long the run). */
export class TrendSink implements Sink {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private positive: Float64Histogram | undefined;
  private negative: Float64Histogram | undefined;

  add(value: number): void {
    if (!(value === value)) return;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value >= 0) (this.positive ??= newHistogram()).recordValue(Math.round(value * TREND_SCALE));
    else (this.negative ??= newHistogram()).recordValue(Math.round(-value * TREND_SCALE));
  }

  get avg(): number {
    return this.count ? this.sum / this.count : 0;
  }

  /**
   * k6's percentile (metrics/sink.go TrendSink.P): sort, i = p·(n−1), interpolate
   * between the values at floor(i) and ceil(i). Ranks are resolved in the
   * histogram to the bucket's median-equivalent value, clamped to [min, max].
   */
  percentiles(ps: number[]): number[] {
    const n = this.count;
    if (n === 0) return ps.map(() => 0);
    if (n === 1) return ps.map(() => this.min);
    const wanted = new Set<number>();
    for (const p of ps) {
      const i = Math.min(1, Math.max(0, p)) * (n - 1);
      wanted.add(Math.floor(i)).add(Math.ceil(i));
    }
    const ranks = [...wanted].sort((a, b) => a - b);
    const at = this.valuesAtRanks(ranks);
    return ps.map((p) => {
      const i = Math.min(1, Math.max(0, p)) * (n - 1);
      const lo = at.get(Math.floor(i))!;
      const hi = at.get(Math.ceil(i))!;
      return lo + (hi - lo) * (i - Math.floor(i));
    });
  }

  private valuesAtRanks(ranks: number[]): Map<number, number> {
    const out = new Map<number, number>();
    let r = 0;
    let seen = 0;
    const visit = (h: Float64Histogram, sign: 1 | -1, indexes: Iterable<number>): void => {
      for (const i of indexes) {
        const c = h.getCountAtIndex(i);
        if (!c) continue;
        seen += c;
        while (r < ranks.length && ranks[r] < seen) {
          const rank = ranks[r++];
          const v =
            rank === 0
              ? this.min
              : rank === this.count - 1
                ? this.max
                : (sign * h.medianEquivalentValue(h.valueFromIndex(i))) / TREND_SCALE;
          out.set(rank, Math.min(this.max, Math.max(this.min, v)));
        }
        if (r === ranks.length) return;
      }
    };
    if (this.negative) visit(this.negative, -1, descending(this.negative.countsArrayLength));
    if (this.positive && r < ranks.length) visit(this.positive, 1, ascending(this.positive.countsArrayLength));
    return out;
  }

  state(): SinkState | undefined {
    if (!this.count) return undefined;
    return {
      type: 'trend',
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max,
      positive: buckets(this.positive),
      negative: buckets(this.negative),
    };
  }

  merge(s: SinkState): void {
    if (s.type !== 'trend' || !s.count) return;
    this.count += s.count;
    this.sum += s.sum;
    if (s.min < this.min) this.min = s.min;
    if (s.max > this.max) this.max = s.max;
    if (s.positive.length) addBuckets((this.positive ??= newHistogram()), s.positive);
    if (s.negative.length) addBuckets((this.negative ??= newHistogram()), s.negative);
  }

  reset(): void {
    this.count = this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.positive?.reset();
    this.negative?.reset();
  }
}

function* ascending(n: number): Iterable<number> {
  for (let i = 0; i < n; i++) yield i;
}
function* descending(n: number): Iterable<number> {
  for (let i = n - 1; i >= 0; i--) yield i;
}

export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}
