// Queries over a run's time series: per-second values of one metric, summed or picked
// by series tags, as points for charts, capacity and comparison.
import {
  histogramPercentile,
  mergeHistograms,
  type BucketLine,
  type CounterLine,
  type GaugeLine,
  type RateLine,
  type SeriesTags,
  type TrendLine,
} from '../engine/output/timeseries.ts';
import type { Timeseries } from './run-folder.ts';

export type Point = [t: number, v: number];
type Filter = (k: SeriesTags) => boolean;

const byMetric = new WeakMap<Timeseries, Map<string, BucketLine[]>>();
function linesOf(ts: Timeseries, metric: string): BucketLine[] {
  let index = byMetric.get(ts);
  if (!index) {
    index = new Map();
    for (const l of ts.lines) {
      let list = index.get(l.m);
      if (!list) index.set(l.m, (list = []));
      list.push(l);
    }
    byMetric.set(ts, index);
  }
  return index.get(metric) ?? [];
}

export function hasMetric(ts: Timeseries | undefined, metric: string): boolean {
  return !!ts && linesOf(ts, metric).length > 0;
}

/** First and last second of the run. */
export function span(ts: Timeseries): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of ts.lines) {
    if (l.t < lo) lo = l.t;
    if (l.t > hi) hi = l.t;
  }
  return [lo, hi];
}

/** Every second from the first to the last, so idle seconds show as 0 rather than a gap. */
function dense(ts: Timeseries, sums: Map<number, number>): Point[] {
  const [lo, hi] = span(ts);
  const out: Point[] = [];
  for (let t = lo; t <= hi; t++) out.push([t, sums.get(t) ?? 0]);
  return out;
}

/** Counter: sum of values per second (a rate per second). */
export function counterPerSecond(ts: Timeseries, metric: string, filter: Filter = () => true): Point[] {
  const sums = new Map<number, number>();
  for (const l of linesOf(ts, metric) as CounterLine[])
    if (l.k && filter(l.k)) sums.set(l.t, (sums.get(l.t) ?? 0) + l.sum);
  return dense(ts, sums);
}

/** Counter totals per value of one tag. */
export function counterTotalsBy(
  ts: Timeseries,
  metric: string,
  tag: keyof SeriesTags,
  filter: Filter = () => true,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of linesOf(ts, metric) as CounterLine[]) {
    if (!l.k || !filter(l.k)) continue;
    const v = l.k[tag] ?? '';
    out.set(v, (out.get(v) ?? 0) + l.sum);
  }
  return out;
}

/** Counter per second for each value of one tag. */
export function counterPerSecondBy(
  ts: Timeseries,
  metric: string,
  tag: keyof SeriesTags,
  filter: Filter = () => true,
): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const value of counterTotalsBy(ts, metric, tag, filter).keys())
    out.set(
      value,
      counterPerSecond(ts, metric, (k) => filter(k) && (k[tag] ?? '') === value),
    );
  return out;
}

/** Rate: non-zero samples per second for each value of one tag (failed requests by status, say). */
export function ratePassesPerSecondBy(ts: Timeseries, metric: string, tag: keyof SeriesTags): Map<string, Point[]> {
  const per = new Map<string, Map<number, number>>();
  for (const l of linesOf(ts, metric) as RateLine[]) {
    if (!l.k || l.pass === 0) continue;
    const value = l.k[tag] ?? '';
    const sums = per.get(value) ?? new Map<number, number>();
    sums.set(l.t, (sums.get(l.t) ?? 0) + l.pass);
    per.set(value, sums);
  }
  return new Map([...per].map(([value, sums]) => [value, dense(ts, sums)]));
}

/** Rate: non-zero samples per second (failed requests, for http_req_failed). */
export function ratePasses(ts: Timeseries, metric: string, filter: Filter = () => true): Point[] {
  const sums = new Map<number, number>();
  for (const l of linesOf(ts, metric) as RateLine[])
    if (l.k && filter(l.k)) sums.set(l.t, (sums.get(l.t) ?? 0) + l.pass);
  return dense(ts, sums);
}

