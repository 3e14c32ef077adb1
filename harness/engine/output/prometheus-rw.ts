// `--out experimental-prometheus-rw`: k6's Prometheus remote write output
// (internal/output/prometheusrw/remotewrite), configured by the same K6_PROMETHEUS_RW_* variables and
// writing the same series, so dashboards built for k6 (Grafana 19665, 18030) work on this engine's runs:
//   Counter → k6_<name>_total (cumulative)      Gauge → k6_<name> (last value)
//   Rate    → k6_<name>_rate (cumulative ratio)  Trend → k6_<name>_<stat> gauges (p99, avg, …; time in seconds)
//   Trend as native histogram → k6_<name>_seconds / _bytes (schema 3, bucket factor ≈ 1.09)
// Every tag is a label except vu, iter and mrn; the run's testid is added when the tags lack one.
// Trend stats are cumulative since the start per label set, as in k6, but come from an HdrHistogram
// (3 significant digits) instead of every sample, so memory stays flat on long runs. Unlike k6 (issue
// #4582), `_count` is a plain count, not divided by 1000 for time metrics.
import { build, type Histogram } from 'hdr-histogram-js';
import { compress as snappyCompress } from 'snappyjs';
import { Agent } from 'undici';
import { parseDuration } from '../options/duration.ts';
import {
  builtin,
  type MetricDefinition,
  type MetricType,
  type Sample,
  type Tags,
  type ValueType,
} from '../metrics/metric.ts';
import type { MetricDescription, Output, OutputFactory, OutputParams } from './output.ts';
import { encodeWriteRequest, type Label, type NativeHistogram, type TimeSeries } from './remote-write/proto.ts';

// ------------------------------------------------------------------------------------------- config

export interface RemoteWriteConfig {
  serverUrl: string;
  pushIntervalMs: number;
  trendStats: string[];
  nativeHistograms: boolean;
  staleMarkers: boolean;
  insecureSkipTLSVerify: boolean;
  headers: Record<string, string>;
}

const DEFAULT_URL = 'http://localhost:9090/api/v1/write';
const DEFAULT_PUSH_MS = 5_000;
const PUSH_TIMEOUT_MS = 5_000;

function parseBool(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0' || v === '') return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function pushInterval(value: string): number {
  const ms = parseDuration(value, 'K6_PROMETHEUS_RW_PUSH_INTERVAL');
  if (ms <= 0) throw new Error(`K6_PROMETHEUS_RW_PUSH_INTERVAL must be longer than 0, got ${JSON.stringify(value)}`);
  return ms;
}

const STAT = /^(count|sum|min|max|avg|med|p\((\d+(?:\.\d+)?)\))$/;

/** Reads k6's K6_PROMETHEUS_RW_* variables (and K6_FEATURES=native-histograms); throws on malformed values. */
export function remoteWriteConfig(env: Record<string, string | undefined>): RemoteWriteConfig {
  const get = (k: string) => env[`K6_PROMETHEUS_RW_${k}`];
  const serverUrl = get('SERVER_URL') || DEFAULT_URL;
  try {
    const u = new URL(serverUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new Error(`K6_PROMETHEUS_RW_SERVER_URL must be an http(s) URL, got ${JSON.stringify(serverUrl)}`);
  }
  const interval = get('PUSH_INTERVAL');
  const trendStats = (get('TREND_STATS') ?? 'p(99)')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of trendStats) {
    const m = STAT.exec(s);
    if (!m || (m[2] !== undefined && Number(m[2]) > 100))
      throw new Error(
        `K6_PROMETHEUS_RW_TREND_STATS: unsupported stat ${JSON.stringify(s)} (use count, sum, min, max, avg, med or p(N))`,
      );
  }
  if (trendStats.length === 0) throw new Error('K6_PROMETHEUS_RW_TREND_STATS must name at least one stat');
  const features = (env.K6_FEATURES ?? '').split(',').map((s) => s.trim());
  const nativeVar = get('TREND_AS_NATIVE_HISTOGRAM');
  const nativeHistograms =
    features.includes('native-histograms') ||
    (nativeVar !== undefined && parseBool('K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', nativeVar));
  const staleVar = get('STALE_MARKERS');
  const insecureVar = get('INSECURE_SKIP_TLS_VERIFY');

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (k.startsWith('K6_PROMETHEUS_RW_HEADERS_') && v !== undefined) headers[k.slice(25)] = v;
  const httpHeaders = get('HTTP_HEADERS');
  if (httpHeaders !== undefined) {
    for (const pair of httpHeaders.split(',')) {
      const parts = pair.split(':');
      if (parts.length !== 2)
        throw new Error(`K6_PROMETHEUS_RW_HTTP_HEADERS: ${JSON.stringify(pair)} is not <header key>:<value>`);
      headers[parts[0]] = parts[1];
    }
  }
  const user = get('USERNAME');
  if (user !== undefined)
    headers.Authorization = `Basic ${Buffer.from(`${user}:${get('PASSWORD') ?? ''}`).toString('base64')}`;
  const token = get('BEARER_TOKEN');
  if (token) headers.Authorization = `Bearer ${token}`;

  return {
    serverUrl,
    pushIntervalMs: interval ? pushInterval(interval) : DEFAULT_PUSH_MS,
    trendStats,
    nativeHistograms,
    staleMarkers: staleVar !== undefined && parseBool('K6_PROMETHEUS_RW_STALE_MARKERS', staleVar),
    insecureSkipTLSVerify:
      insecureVar !== undefined && parseBool('K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY', insecureVar),
    headers,
  };
}

