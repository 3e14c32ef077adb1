// The instances of a distributed run of real k6 as the one run they make up. Real k6 writes its
// summary (handleSummary's data, e.g. summary.json) but no histograms, so a trend's average,
// median and percentiles cannot be merged from the instances' files. Counters, rates, checks,
// VUs and trends' min and max merge exactly from the summaries; every other trend statistic is
// read from the Prometheus the instances remote-wrote to with
// K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true, whose native histograms add up over instances.
import { parseThresholdExpression, passes } from './metrics/thresholds.ts';
import type { SummaryData, SummaryGroup, SummaryMetric } from './summary/summary-data.ts';

/** A trend statistic (avg, med, p(N), count) over every instance of the run, in the summary's unit; undefined when unknown. */
export type TrendStatSource = (
  metric: string,
  contains: SummaryMetric['contains'],
  stat: string,
) => Promise<number | undefined>;

export interface MergedSummaries {
  summary: SummaryData;
  failedThresholds: string[];
  /** Where the trends' statistics came from. */
  notes: string[];
  /** The statistics that could not be had. */
  warnings: string[];
}

/** Gauges that count an instance's VUs: the instances run side by side, so the test's are their sum. */
const SUMMED_GAUGES = new Set(['vus', 'vus_max']);

function mergeGroups(groups: SummaryGroup[]): SummaryGroup {
  const [first] = groups;
  const checks = first.checks.map((c) => {
    const same = groups.flatMap((g) => g.checks.filter((o) => o.path === c.path));
    return { ...c, passes: same.reduce((a, o) => a + o.passes, 0), fails: same.reduce((a, o) => a + o.fails, 0) };
  });
  const paths = [...new Set(groups.flatMap((g) => g.groups.map((s) => s.path)))];
  const sub = paths.map((p) => mergeGroups(groups.flatMap((g) => g.groups.filter((s) => s.path === p))));
  return { ...first, checks, groups: sub };
}

async function mergeMetric(
  name: string,
  parts: SummaryMetric[],
  durationS: number,
  trends: TrendStatSource | undefined,
  wanted: string[],
  missing: string[],
): Promise<Record<string, number>> {
  const sum = (k: string) => parts.reduce((a, m) => a + (m.values[k] ?? 0), 0);
  const { type, contains } = parts[0];
  if (type === 'counter') return { count: sum('count'), rate: durationS > 0 ? sum('count') / durationS : 0 };
  if (type === 'rate') {
    const [p, f] = [sum('passes'), sum('fails')];
    return { rate: p + f ? p / (p + f) : 0, passes: p, fails: f };
  }
  if (type === 'gauge') {
    if (SUMMED_GAUGES.has(name)) return { value: sum('value'), min: sum('min'), max: sum('max') };
    return {
      value: Math.max(...parts.map((m) => m.values.value)),
      min: Math.min(...parts.map((m) => m.values.min)),
      max: Math.max(...parts.map((m) => m.values.max)),
    };
  }
  const values: Record<string, number> = {};
  for (const stat of wanted) {
    if (stat === 'min' || stat === 'max') {
      const all = parts.map((m) => m.values[stat]).filter((v) => v !== undefined);
      if (all.length) values[stat] = stat === 'min' ? Math.min(...all) : Math.max(...all);
      continue;
    }
    const v = trends ? await trends(name, contains, stat) : undefined;
    if (v === undefined) missing.push(`${name} ${stat}`);
    else values[stat] = v;
  }
  return values;
}

/**
 * Merges the summaries of a distributed real-k6 run's instances; `trends` (Prometheus native
 * histograms, see prometheusTrendStats) gives what the summaries cannot. Thresholds are evaluated
 * again on the merged values.
 */
