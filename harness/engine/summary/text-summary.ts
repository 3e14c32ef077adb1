// The end-of-test summary as k6 prints it (jslib k6-summary textSummary),
// computed from the handleSummary data so scripts can call it too.
import type { SummaryData, SummaryGroup, SummaryMetric } from './summary-data.ts';

export interface TextSummaryOptions {
  indent?: string;
  enableColors?: boolean;
}

function round(n: number, digits = 2): string {
  return Number(n.toFixed(digits)).toString();
}

/** Milliseconds the way k6 shows durations: 512µs, 1.35ms, 2.41s, 1m3s. */
export function formatTime(ms: number, unit?: string): string {
  switch (unit) {
    case 's':
      return `${round(ms / 1000)}s`;
    case 'ms':
      return `${round(ms)}ms`;
    case 'us':
      return `${round(ms * 1000)}µs`;
  }
  if (ms === 0) return '0s';
  const abs = Math.abs(ms);
  if (abs < 1) return `${round(ms * 1000)}µs`;
  if (abs < 1000) return `${round(ms)}ms`;
  if (abs < 60_000) return `${round(ms / 1000)}s`;
  const m = Math.floor(abs / 60_000);
  const s = (abs % 60_000) / 1000;
  return `${ms < 0 ? '-' : ''}${m}m${round(s, 1)}s`;
}

/** Bytes in SI units, as k6 prints data. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? Math.round(v) : round(v, 1)} ${units[i]}`;
}

function formatValue(v: number, m: SummaryMetric, timeUnit?: string): string {
  if (m.contains === 'time') return formatTime(v, timeUnit);
  if (m.contains === 'data') return formatBytes(v);
  return round(v, 6).replace(/(\.\d{2})\d+$/, '$1');
}

function metricValue(m: SummaryMetric, trendStats: string[], timeUnit?: string): string[] {
  const v = m.values;
  switch (m.type) {
    case 'counter':
      return [
        formatValue(v.count, m, timeUnit),
        m.contains === 'data' ? `${formatBytes(v.rate)}/s` : `${round(v.rate, 6)}/s`,
      ];
    case 'gauge':
      return [
        formatValue(v.value, m, timeUnit),
        `min=${formatValue(v.min, m, timeUnit)}`,
        `max=${formatValue(v.max, m, timeUnit)}`,
      ];
    case 'rate':
      return [`${(v.rate * 100).toFixed(2)}%`, `✓ ${v.passes}`, `✗ ${v.fails}`];
    case 'trend':
      return trendStats
        .filter((s) => s in v)
        .map((s) => `${s}=${s === 'count' ? v[s] : formatValue(v[s], m, timeUnit)}`);
  }
}

export function textSummary(data: SummaryData, opts: TextSummaryOptions = {}): string {
  const indent = opts.indent ?? ' ';
  const color = opts.enableColors ?? false;
  const paint = (code: number, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const green = (s: string): string => paint(32, s);
  const red = (s: string): string => paint(31, s);
  const faint = (s: string): string => paint(2, s);
  const lines: string[] = [];

  const printGroup = (g: SummaryGroup, depth: number): void => {
    const pad = indent + '    ' + '  '.repeat(depth);
    for (const c of g.checks) {
      if (c.fails === 0) lines.push(`${pad}${green('✓')} ${c.name}`);
      else {
        lines.push(`${pad}${red('✗')} ${c.name}`);
        lines.push(
          `${pad}  ${red(`↳  ${Math.floor((c.passes / (c.passes + c.fails)) * 100)}% — ✓ ${c.passes} / ✗ ${c.fails}`)}`,
        );
      }
    }
    for (const sub of g.groups) {
      lines.push('', `${pad}█ ${sub.name}`, '');
      printGroup(sub, depth + 1);
    }
  };
  printGroup(data.root_group, 0);
  if (lines.length) lines.push('');

  const names = Object.keys(data.metrics).sort((a, b) => {
    const [pa, pb] = [a.split('{')[0], b.split('{')[0]];
    return pa === pb ? a.length - b.length || a.localeCompare(b) : pa.localeCompare(pb);
  });
  const label = (name: string): string => {
    const open = name.indexOf('{');
    return open < 0
      ? name
      : `  { ${name
          .slice(open + 1, -1)
          .split(',')
          .map((s) => s.trim())
          .join(', ')} }`;
  };
  const width = Math.max(0, ...names.map((n) => label(n).length)) + 3;
  const trendStats = data.options.summaryTrendStats;
  const timeUnit = data.options.summaryTimeUnit || undefined;
  const cells = names.map((n) => metricValue(data.metrics[n], trendStats, timeUnit));
  const colWidths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (colWidths[i] = Math.max(colWidths[i] ?? 0, c.length)));
  names.forEach((name, i) => {
    const m = data.metrics[name];
    const results = Object.values(m.thresholds ?? {});
    const mark = results.length === 0 ? '  ' : results.every((r) => r.ok) ? `${green('✓')} ` : `${red('✗')} `;
    const l = label(name);
    const dots = faint(`${'.'.repeat(Math.max(1, width - l.length))}:`);
    const row =
      m.type === 'trend'
        ? cells[i].join(' ')
        : cells[i]
            .map((c, j) => c.padEnd(colWidths[j]))
            .join(' ')
            .trimEnd();
    lines.push(`${indent}  ${mark}${l}${dots} ${row}`);
  });
  return lines.join('\n') + '\n';
}
