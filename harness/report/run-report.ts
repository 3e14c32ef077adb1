// report.html of a run folder: one self-contained page (inline CSS, inline SVG, no script,
// no network) a manager can read: verdict and thresholds first, then what happened over
// time, then the settings and data set that produced it.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SeriesTags } from '../engine/output/timeseries.ts';
import { readRunFolder, type RunFolder, type Summary, type Timeseries } from './run-folder.ts';
import {
  counterPerSecond,
  counterPerSecondBy,
  counterTotalsBy,
  gaugeLast,
  hasMetric,
  ratePassesPerSecondBy,
  span,
  tagValues,
  trendStat,
  type Point,
} from './series.ts';
import { barChart, escapeHtml, formatValue, lineChart, type ChartEvent, type LineSeries } from './svg-chart.ts';
import { faultRecovery, recoverySection, type FaultRecovery } from './fault-recovery.ts';
import { capacitySection, type CapacityResult } from './capacity-model.ts';
import { sutSection } from './sut-resources.ts';
import { reconciliationOf, reconciliationSection } from './reconciliation-section.ts';
import { pathOutcomes, pathsSection } from './path-outcomes.ts';

const REPORT_FILE = 'report.html';

/** Builds report.html in the run folder and returns its path. */
export async function writeRunReport(runDir: string): Promise<string> {
  const run = await readRunFolder(runDir);
  const capacityFile = path.join(run.dir, 'capacity.json');
  const capacity = existsSync(capacityFile)
    ? (JSON.parse(await readFile(capacityFile, 'utf8')) as CapacityResult)
    : undefined;
  const file = path.join(run.dir, REPORT_FILE);
  await writeFile(file, renderReport(run, capacity));
  return file;
}

export interface ThresholdRow {
  metric: string;
  expression: string;
  observed: number;
  ok: boolean;
}

/** The value a threshold expression looks at, e.g. `p(95)<250` → values['p(95)']. */
function observedFor(values: Record<string, number>, expression: string): number {
  const stat = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)/.exec(expression)?.[1] ?? '';
  return values[stat] ?? NaN;
}

function thresholdRows(summary: Summary): ThresholdRow[] {
  const rows: ThresholdRow[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, t] of Object.entries(m.thresholds ?? {}))
      rows.push({ metric, expression, observed: observedFor(m.values, expression), ok: t.ok });
  }
  return rows.sort((a, b) => Number(a.ok) - Number(b.ok) || a.metric.localeCompare(b.metric));
}

/** One row per judged recovery limit: `recovery kill:ice` / `backlog drained ≤ 60 s` / seconds it took. */
function recoveryRows(recovery: FaultRecovery[]): ThresholdRow[] {
  return recovery
    .filter((r) => typeof r.withinLimit === 'boolean')
    .map((r) => ({
      metric: `recovery ${r.fault}:${r.target}`,
      expression: `backlog drained ≤ ${r.recoverWithin} s after the fault's end`,
      observed: r.drainedSeconds ?? NaN,
      ok: r.withinLimit === true,
    }));
}

const isSuccess = (k: SeriesTags) => k.status !== undefined && Number(k.status) >= 200 && Number(k.status) < 400;

function sumPoints(points: Point[]): number {
  return points.reduce((a, [, v]) => a + v, 0);
}