/** Rate: share of non-zero samples per second (NaN where there were none). */
export function rateShare(ts: Timeseries, metric: string, filter: Filter = () => true): Point[] {
  const acc = new Map<number, [number, number]>();
  for (const l of linesOf(ts, metric) as RateLine[]) {
    if (!l.k || !filter(l.k)) continue;
    const a = acc.get(l.t) ?? [0, 0];
    a[0] += l.pass;
    a[1] += l.n;
    acc.set(l.t, a);
  }
  return [...acc].sort((a, b) => a[0] - b[0]).map(([t, [p, n]]) => [t, n ? p / n : NaN]);
}

/** Gauge: the last value of each second, summed over series (VUs of several scenarios) or the highest of them (a level every worker reports). */
export function gaugeLast(ts: Timeseries, metric: string, combine: 'sum' | 'max' = 'sum'): Point[] {
  const sums = new Map<number, number>();
  for (const l of linesOf(ts, metric) as GaugeLine[]) {
    const prev = sums.get(l.t);
    sums.set(l.t, prev === undefined ? l.last : combine === 'sum' ? prev + l.last : Math.max(prev, l.last));
  }
  return [...sums].sort((a, b) => a[0] - b[0]);
}

export type TrendStat = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'min' | 'n';

/**
 * Trend statistic per second: over all samples (no filter) or over the series whose tags
 * match, merged through their histograms.
 */
export function trendStat(ts: Timeseries, metric: string, stat: TrendStat, filter?: Filter): Point[] {
  const out: Point[] = [];
  for (const [t, lines] of trendLinesBySecond(ts, metric, filter)) out.push([t, statOf(lines, stat)]);
  return out;
}

/** A trend statistic over the seconds [from, to] (epoch seconds), e.g. a window's p95. */
export function trendOver(
  ts: Timeseries,
  metric: string,
  stat: TrendStat,
  from: number,
  to: number,
  filter?: Filter,
): number {
  const lines: TrendLine[] = [];
  for (const [t, perSecond] of trendLinesBySecond(ts, metric, filter))
    if (t >= from && t <= to) lines.push(...perSecond);
  return lines.length ? statOf(lines, stat) : NaN;
}

function trendLinesBySecond(ts: Timeseries, metric: string, filter?: Filter): Array<[number, TrendLine[]]> {
  const byT = new Map<number, TrendLine[]>();
  for (const l of linesOf(ts, metric) as TrendLine[]) {
    if (filter ? !l.k || !filter(l.k) : l.k !== null) continue;
    let list = byT.get(l.t);
    if (!list) byT.set(l.t, (list = []));
    list.push(l);
  }
  return [...byT].sort((a, b) => a[0] - b[0]);
}

const PERCENT: Record<string, number> = { p50: 50, p90: 90, p95: 95, p99: 99 };

function statOf(lines: TrendLine[], stat: TrendStat): number {
  if (stat === 'n') return lines.reduce((a, l) => a + l.n, 0);
  if (stat === 'max') return Math.max(...lines.map((l) => l.max));
  if (stat === 'min') return Math.min(...lines.map((l) => l.min));
  // One line: its exact percentile; several: merged from their histograms.
  if (lines.length === 1) return lines[0]![stat];
  // Files written before lines carried histograms: the worst of the lines, an upper bound.
  if (lines.some((l) => !l.h)) return Math.max(...lines.map((l) => l[stat]));
  const merged = new Map<number, number>();
  for (const l of lines) mergeHistograms(merged, l.h);
  return histogramPercentile(merged, PERCENT[stat]!);
}

/** Values of one tag present on a metric. */
export function tagValues(ts: Timeseries, metric: string, tag: keyof SeriesTags): string[] {
  const set = new Set<string>();
  for (const l of linesOf(ts, metric)) if (l.k?.[tag] !== undefined) set.add(l.k[tag]!);
  return [...set].sort();
}
