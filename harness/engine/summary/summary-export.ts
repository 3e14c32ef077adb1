// The `--summary-export` file: k6's legacy export format, with each metric's
// values flattened and thresholds mapped to "failed" booleans.
import type { SummaryData } from './summary-data.ts';

export function summaryExport(data: SummaryData): Record<string, unknown> {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    const values: Record<string, unknown> =
      m.type === 'rate' ? { passes: m.values.passes, fails: m.values.fails, value: m.values.rate } : { ...m.values };
    if (m.thresholds) values.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([k, r]) => [k, !r.ok]));
    metrics[name] = values;
  }
  return { root_group: data.root_group, metrics };
}