/** 'p(99)' → 'p99', 'p(99.9)' → 'p999', as k6 names the stat series. */
export function statSuffix(stat: string): string {
  return stat.startsWith('p(') ? `p${stat.slice(2, -1).replace(/\./g, '')}` : stat;
}

// ------------------------------------------------------------------------------------------- series

const SCALE = 1000; // HdrHistogram records integers: thousandths of the metric's unit (µs for time)

class TrendStats {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly hdr: Histogram = build({ numberOfSignificantValueDigits: 3 });

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    // Negative values (possible in custom trends) count in min/avg but not in percentiles.
    this.hdr.recordValue(v > 0 ? Math.round(v * SCALE) : 0);
  }

  stat(stat: string): number {
    switch (stat) {
      case 'count':
        return this.count;
      case 'sum':
        return this.sum;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'avg':
        return this.sum / this.count;
      case 'med':
        return this.percentile(50);
      default:
        return this.percentile(Number(stat.slice(2, -1)));
    }
  }

  percentile(p: number): number {
    if (p >= 100) return this.max;
    if (p <= 0) return this.min;
    return Math.min(this.max, Math.max(this.min, this.hdr.getValueAtPercentile(p) / SCALE));
  }
}

const SCHEMA = 3; // 2^(2^-3) ≈ 1.0905: the schema Prometheus' client picks for k6's bucket factor 1.1
const ZERO_THRESHOLD = 2.938735877055719e-39; // client_golang's default (2^-128)

class NativeHistogramSink {
  count = 0;
  sum = 0;
  zeroCount = 0;
  readonly buckets = new Map<number, number>();

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (Math.abs(v) <= ZERO_THRESHOLD || v < 0) {
      this.zeroCount++;
      return;
    }
    // Bucket i holds (base^(i-1), base^i].
    const key = Math.ceil(Math.log2(v) * 2 ** SCHEMA);
    this.buckets.set(key, (this.buckets.get(key) ?? 0) + 1);
  }

  encode(timestamp: number): NativeHistogram {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    const spans: Array<{ offset: number; length: number }> = [];
    const deltas: number[] = [];
    let previousKey = 0;
    let previousCount = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const count = this.buckets.get(key) ?? 0;
      if (i === 0) spans.push({ offset: key, length: 1 });
      else if (key === previousKey + 1) spans[spans.length - 1].length++;
      else spans.push({ offset: key - previousKey - 1, length: 1 });
      deltas.push(count - previousCount);
      previousKey = key;
      previousCount = count;
    }
    return {
      count: this.count,
      sum: this.sum,
      schema: SCHEMA,
      zeroThreshold: ZERO_THRESHOLD,
      zeroCount: this.zeroCount,
      positiveSpans: spans,
      positiveDeltas: deltas,
      timestamp,
    };
  }
}