export async function mergeK6Summaries(
  summaries: SummaryData[],
  trends: TrendStatSource | undefined,
): Promise<MergedSummaries> {
  if (!summaries.length) throw new Error('nothing to merge');
  const first = summaries[0];
  const durationMs = Math.max(...summaries.map((s) => s.state.testRunDurationMs));
  const metrics: Record<string, SummaryMetric> = {};
  const missing: string[] = [];
  const failedThresholds: string[] = [];
  const names = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  for (const name of names) {
    const parts = summaries.flatMap((s) => (s.metrics[name] ? [s.metrics[name]] : []));
    const sources = [...new Set(parts.flatMap((m) => Object.keys(m.thresholds ?? {})))];
    const expressions = sources.map(parseThresholdExpression);
    const wanted = [...new Set([...first.options.summaryTrendStats, ...expressions.map((e) => e.aggregation)])].filter(
      (s) => s !== 'count' || parts[0].type !== 'trend',
    );
    const values = await mergeMetric(name, parts, durationMs / 1000, trends, wanted, missing);
    const metric: SummaryMetric = { type: parts[0].type, contains: parts[0].contains, values };
    if (expressions.length) {
      metric.thresholds = {};
      for (const e of expressions) {
        const actual = values[e.aggregation];
        // A statistic nobody could give is not a pass.
        const ok = actual !== undefined && passes(e, actual);
        metric.thresholds[e.source] = { ok };
        if (!ok) failedThresholds.push(`${name}: ${e.source}`);
      }
    }
    metrics[name] = metric;
  }
  const trendNames = names.filter((n) => metrics[n].type === 'trend');
  const notes: string[] = [];
  if (trendNames.length && trends)
    notes.push(
      'real k6 writes no histograms: trend averages, medians and percentiles come from Prometheus native histograms over all instances; min and max from the instances’ summaries',
    );
  const warnings: string[] = [];
  if (missing.length)
    warnings.push(
      `not merged (no native histogram ${trends ? 'in Prometheus' : 'source: give --prometheus URL --testid ID'}): ${missing.join(', ')}`,
    );
  return {
    summary: {
      ...first,
      root_group: mergeGroups(summaries.map((s) => s.root_group)),
      state: { ...first.state, testRunDurationMs: durationMs },
      metrics,
    },
    failedThresholds,
    notes,
    warnings,
  };
}

/**
 * Trend statistics from the native histograms real k6 remote-writes (k6_<name>_seconds for time,
 * _bytes for data), summed over every series of run `testid` (every instance, every tag) as they
 * stood at the run's last sample within `window`; the instances of one run end together.
 */
export function prometheusTrendStats(url: string, testid: string, window = '7d'): TrendStatSource {
  const base = url.replace(/\/$/, '');
  async function query<T>(q: string, time?: number): Promise<T[]> {
    const res = await fetch(
      `${base}/api/v1/query?query=${encodeURIComponent(q)}${time === undefined ? '' : `&time=${time}`}`,
    );
    const body = (await res.json().catch(() => undefined)) as
      { status: string; error?: string; data?: { result: T[] } } | undefined;
    if (!body || body.status !== 'success')
      throw new Error(`Prometheus at ${url}: ${body?.error ?? `HTTP ${res.status}`} (${q})`);
    return body.data?.result ?? [];
  }
  const ends = new Map<string, Promise<number | undefined>>();
  /** When the last instance wrote `series` last (the raw samples of the window, histograms or not). */
  const endOf = (series: string) => {
    if (!ends.has(series))
      ends.set(
        series,
        query<{ values?: [number, unknown][]; histograms?: [number, unknown][] }>(`${series}[${window}]`).then((r) => {
          const times = r.flatMap((s) => [...(s.values ?? []), ...(s.histograms ?? [])].map(([t]) => t));
          return times.length ? Math.max(...times) : undefined;
        }),
      );
    return ends.get(series)!;
  };
  return async (metric, contains, stat) => {
    const unit = contains === 'time' ? '_seconds' : contains === 'data' ? '_bytes' : '';
    const series = `k6_${metric}${unit}{testid=${JSON.stringify(testid)}}`;
    const histogram = `sum(${series})`;
    const percentile = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat)?.[1];
    const quantile = stat === 'med' ? 0.5 : percentile === undefined ? undefined : Number(percentile) / 100;
    const q =
      stat === 'avg'
        ? `histogram_sum(${histogram}) / histogram_count(${histogram})`
        : stat === 'count'
          ? `histogram_count(${histogram})`
          : quantile !== undefined
            ? `histogram_quantile(${quantile}, ${histogram})`
            : undefined;
    if (!q) return undefined;
    const end = await endOf(series);
    if (end === undefined) return undefined;
    const [sample] = await query<{ value: [number, string] }>(q, end);
    const value = Number(sample?.value[1]);
    if (!Number.isFinite(value)) return undefined;
    // Time trends are written in seconds and summarised in milliseconds, as k6 does.
    return contains === 'time' && stat !== 'count' ? value * 1000 : value;
  };
}
