// Thresholds in k6 syntax (metrics/thresholds.go): `agg op value`, on a metric
// or a sub-metric selector, with abortOnFail and delayAbortEval.
import type { MetricType } from './metric.ts';
import { parseMetricSelector, type SubMetricSelector } from './registry.ts';
import { CounterSink, GaugeSink, RateSink, TrendSink, type Sink } from './sinks.ts';
import { parseDuration } from '../options/duration.ts';

export type Operator = '>' | '>=' | '<' | '<=' | '==' | '===' | '!=';

export interface ThresholdExpression {
  source: string;
  /** 'count' | 'rate' | 'value' | 'avg' | 'min' | 'med' | 'max' | 'p(N)' */
  aggregation: string;
  percentile?: number;
  operator: Operator;
  value: number;
}

export interface Threshold extends ThresholdExpression {
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

export interface MetricThresholds {
  selector: SubMetricSelector;
  thresholds: Threshold[];
}

export class ThresholdError extends Error {}

const EXPR =
  /^\s*(count|rate|value|avg|min|med|max|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(===|==|!=|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export function parseThresholdExpression(source: string): ThresholdExpression {
  const m = EXPR.exec(source);
  if (!m)
    throw new ThresholdError(
      `threshold '${source}': expected 'aggregation operator number', e.g. 'p(95)<200' or 'rate<0.01'`,
    );
  const percentile = m[2] === undefined ? undefined : Number(m[2]);
  if (percentile !== undefined && percentile > 100)
    throw new ThresholdError(`threshold '${source}': percentile above 100`);
  const aggregation = percentile === undefined ? m[1].toLowerCase() : `p(${m[2]})`;
  return { source, aggregation, percentile, operator: m[3] as Operator, value: Number(m[4]) };
}

const ALLOWED: Record<MetricType, (agg: string) => boolean> = {
  counter: (a) => a === 'count' || a === 'rate',
  gauge: (a) => a === 'value',
  rate: (a) => a === 'rate',
  trend: (a) => ['avg', 'min', 'med', 'max'].includes(a) || a.startsWith('p('),
};

/** Parses the `thresholds` option. Metric types are checked later with {@link checkThresholdTypes}. */
export function parseThresholds(option: unknown): MetricThresholds[] {
  if (option === undefined || option === null) return [];
  if (typeof option !== 'object' || Array.isArray(option))
    throw new ThresholdError('thresholds: expected an object {metric: [expressions]}');
  const out: MetricThresholds[] = [];
  for (const [name, list] of Object.entries(option as Record<string, unknown>)) {
    let selector: SubMetricSelector;
    try {
      selector = parseMetricSelector(name);
    } catch (err) {
      throw new ThresholdError(`thresholds: ${(err as Error).message}`);
    }
    const items = Array.isArray(list) ? list : [list];
    const thresholds = items.map((item): Threshold => {
      if (typeof item === 'string')
        return { ...parseThresholdExpression(item), abortOnFail: false, delayAbortEvalMs: 0 };
      if (item && typeof item === 'object' && typeof (item as { threshold?: unknown }).threshold === 'string') {
        const o = item as { threshold: string; abortOnFail?: unknown; delayAbortEval?: unknown };
        return {
          ...parseThresholdExpression(o.threshold),
          abortOnFail: o.abortOnFail === true,
          delayAbortEvalMs:
            o.delayAbortEval === undefined
              ? 0
              : parseDuration(o.delayAbortEval, `thresholds['${name}'].delayAbortEval`),
        };
      }
      throw new ThresholdError(
        `thresholds['${name}']: each entry is a string or {threshold, abortOnFail?, delayAbortEval?}`,
      );
    });
    out.push({ selector, thresholds });
  }
  return out;
}

export function checkThresholdTypes(all: MetricThresholds[], typeOf: (metric: string) => MetricType | undefined): void {
  for (const { selector, thresholds } of all) {
    const type = typeOf(selector.parent);
    if (!type)
      throw new ThresholdError(
        `thresholds: no metric named '${selector.parent}' (define custom metrics in the init context)`,
      );
    for (const t of thresholds)
      if (!ALLOWED[type](t.aggregation))
        throw new ThresholdError(
          `threshold '${t.source}' on '${selector.name}': '${t.aggregation}' does not apply to a ${type} metric`,
        );
  }
}

/** The aggregate a threshold compares; `elapsedMs` gives a counter's rate. */
export function aggregate(sink: Sink | undefined, t: ThresholdExpression, elapsedMs: number): number {
  if (sink instanceof CounterSink)
    return t.aggregation === 'rate' ? (elapsedMs > 0 ? sink.sum / (elapsedMs / 1000) : 0) : sink.sum;
  if (sink instanceof GaugeSink) return sink.time === -Infinity ? 0 : sink.value;
  if (sink instanceof RateSink) return sink.total ? sink.passes / sink.total : 0;
  if (sink instanceof TrendSink) {
    switch (t.aggregation) {
      case 'avg':
        return sink.avg;
      case 'min':
        return sink.count ? sink.min : 0;
      case 'max':
        return sink.count ? sink.max : 0;
      case 'med':
        return sink.percentiles([0.5])[0];
      default:
        return sink.percentiles([(t.percentile ?? 0) / 100])[0];
    }
  }
  return 0;
}

export function passes(t: ThresholdExpression, actual: number): boolean {
  switch (t.operator) {
    case '>':
      return actual > t.value;
    case '>=':
      return actual >= t.value;
    case '<':
      return actual < t.value;
    case '<=':
      return actual <= t.value;
    case '==':
    case '===':
      return actual === t.value;
    case '!=':
      return actual !== t.value;
  }
}