interface Series {
  type: MetricType;
  contains: ValueType;
  /** Labels without __name__, sorted. */
  labels: Label[];
  base: string;
  value: number;
  rateTrue: number;
  trend: TrendStats | undefined;
  histogram: NativeHistogramSink | undefined;
  latest: number;
  sent: number;
}

interface LabelSet {
  labels: Label[];
  byMetric: Map<string, Series>;
}

// `mrn` (the acknowledgement journal's tag) is one series per movement: never a label.
const NOT_LABELS = new Set(['vu', 'iter', 'mrn']);

function labelName(name: string): string {
  // Prometheus rejects a whole write request over one invalid label name.
  const clean = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

function withName(labels: Label[], name: string): Label[] {
  const out: Label[] = [];
  let placed = false;
  for (const l of labels) {
    if (!placed && l.name > '__name__') {
      out.push({ name: '__name__', value: name });
      placed = true;
    }
    out.push(l);
  }
  if (!placed) out.push({ name: '__name__', value: name });
  return out;
}

// ------------------------------------------------------------------------------------------- output

const builtins = new Map<string, MetricDefinition>(Object.values(builtin).map((m) => [m.name, m]));

class PrometheusRemoteWrite implements Output {
  readonly description: string;
  readonly config: RemoteWriteConfig;
  readonly #testId: string;
  readonly #path: string;
  readonly #describe: (name: string) => MetricDescription | undefined;
  readonly #byTags = new WeakMap<Tags, LabelSet>();
  readonly #byKey = new Map<string, LabelSet>();
  readonly #all: Series[] = [];
  #timer: NodeJS.Timeout | undefined;
  #agent: Agent | undefined;
  #pushing: Promise<void> = Promise.resolve();
  #lastError = '';
  /** Write requests the server accepted and refused, for the end-of-run report. */
  readonly stats = { pushes: 0, failures: 0 };

  constructor(params: OutputParams) {
    this.config = remoteWriteConfig(params.env);
    this.description = `Prometheus remote write (${this.config.serverUrl})`;
    const u = new URL(this.config.serverUrl);
    this.#path = u.pathname + u.search;
    this.#testId = params.testId;
    const lookup = params.metrics;
    this.#describe = (name) => lookup?.(name) ?? builtins.get(name);
  }

  async start(): Promise<void> {
    this.#agent = new Agent({ connect: { rejectUnauthorized: !this.config.insecureSkipTLSVerify } });
    this.#timer = setInterval(() => this.#push(), this.config.pushIntervalMs);
    this.#timer.unref();
  }

  addSamples(samples: Sample[]): void {
    for (const s of samples) {
      const series = this.#series(s.metric, s.tags);
      if (!series) continue;
      const t = Math.trunc(s.time);
      if (t > series.latest) series.latest = t;
      switch (series.type) {
        case 'counter':
          series.value += s.value;
          break;
        case 'gauge':
          series.value = s.value;
          break;
        case 'rate':
          series.value++;
          if (s.value !== 0) series.rateTrue++;
          break;
        case 'trend':
          if (series.histogram) series.histogram.add(series.contains === 'time' ? s.value / 1000 : s.value);
          else series.trend?.add(s.value);
          break;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#push();
    await this.#pushing;
    if (this.config.staleMarkers) {
      const at = Date.now() + 1;
      const stale = this.#all
        .flatMap((s) => this.#timeSeries(s, at))
        .map((ts) => ({
          labels: ts.labels,
          samples: [{ value: 0, timestamp: at, stale: true }],
        }));
      if (stale.length > 0) await this.#send(stale);
    }
    await this.#agent?.close();
    this.#agent = undefined;
    if (this.stats.failures > 0)
      process.stderr.write(
        `prometheus-rw: ${this.stats.failures} of ${this.stats.pushes} pushes failed (last: ${this.#lastError})\n`,
      );
  }

  #series(metric: string, tags: Tags): Series | undefined {
    let set = this.#byTags.get(tags);
    if (!set) {
      const labels: Label[] = [];
      let hasTestId = false;
      for (const k of Object.keys(tags)) {
        const v = tags[k];
        if (NOT_LABELS.has(k) || v === '' || v === undefined) continue;
        if (k === 'testid') hasTestId = true;
        labels.push({ name: labelName(k), value: String(v) });
      }
      if (!hasTestId && this.#testId) labels.push({ name: 'testid', value: this.#testId });
      labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const key = labels.map((l) => `${l.name}\u0000${l.value}`).join('\u0001');
      set = this.#byKey.get(key);
      if (!set) this.#byKey.set(key, (set = { labels, byMetric: new Map() }));
      if (Object.isFrozen(tags)) this.#byTags.set(tags, set);
    }
    let series = set.byMetric.get(metric);
    if (!series) {
      const d = this.#describe(metric);
      if (!d) return undefined;
      const trend = d.type === 'trend';
      series = {
        type: d.type,
        contains: d.contains,
        labels: set.labels,
        base: `k6_${metric}`,
        value: 0,
        rateTrue: 0,
        trend: trend && !this.config.nativeHistograms ? new TrendStats() : undefined,
        histogram: trend && this.config.nativeHistograms ? new NativeHistogramSink() : undefined,
        latest: 0,
        sent: 0,
      };
      set.byMetric.set(metric, series);
      this.#all.push(series);
    }
    return series;
  }

  #timeSeries(s: Series, timestamp: number): TimeSeries[] {
    switch (s.type) {
      case 'counter':
        return [{ labels: withName(s.labels, `${s.base}_total`), samples: [{ value: s.value, timestamp }] }];
      case 'gauge':
        return [{ labels: withName(s.labels, s.base), samples: [{ value: s.value, timestamp }] }];
      case 'rate':
        return [
          {
            labels: withName(s.labels, `${s.base}_rate`),
            samples: [{ value: s.value === 0 ? 0 : s.rateTrue / s.value, timestamp }],
          },
        ];
      case 'trend': {
        if (s.histogram) {
          const unit = s.contains === 'time' ? '_seconds' : s.contains === 'data' ? '_bytes' : '';
          return [{ labels: withName(s.labels, `${s.base}${unit}`), histograms: [s.histogram.encode(timestamp)] }];
        }
        const trend = s.trend;
        if (!trend || trend.count === 0) return [];
        // Time trends are kept in milliseconds and written in seconds, as k6 does.
        const unit = s.contains === 'time' ? 1000 : 1;
        return this.config.trendStats.map((stat) => ({
          labels: withName(s.labels, `${s.base}_${statSuffix(stat)}`),
          samples: [{ value: stat === 'count' ? trend.count : trend.stat(stat) / unit, timestamp }],
        }));
      }
    }
  }

  // Only series with samples newer than their last push are sent, stamped with their latest sample's time.
  #push(): void {
    const series: TimeSeries[] = [];
    for (const s of this.#all) {
      if (s.latest <= s.sent) continue;
      s.sent = s.latest;
      series.push(...this.#timeSeries(s, s.latest));
    }
    if (series.length === 0) return;
    this.#pushing = this.#pushing.then(() => this.#send(series));
  }

  async #send(series: TimeSeries[]): Promise<void> {
    this.stats.pushes++;
    const body = snappyCompress(encodeWriteRequest(series));
    try {
      if (!this.#agent) throw new Error('the output is not started');
      const res = await this.#agent.request({
        origin: new URL(this.config.serverUrl).origin,
        path: this.#path,
        method: 'POST',
        body,
        headers: {
          ...this.config.headers,
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
          'user-agent': 'cats-stress',
        },
        headersTimeout: PUSH_TIMEOUT_MS,
        bodyTimeout: PUSH_TIMEOUT_MS,
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}: ${text.trim().slice(0, 200)}`);
    } catch (err) {
      this.stats.failures++;
      const message = (err as Error).message;
      if (message !== this.#lastError)
        process.stderr.write(`prometheus-rw: push to ${this.config.serverUrl} failed: ${message}\n`);
      this.#lastError = message;
    }
  }
}

export const create: OutputFactory = (params) => new PrometheusRemoteWrite(params);
