// The `--summary-export` file: k6's legacy export (oldJSONSummary in k6's summary-wrapper.js). The
// handleSummary data without `options` and `state`, each metric reduced to its values (a rate's `rate`
// renamed `value`, thresholds as `{source: failed}`), groups and checks keyed by name.
import type { SummaryData, SummaryGroup } from './summary-data.ts';

export interface ExportedGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, ExportedGroup>;
  checks: Record<string, SummaryGroup['checks'][number]>;
}

function exportGroup(g: SummaryGroup): ExportedGroup {
  return {
    name: g.name,
    path: g.path,
    id: g.id,
    groups: Object.fromEntries(g.groups.map((sub) => [sub.name, exportGroup(sub)])),
    checks: Object.fromEntries(g.checks.map((c) => [c.name, { ...c }])),
  };
}

export function summaryExport(data: SummaryData): Record<string, unknown> {
  const metrics: Record<string, Record<string, unknown>> = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    const values: Record<string, unknown> = { ...m.values };
    if (m.thresholds && Object.keys(m.thresholds).length > 0)
      values.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([k, r]) => [k, !r.ok]));
    if (m.type === 'rate' && 'rate' in values) {
      values.value = values.rate;
      delete values.rate;
    }
    metrics[name] = values;
  }
  return {
    root_group: exportGroup(data.root_group),
    metrics,
    ...(data.setup_data !== undefined ? { setup_data: data.setup_data } : {}),
  };
}

/** The file's text, indented as k6 writes it. */
export function summaryExportText(data: SummaryData): string {
  return JSON.stringify(summaryExport(data), null, 4);
}