function charts(ts: Timeseries, summary: Summary): string[] {
  const [start] = span(ts);
  const events = faultMarkers(ts);
  const out: string[] = [];
  const operations = tagValues(ts, 'http_reqs', 'operation');
  // Throughput: all requests, the busiest operations, completed iterations.
  const byOp = [...counterPerSecondBy(ts, 'http_reqs', 'operation')].sort((a, b) => sumPoints(b[1]) - sumPoints(a[1]));
  const throughput: LineSeries[] = [{ label: 'all requests', points: counterPerSecond(ts, 'http_reqs') }];
  for (const [op, points] of byOp.slice(0, 5)) if (op && operations.length > 1) throughput.push({ label: op, points });
  if (hasMetric(ts, 'iterations')) throughput.push({ label: 'iterations', points: counterPerSecond(ts, 'iterations') });
  // The breakpoint scenario reports the arrival rate its schedule offered.
  if (hasMetric(ts, 'offered_rate'))
    throughput.push({ label: 'offered CTD rate', points: gaugeLast(ts, 'offered_rate', 'max') });
  out.push(lineChart({ title: 'Throughput', unit: '/s', series: throughput, start, events }));

  const marks = Object.entries(summary.metrics)
    .filter(([name]) => name.startsWith('http_req_duration'))
    .flatMap(([name, m]) =>
      Object.keys(m.thresholds ?? {}).flatMap((expr) => {
        const limit = /^p\((\d+(?:\.\d+)?)\)\s*<=?\s*([\d.]+)/.exec(expr);
        return limit
          ? [{ label: `${/operation:([^,}]+)/.exec(name)?.[1] ?? 'all requests'} ${expr}`, value: Number(limit[2]) }]
          : [];
      }),
    );
  out.push(
    lineChart({
      title: 'Request latency over time (all requests)',
      unit: 'ms',
      series: (['p50', 'p95', 'p99', 'max'] as const).map((s) => ({
        label: s,
        points: trendStat(ts, 'http_req_duration', s),
      })),
      marks,
      start,
      events,
    }),
  );
  if (operations.length > 1) {
    out.push(
      lineChart({
        title: 'p95 latency by operation',
        unit: 'ms',
        series: byOp.slice(0, 8).map(([op]) => ({
          label: op || '(untagged)',
          points: trendStat(ts, 'http_req_duration', 'p95', (k) => (k.operation ?? '') === op),
        })),
        start,
        events,
      }),
    );
  }
  // Failed requests as the scenario's expected statuses define them (http_req_failed), so a
  // 409 a scenario expects (an officer losing a race to release) is not shown as an error.
  const errors: LineSeries[] = [...ratePassesPerSecondBy(ts, 'http_req_failed', 'status')].map(([status, points]) => ({
    label: status === '0' || status === '' ? 'no response' : `HTTP ${status}`,
    points,
  }));
  for (const [code, points] of counterPerSecondBy(ts, 'ctd_rejected', 'code'))
    errors.push({ label: `rejected ${code || '(no code)'}`, points });
  for (const [code, points] of counterPerSecondBy(ts, 'ctd_refused', 'code'))
    errors.push({ label: `refused ${code} (business rule, not a failure)`, points });
  if (errors.length === 0)
    errors.push({ label: 'no errors in this run', points: counterPerSecond(ts, 'http_reqs', () => false) });
  out.push(lineChart({ title: 'Errors by code', unit: '/s', series: errors, start, events }));

  const vus: LineSeries[] = [{ label: 'VUs', points: gaugeLast(ts, 'vus') }];
  if (hasMetric(ts, 'vus_max')) vus.push({ label: 'VUs allocated', points: gaugeLast(ts, 'vus_max') });
  out.push(lineChart({ title: 'Virtual users', unit: '', series: vus, start, events }));

  if (hasMetric(ts, 'ice_delivery_latency')) {
    out.push(
      lineChart({
        title: 'ICE delivery latency (sender → receiving node)',
        unit: 'ms',
        series: (['p50', 'p95', 'p99', 'max'] as const).map((s) => ({
          label: s,
          points: trendStat(ts, 'ice_delivery_latency', s),
        })),
        start,
        events,
      }),
    );
  }
  if (hasMetric(ts, 'iteration_schedule_lag')) {
    out.push(
      lineChart({
        title: 'Load generator: start lag of scheduled iterations',
        unit: 'ms',
        series: (['p95', 'max'] as const).map((s) => ({
          label: s,
          points: trendStat(ts, 'iteration_schedule_lag', s),
        })),
        start,
        events,
      }),
    );
  }
  const funnel = movementFunnel(ts, summary);
  if (funnel) out.push(funnel);
  return out;
}

/** A marker at each fault's start and end on the time charts. */
export function faultMarkers(ts: Timeseries | undefined): ChartEvent[] {
  return (ts?.events ?? []).map((e) => ({
    t: e.t,
    label: `${e.fault}:${e.target}${e.phase === 'end' ? ' ends' : ''}${e.ok ? '' : ' (not applied)'}`,
    kind: e.phase,
  }));
}

