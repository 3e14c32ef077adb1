// The data handleSummary(data) receives, in k6's shape (internal/js/summary.go),
// built from the merged registry and the evaluated thresholds.
import { createHash } from 'node:crypto';
import type { MetricDefinition } from '../metrics/metric.ts';
import type { MetricRegistry } from '../metrics/registry.ts';
import { CounterSink, GaugeSink, RateSink, TrendSink, type Sink } from '../metrics/sinks.ts';

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

export interface SummaryMetric {
  type: MetricDefinition['type'];
  contains: MetricDefinition['contains'];
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  setup_data?: unknown;
}

const id = (path: string): string => createHash('md5').update(path).digest('hex');

/** k6's summary values of one sink. */
export function sinkValues(sink: Sink, trendStats: string[], durationMs: number): Record<string, number> {
  if (sink instanceof CounterSink)
    return { count: sink.sum, rate: durationMs > 0 ? sink.sum / (durationMs / 1000) : 0 };
  if (sink instanceof GaugeSink)
    return sink.time === -Infinity ? { value: 0, min: 0, max: 0 } : { value: sink.value, min: sink.min, max: sink.max };
  if (sink instanceof RateSink)
    return { rate: sink.total ? sink.passes / sink.total : 0, passes: sink.passes, fails: sink.total - sink.passes };
  const t = sink as TrendSink;
  const percentileStats = trendStats.filter((s) => s === 'med' || s.startsWith('p('));
  const ps = t.percentiles(percentileStats.map((s) => (s === 'med' ? 0.5 : Number(s.slice(2, -1)) / 100)));
  const values: Record<string, number> = {};
  for (const s of trendStats) {
    if (s === 'avg') values.avg = t.avg;
    else if (s === 'min') values.min = t.count ? t.min : 0;
    else if (s === 'max') values.max = t.count ? t.max : 0;
    else if (s === 'count') values.count = t.count;
    else values[s] = ps[percentileStats.indexOf(s)];
  }
  return values;
}

function hasSamples(sink: Sink): boolean {
  return sink instanceof CounterSink
    ? sink.sum !== 0 || sink.state() !== undefined
    : sink instanceof GaugeSink
      ? sink.time !== -Infinity
      : sink instanceof RateSink
        ? sink.total > 0
        : (sink as TrendSink).count > 0;
}

function groupTree(registry: MetricRegistry): SummaryGroup {
  const root: SummaryGroup = { name: '', path: '', id: id(''), groups: [], checks: [] };
  const byPath = new Map<string, SummaryGroup>([['', root]]);
  const ensure = (path: string): SummaryGroup => {
    const existing = byPath.get(path);
    if (existing) return existing;
    const cut = path.lastIndexOf('::');
    const parent = ensure(path.slice(0, cut));
    const g: SummaryGroup = { name: path.slice(cut + 2), path, id: id(path), groups: [], checks: [] };
    parent.groups.push(g);
    byPath.set(path, g);
    return g;
  };
  for (const path of [...registry.groups].sort()) if (path.startsWith('::')) ensure(path);
  for (const c of registry.checks) {
    const g = c.group.startsWith('::') || c.group === '' ? ensure(c.group) : root;
    const path = `${c.group}::${c.name}`;
    g.checks.push({ name: c.name, path, id: id(path), passes: c.passes, fails: c.fails });
  }
  return root;
}

export interface SummaryInput {
  registry: MetricRegistry;
  thresholdResults: Map<string, Record<string, { ok: boolean }>>;
  trendStats: string[];
  summaryTimeUnit?: string;
  noColor: boolean;
  durationMs: number;
  setupData?: unknown;
}

export function buildSummaryData(input: SummaryInput): SummaryData {
  const metrics: Record<string, SummaryMetric> = {};
  const { registry, trendStats, durationMs } = input;
  // As in k6, a threshold shows its metric even without samples, and a sub-metric's threshold its parent too.
  const put = (name: string, def: MetricDefinition, sink: Sink, shown = false): void => {
    const thresholds = input.thresholdResults.get(name);
    if (!shown && !hasSamples(sink) && !thresholds) return;
    metrics[name] = {
      type: def.type,
      contains: def.contains,
      values: sinkValues(sink, trendStats, durationMs),
      ...(thresholds ? { thresholds } : {}),
    };
  };
  for (const e of [...registry.entries.values()].sort((a, b) => a.def.name.localeCompare(b.def.name))) {
    put(
      e.def.name,
      e.def,
      e.sink,
      e.subs.some((s) => input.thresholdResults.has(s.selector.name)),
    );
    for (const s of e.subs) put(s.selector.name, e.def, s.sink);
  }
  return {
    root_group: groupTree(registry),
    options: { summaryTrendStats: trendStats, summaryTimeUnit: input.summaryTimeUnit ?? '', noColor: input.noColor },
    state: { isStdOutTTY: !!process.stdout.isTTY, isStdErrTTY: !!process.stderr.isTTY, testRunDurationMs: durationMs },
    metrics,
    ...(input.setupData !== undefined ? { setup_data: input.setupData } : {}),
  };
}
