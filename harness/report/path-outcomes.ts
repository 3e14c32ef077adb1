// Where each labelled path of a run's movements got to: how many got an MRN
// (planned), how many reached the end state of their path, how many did not
// (stuck, or still under way when the run ended) and how many were not played
// (their path needs business time the deployment's clock does not run fast
// enough). Read from the summary's per-path counters (scenarios/lib/journey.js).
import { escapeHtml } from './svg-chart.ts';

interface MetricValues {
  values: Record<string, number>;
}

export interface PathOutcome {
  path: string;
  planned: number;
  reached: number;
  /** Planned and not at the end of their path when the run ended. */
  stuck: number;
  skipped: number;
}

const TAGGED = /^movement_path_(planned|completed|skipped)\{path:([a-z-]+)\}$/;

/** Per-path outcomes of a run, in path order of the summary; empty when its scenario plays no paths. */
export function pathOutcomes(summary: { metrics: Record<string, MetricValues> }): PathOutcome[] {
  const by = new Map<string, PathOutcome>();
  for (const [name, m] of Object.entries(summary.metrics)) {
    const hit = TAGGED.exec(name);
    if (!hit) continue;
    const path = hit[2]!;
    const row = by.get(path) ?? { path, planned: 0, reached: 0, stuck: 0, skipped: 0 };
    const count = m.values.count ?? 0;
    if (hit[1] === 'planned') row.planned = count;
    else if (hit[1] === 'completed') row.reached = count;
    else row.skipped = count;
    by.set(path, row);
  }
  const rows = [...by.values()].filter((r) => r.planned + r.skipped > 0);
  for (const r of rows) r.stuck = r.planned - r.reached;
  return rows.sort((a, b) => b.planned - a.planned || a.path.localeCompare(b.path));
}

/** One line per path for the console verdict, and one failure line per path with movements short of their end. */
export function pathLines(outcomes: PathOutcome[]): { lines: string[]; failures: string[] } {
  if (!outcomes.length) return { lines: [], failures: [] };
  const width = Math.max(...outcomes.map((o) => o.path.length));
  const lines = [
    '  paths            movements that got an MRN → reached the end state of their path',
    ...outcomes.map(
      (o) =>
        `    ${o.path.padEnd(width)}  ${o.planned} → ${o.reached}${o.stuck ? `, ${o.stuck} stuck` : ''}${o.skipped ? ` (${o.skipped} not played: the clock runs too slow)` : ''}`,
    ),
  ];
  const failures = outcomes
    .filter((o) => o.stuck > 0)
    .map((o) => `path ${o.path}: ${o.stuck} of ${o.planned} movements did not reach the end state of their path`);
  return { lines, failures };
}

/** The report's table of paths. */
export function pathsSection(outcomes: PathOutcome[]): string {
  if (!outcomes.length) return '';
  const rows = outcomes
    .map(
      (o) =>
        `<tr class="${o.stuck ? 'fail' : 'ok'}"><td>${o.stuck ? '✘' : '✔'}</td><td><code>${escapeHtml(o.path)}</code></td><td>${o.planned}</td><td>${o.reached}</td><td>${o.stuck}</td><td>${o.skipped}</td></tr>`,
    )
    .join('');
  return `<h2>Paths</h2>
<p class="muted">Movements per labelled path: planned (got an MRN), reached the end state of their path, stuck (did not), not played (the path needs business time the deployment's clock does not run fast enough).</p>
<table class="thresholds"><thead><tr><th></th><th>path</th><th>planned</th><th>reached end state</th><th>stuck</th><th>not played</th></tr></thead><tbody>${rows}</tbody></table>`;
}
