// The end-of-test summary data k6 hands to handleSummary(data) (k6's
// internal/js/summary.go), as far as the verdict reads it.

export interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  state: { testRunDurationMs: number; isStdOutTTY?: boolean; isStdErrTTY?: boolean };
  root_group?: unknown;
  options?: unknown;
  setup_data?: unknown;
}

/** Every threshold of the run with its outcome, as `metric: expression`. */
export function thresholdOutcomes(summary: SummaryData): { metric: string; expression: string; ok: boolean }[] {
  const out: { metric: string; expression: string; ok: boolean }[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, t] of Object.entries(m.thresholds ?? {})) out.push({ metric, expression, ok: t.ok });
  }
  return out;
}

/** Values of a metric's sub-metrics keyed by one tag, e.g. `ctd_rejected{code:X}` → { X: values }. */
export function byTag(summary: SummaryData, metric: string, tag: string): Record<string, Record<string, number>> {
  const prefix = `${metric}{${tag}:`;
  const out: Record<string, Record<string, number>> = {};
  for (const [name, m] of Object.entries(summary.metrics)) {
    if (name.startsWith(prefix) && name.endsWith('}') && !name.slice(prefix.length, -1).includes(','))
      out[name.slice(prefix.length, -1)] = m.values;
  }
  return out;
}
