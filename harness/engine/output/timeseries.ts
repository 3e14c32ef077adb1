// `--out timeseries=FILE`: the run as 1 s buckets per metric and per tag set that matters
// (scenario, operation, status, rejection code, …), written as compact NDJSON for reports,
// regression checks and capacity planning. Raw samples stay in memory only while their
// second is open, so memory stays flat however long the run.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { builtin, type MetricDefinition, type Sample, type Tags } from '../metrics/metric.ts';
import type { MetricDescription, Output, OutputFactory, OutputParams } from './output.ts';

export const TIMESERIES_VERSION = 1;
export const BUCKET_MS = 1000;
/** Tags kept on a series; every other tag (url, method, vu, testid…) is summed over. */
export const SERIES_TAGS = ['scenario', 'operation', 'status', 'code', 'decision', 'step', 'type'] as const;
/**
 * Tag sets per metric beyond which new ones are summed into series tagged `other`
 * (one per status, so a 5xx is still told apart), so a high-cardinality tag cannot
 * blow up the file.
 */
export const MAX_SERIES_PER_METRIC = 64;
/** Phases of an HTTP request: kept as one line over all requests per second, not per series, to keep the file small. */
export const PHASE_TRENDS = new Set([
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
]);
/** A second is written once samples this much newer have arrived (the engine flushes every second). */
const WATERMARK_MS = 5000;

export type SeriesTags = Partial<Record<(typeof SERIES_TAGS)[number] | 'other', string>>;

interface LineBase {
  /** Bucket start, epoch seconds. */
  t: number;
  m: string;
  /** Series tags; null on a trend's line over all its samples. */
  k: SeriesTags | null;
  /** Samples in the bucket. */
  n: number;
}
export type CounterLine = LineBase & { sum: number };
export type RateLine = LineBase & { pass: number };
export type GaugeLine = LineBase & { last: number; min: number; max: number };
export type TrendLine = LineBase & {
  sum: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** The second's distribution as a log histogram, flat [bucket, count, …], so seconds and series can be merged. */
  h: number[];
};
export type BucketLine = CounterLine | RateLine | GaugeLine | TrendLine;

export interface HeaderLine {
  type: 'timeseries';
  version: number;
  bucketMs: number;
  testId: string;
  tags: readonly string[];
}
export interface MetricLine {
  type: 'metric';
  name: string;
  metricType: MetricDefinition['type'];
  contains: MetricDefinition['contains'];
  thresholds: string[];
}
export interface EndLine {
  type: 'end';
  /** Samples that arrived after their second was written; counted in the oldest open second. */
  late: number;
  /** Samples per metric summed into the `other` series. */
  overflow: Record<string, number>;
}

class Series {
  n = 0;
  sum = 0;
  pass = 0;
  min = Infinity;
  max = -Infinity;
  last = 0;
  lastTime = -Infinity;
  values: number[] = [];
}

/** Exact percentile (k6's interpolation between closest ranks) of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Log-histogram buckets 2 % wide: a percentile merged from them is within 1 % of the exact one. */
const GROWTH = Math.log(1.02);
/** Values at or below this (including negatives) share bucket HISTOGRAM_FLOOR_BUCKET. */
const FLOOR = 0.001;
const HISTOGRAM_FLOOR_BUCKET = Math.floor(Math.log(FLOOR) / GROWTH);
const bucketOf = (v: number) => (v <= FLOOR ? HISTOGRAM_FLOOR_BUCKET : Math.floor(Math.log(v) / GROWTH));
/** A bucket's representative value: its geometric middle. */
const valueOf = (b: number) => (b <= HISTOGRAM_FLOOR_BUCKET ? 0 : Math.exp((b + 0.5) * GROWTH));

export function histogramOf(values: ArrayLike<number>): number[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const b = bucketOf(values[i]!);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]).flat();
}

/** Adds flat histograms into one bucket → count map. */
export function mergeHistograms(into: Map<number, number>, flat: readonly number[]): Map<number, number> {
  for (let i = 0; i < flat.length; i += 2) into.set(flat[i]!, (into.get(flat[i]!) ?? 0) + flat[i + 1]!);
  return into;
}

