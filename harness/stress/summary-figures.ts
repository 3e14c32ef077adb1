// Figures read from the end-of-test summary data k6 hands to handleSummary(data)
// (the engine's SummaryData is the one contract for its shape).
import type { SummaryData } from '../engine/summary/summary-data.ts';

/** Every threshold of the run with its outcome, as `metric: expression`. */
export function thresholdOutcomes(
  summary: Pick<SummaryData, 'metrics'>,
): { metric: string; expression: string; ok: boolean }[] {
  const out: { metric: string; expression: string; ok: boolean }[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, t] of Object.entries(m.thresholds ?? {})) out.push({ metric, expression, ok: t.ok });
  }
  return out;
}

/** Values of a metric's sub-metrics keyed by one tag, e.g. `ctd_rejected{code:X}` → { X: values }. */
export function byTag(
  summary: Pick<SummaryData, 'metrics'>,
  metric: string,
  tag: string,
): Record<string, Record<string, number>> {
  const prefix = `${metric}{${tag}:`;
  const out: Record<string, Record<string, number>> = {};
  for (const [name, m] of Object.entries(summary.metrics)) {
    if (name.startsWith(prefix) && name.endsWith('}') && !name.slice(prefix.length, -1).includes(','))
      out[name.slice(prefix.length, -1)] = m.values;
  }
  return out;
}