/** submitted → accepted → released → arrived → written off, from the request and domain counters. */
function movementFunnel(ts: Timeseries, summary: Summary): string | undefined {
  const ok = counterTotalsBy(ts, 'http_reqs', 'operation', isSuccess);
  const all = counterTotalsBy(ts, 'http_reqs', 'operation');
  const matching = (map: Map<string, number>, re: RegExp) =>
    [...map].filter(([op]) => re.test(op)).reduce((a, [, v]) => a + v, 0);
  const submitted = matching(all, /^ctd_submit$/);
  if (submitted === 0) return undefined;
  const count = (name: string) => summary.metrics[name]?.values.count;
  const bars = [
    { label: 'submitted', value: submitted },
    { label: 'accepted', value: count('ctd_accepted') ?? matching(ok, /^ctd_submit$/) },
    { label: 'released', value: matching(ok, /release/) },
    { label: 'arrived', value: matching(ok, /arriv/) },
    { label: 'written off', value: count('movements_written_off') ?? matching(ok, /write_?off/) },
  ];
  return barChart('Movement funnel (movements reaching each stage in this run)', bars);
}

function keyFigures(summary: Summary): Array<[string, string]> {
  const m = summary.metrics;
  const v = (name: string, stat: string) => m[name]?.values[stat];
  const rows: Array<[string, string]> = [];
  const push = (label: string, value: number | undefined, unit = '') => {
    if (value !== undefined) rows.push([label, formatValue(value, unit)]);
  };
  push('HTTP requests', v('http_reqs', 'count'));
  push('request rate', v('http_reqs', 'rate'), '/s');
  push('latency p50', v('http_req_duration', 'med'), 'ms');
  push('latency p95', v('http_req_duration', 'p(95)'), 'ms');
  push('latency p99', v('http_req_duration', 'p(99)'), 'ms');
  const failed = v('http_req_failed', 'rate');
  if (failed !== undefined) rows.push(['failed requests', `${(failed * 100).toFixed(2)} %`]);
  push('CTDs accepted', v('ctd_accepted', 'count'));
  push('CTDs rejected', v('ctd_rejected', 'count'));
  // Refusals by the business rules (the data set's guarantees ran out), kept apart from failed requests.
  push('CTDs refused (business rules)', v('ctd_refused', 'count'));
  push('ICE delivery p95', v('ice_delivery_latency', 'p(95)'), 'ms');
  push('iterations', v('iterations', 'count'));
  push('dropped iterations', v('dropped_iterations', 'count'));
  push('peak VUs', v('vus_max', 'max'));
  return rows;
}