/** Percentile (0–100) of a merged histogram; NaN when empty. */
export function histogramPercentile(counts: Map<number, number>, p: number): number {
  const buckets = [...counts].sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((a, [, c]) => a + c, 0);
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [b, c] of buckets) if ((seen += c) >= rank) return valueOf(b);
  return valueOf(buckets[buckets.length - 1]![0]);
}

/** Groups samples into 1 s buckets per metric and series; emits finished buckets as lines. */
export class TimeBuckets {
  readonly #describe: (name: string) => MetricDefinition | undefined;
  readonly #buckets = new Map<number, Map<string, Map<string, Series>>>();
  readonly #seriesKeys = new Map<string, Map<string, SeriesTags>>();
  readonly #keyCache = new WeakMap<Tags, string>();
  readonly #seen = new Set<string>();
  #written = -Infinity;
  #newest = -Infinity;
  late = 0;
  readonly overflow: Record<string, number> = {};

  constructor(describe: (name: string) => MetricDefinition | undefined) {
    this.#describe = describe;
  }

  /** Adds samples; returns metric lines for metrics seen for the first time. */
  add(samples: Sample[]): MetricDescription[] {
    const fresh: MetricDescription[] = [];
    for (const s of samples) {
      if (!this.#seen.has(s.metric)) {
        this.#seen.add(s.metric);
        fresh.push(this.#describe(s.metric) ?? { name: s.metric, type: 'trend', contains: 'default' });
      }
      let t = Math.floor(s.time / BUCKET_MS);
      if (t <= this.#written) {
        this.late++;
        t = this.#written + 1;
      }
      if (s.time > this.#newest) this.#newest = s.time;
      let bucket = this.#buckets.get(t);
      if (!bucket) this.#buckets.set(t, (bucket = new Map()));
      let perMetric = bucket.get(s.metric);
      if (!perMetric) bucket.set(s.metric, (perMetric = new Map()));
      const key = this.#seriesKey(s.metric, s.tags);
      let series = perMetric.get(key);
      if (!series) perMetric.set(key, (series = new Series()));
      const type = this.#describe(s.metric)?.type ?? 'trend';
      series.n++;
      if (type === 'rate') {
        if (s.value !== 0) series.pass++;
        continue;
      }
      series.sum += s.value;
      if (s.value < series.min) series.min = s.value;
      if (s.value > series.max) series.max = s.value;
      if (type === 'gauge') {
        if (s.time >= series.lastTime) {
          series.last = s.value;
          series.lastTime = s.time;
        }
      } else if (type === 'trend') series.values.push(s.value);
    }
    return fresh;
  }

  /** Lines of the seconds that can no longer change (all of them when `all`). */
  drain(all = false): BucketLine[] {
    const limit = all ? Infinity : Math.floor((this.#newest - WATERMARK_MS) / BUCKET_MS);
    const ready = [...this.#buckets.keys()].filter((t) => t <= limit).sort((a, b) => a - b);
    const lines: BucketLine[] = [];
    for (const t of ready) {
      for (const [metric, perSeries] of this.#buckets.get(t)!) lines.push(...this.#lines(t, metric, perSeries));
      this.#buckets.delete(t);
      this.#written = Math.max(this.#written, t);
    }
    return lines;
  }

  #lines(t: number, metric: string, perSeries: Map<string, Series>): BucketLine[] {
    const type = this.#describe(metric)?.type ?? 'trend';
    const keys = this.#seriesKeys.get(metric)!;
    const out: BucketLine[] = [];
    const all: number[] = [];
    for (const [key, s] of perSeries) {
      const k = keys.get(key)!;
      if (type === 'counter') out.push({ t, m: metric, k, n: s.n, sum: round(s.sum) });
      else if (type === 'rate') out.push({ t, m: metric, k, n: s.n, pass: s.pass });
      else if (type === 'gauge') out.push({ t, m: metric, k, n: s.n, last: s.last, min: s.min, max: s.max });
      else {
        if (!PHASE_TRENDS.has(metric)) out.push(trendLine(t, metric, k, s.values));
        for (const v of s.values) all.push(v);
      }
    }
    // Percentiles do not add up across series: a trend also gets a line over all its samples.
    if (type === 'trend') out.unshift(trendLine(t, metric, null, all));
    return out;
  }

  #seriesKey(metric: string, tags: Tags): string {
    let known = this.#seriesKeys.get(metric);
    if (!known) this.#seriesKeys.set(metric, (known = new Map()));
    let key = this.#keyCache.get(tags);
    if (key === undefined) {
      key = SERIES_TAGS.map((t) => tags[t] ?? '').join('\u0000');
      if (Object.isFrozen(tags)) this.#keyCache.set(tags, key);
    }
    if (known.has(key)) return key;
    if (known.size >= MAX_SERIES_PER_METRIC) {
      this.overflow[metric] = (this.overflow[metric] ?? 0) + 1;
      const status = tags.status || undefined;
      const other = `other\u0000${status ?? ''}`;
      if (!known.has(other)) known.set(other, status ? { other: 'true', status } : { other: 'true' });
      return other;
    }
    const picked: SeriesTags = {};
    for (const t of SERIES_TAGS) if (tags[t] !== undefined && tags[t] !== '') picked[t] = tags[t];
    known.set(key, picked);
    return key;
  }
}

function trendLine(t: number, m: string, k: SeriesTags | null, values: number[]): TrendLine {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    t,
    m,
    k,
    n: sorted.length,
    sum: round(sum),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    h: histogramOf(sorted),
  };
}

const builtins = new Map<string, MetricDefinition>(Object.values(builtin).map((m) => [m.name, m]));

class TimeseriesOutput implements Output {
  readonly description: string;
  readonly #file: string;
  readonly #testId: string;
  readonly #describe: (name: string) => MetricDescription | undefined;
  readonly #buckets: TimeBuckets;
  #out: WriteStream | undefined;
  #error: Error | undefined;

  constructor(params: OutputParams) {
    if (!params.arg)
      throw new Error('--out timeseries=FILE: a file name is required (e.g. results/run/timeseries.ndjson)');
    this.#file = params.arg;
    this.#testId = params.testId;
    this.description = `timeseries (${this.#file})`;
    const lookup = params.metrics;
    this.#describe = (name) => lookup?.(name) ?? builtins.get(name);
    this.#buckets = new TimeBuckets(this.#describe);
  }

  async start(): Promise<void> {
    await mkdir(path.dirname(path.resolve(this.#file)), { recursive: true });
    const out = createWriteStream(this.#file);
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', (err) => reject(new Error(`timeseries output: cannot write ${this.#file}: ${err.message}`)));
    });
    out.on('error', (err) => (this.#error ??= err));
    this.#out = out;
    const header: HeaderLine = {
      type: 'timeseries',
      version: TIMESERIES_VERSION,
      bucketMs: BUCKET_MS,
      testId: this.#testId,
      tags: SERIES_TAGS,
    };
    out.write(`${JSON.stringify(header)}\n`);
  }

  addSamples(samples: Sample[]): void {
    if (!this.#out) return;
    const fresh = this.#buckets.add(samples);
    this.#write(fresh, this.#buckets.drain());
  }

  async stop(): Promise<void> {
    const out = this.#out;
    if (!out) return;
    this.#write([], this.#buckets.drain(true));
    const end: EndLine = { type: 'end', late: this.#buckets.late, overflow: this.#buckets.overflow };
    out.end(`${JSON.stringify(end)}\n`);
    this.#out = undefined;
    await finished(out);
    if (this.#error) throw new Error(`timeseries output: writing ${this.#file} failed: ${this.#error.message}`);
  }

  #write(metrics: MetricDescription[], lines: BucketLine[]): void {
    let text = '';
    for (const d of metrics) {
      const line: MetricLine = {
        type: 'metric',
        name: d.name,
        metricType: d.type,
        contains: d.contains,
        thresholds: d.thresholds ?? [],
      };
      text += `${JSON.stringify(line)}\n`;
    }
    for (const l of lines) text += `${JSON.stringify(l)}\n`;
    if (text) this.#out!.write(text);
  }
}

export const create: OutputFactory = (params) => new TimeseriesOutput(params);