const table = (rows: Array<[string, string]>) =>
  `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
const json = (title: string, value: unknown) =>
  value === undefined
    ? ''
    : `<details open><summary>${escapeHtml(title)}</summary><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre></details>`;

function renderReport(run: RunFolder, capacity?: CapacityResult): string {
  const { summary, settings } = run;
  const recovery = run.timeseries?.events.length ? faultRecovery(run.timeseries, run.timeseries.events, run.sut) : [];
  // A recovery limit is judged like an SLO: a breached one is a failed threshold row.
  const rows = [...thresholdRows(summary), ...recoveryRows(recovery)].sort(
    (a, b) => Number(a.ok) - Number(b.ok) || a.metric.localeCompare(b.metric),
  );
  const failedThresholds = rows.filter((r) => !r.ok);
  const exitCode = typeof settings?.exitCode === 'number' ? settings.exitCode : undefined;
  const reconciliation = reconciliationOf(summary);
  const reconciled = reconciliation?.passed !== false;
  const paths = pathOutcomes(summary);
  const stuck = paths.filter((p) => p.stuck > 0).length;
  const passed =
    failedThresholds.length === 0 && (exitCode === undefined || exitCode === 0) && reconciled && stuck === 0;
  const title = String(settings?.runId ?? path.basename(run.dir));
  const scenario = settings?.scenario ? String(settings.scenario) : '';
  const verdictText = passed
    ? `PASS: all ${rows.length} thresholds met`
    : !reconciled
      ? `FAIL: the reconciliation found discrepancies${failedThresholds.length ? `, and ${failedThresholds.length} of ${rows.length} thresholds not met` : ''}`
      : failedThresholds.length
        ? `FAIL: ${failedThresholds.length} of ${rows.length} thresholds not met`
        : stuck
          ? `FAIL: movements of ${stuck} path(s) did not reach the end state of their path`
          : `FAIL: the run ended with exit code ${exitCode}`;
  const durationMs = summary.state?.testRunDurationMs;
  const facts: Array<[string, string]> = [
    ['scenario', scenario || '–'],
    ['started', String(settings?.startedAt ?? '–')],
    ['duration', durationMs ? `${(durationMs / 1000).toFixed(1)} s` : '–'],
    ['target rate', settings?.rate !== undefined ? `${settings.rate} CTDs/s` : '–'],
    ['revision', String((run.revision as { commit?: string } | undefined)?.commit ?? '–')],
  ];
  const thresholdTable = rows.length
    ? `<table class="thresholds"><thead><tr><th></th><th>metric</th><th>threshold</th><th>observed</th></tr></thead><tbody>${rows
        .map(
          (r) =>
            `<tr class="${r.ok ? 'ok' : 'fail'}"><td>${r.ok ? '✔' : '✘'}</td><td><code>${escapeHtml(r.metric)}</code></td><td><code>${escapeHtml(r.expression)}</code></td><td>${escapeHtml(formatValue(r.expression.startsWith('rate') ? r.observed * 100 : r.observed, r.expression.startsWith('rate') ? '%' : r.expression.startsWith('p(') || r.expression.startsWith('avg') || r.expression.startsWith('med') || r.expression.startsWith('max') ? (summary.metrics[r.metric]?.contains === 'time' ? 'ms' : '') : ''))}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="muted">This run declared no thresholds.</p>';
  const chartHtml = run.timeseries
    ? charts(run.timeseries, summary).join('\n')
    : '<p class="muted">No time series in this run folder (run with <code>--out timeseries=…</code> or <code>--out json=…</code>).</p>';
  const faultHtml = recovery.length ? recoverySection(recovery, span(run.timeseries!)[0]) : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} — cats-stress report`)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:0;background:#f8fafc}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.verdict{font-size:18px;font-weight:600;padding:12px 16px;border-radius:8px;margin:12px 0}
.verdict.pass{background:#dcfce7;color:#14532d}.verdict.fail{background:#fee2e2;color:#7f1d1d}
table{border-collapse:collapse;margin:6px 0}th,td{padding:4px 10px;text-align:left;border-bottom:1px solid #e5e7eb}
table.kv th{font-weight:500;color:#4b5563}tr.fail td{color:#b91c1c;font-weight:600}tr.ok td:first-child{color:#15803d}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
figure.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:14px 0;padding:10px 12px}
figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#374151;margin-bottom:4px}.key i{display:inline-block;width:12px;height:3px;margin-right:5px;vertical-align:middle}
.grid{stroke:#eef2f7}.axis{stroke:#9ca3af}.tick{font-size:11px;fill:#4b5563}.mark{stroke:#b91c1c;stroke-dasharray:5 4}.mark-label{font-size:11px;fill:#b91c1c}
.fault-marker line{stroke:#7c3aed;stroke-width:1.5}.fault-marker.end line{stroke-dasharray:3 3}.event-label{font-size:11px;fill:#7c3aed}
.muted{color:#6b7280}pre{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:10px;overflow:auto;font-size:12px;max-height:420px}
details summary{cursor:pointer;font-weight:600;margin:8px 0}code{font-size:12.5px}
h3{font-size:14px;margin:12px 0 4px}tr.na td{color:#6b7280}ul.discrepancies{margin:4px 0;padding-left:20px}
</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<div class="muted">cats-stress run report${scenario ? ` · ${escapeHtml(scenario)}` : ''}</div>
<div class="verdict ${passed ? 'pass' : 'fail'}">${escapeHtml(verdictText)}</div>
<div class="grid2"><div><h2>Run</h2>${table(facts)}</div><div><h2>Key figures</h2>${table(keyFigures(summary))}</div></div>
<h2>Thresholds</h2>
${thresholdTable}
${pathsSection(paths)}
${reconciliationSection(reconciliation)}
<h2>Over time</h2>
${chartHtml}
${faultHtml}
${sutSection(run.sut, run.timeseries ? span(run.timeseries)[0] : NaN, faultMarkers(run.timeseries))}
${capacity ? capacitySection(capacity) : ''}
<h2>Settings and data set</h2>
${json('Settings', settings)}
${json('Machine', run.machine)}
${json('Revision', run.revision)}
${json('Data-set manifest', run.manifest)}
<p class="muted">Time series: ${escapeHtml(run.timeseries?.source ?? 'none')} · built ${escapeHtml(new Date().toISOString())}</p>
</main></body></html>
`;
}
