// Charts as inline SVG, drawn when the report is built, so the report needs no script
// and no network to show them.
import type { Point } from './series.ts';

export interface LineSeries {
  label: string;
  points: Point[];
}
export interface LineChartSpec {
  title: string;
  unit: string;
  series: LineSeries[];
  /** Horizontal reference lines, e.g. an SLO. */
  marks?: Array<{ label: string; value: number }>;
  /** Run start in epoch seconds: x is seconds since then. */
  start: number;
  /** Vertical markers at moments of the run (epoch seconds), e.g. a fault's start and end. */
  events?: ChartEvent[];
}

export interface ChartEvent {
  t: number;
  label: string;
  /** `start` draws a solid line, `end` a dashed one. */
  kind?: 'start' | 'end';
}

const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
];
const W = 900;
const H = 240;
const M = { top: 12, right: 16, bottom: 28, left: 64 };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 1, 2 or 5 × a power of ten, so ticks fall on round numbers. */
function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

export function formatValue(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = v.toLocaleString('en-US', { maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

export function lineChart(spec: LineChartSpec): string {
  const series = spec.series
    .map((s) => ({ ...s, points: s.points.filter(([, v]) => Number.isFinite(v)) }))
    .filter((s) => s.points.length > 0);
  const all = series.flatMap((s) => s.points);
  const total = all.length;
  if (total === 0)
    return `<figure class="chart empty" data-points="0"><figcaption>${escapeHtml(spec.title)}</figcaption><p class="muted">no data in this run</p></figure>`;
  const events = (spec.events ?? []).filter((e) => Number.isFinite(e.t));
  const xs = [...all.map(([t]) => t - spec.start), ...events.map((e) => e.t - spec.start)];
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(xMin + 1, ...xs);
  const yMaxData = Math.max(...all.map(([, v]) => v), ...(spec.marks ?? []).map((m) => m.value));
  const yStep = niceStep(yMaxData > 0 ? yMaxData : 1, 4);
  const yMax = Math.max(yStep, Math.ceil((yMaxData > 0 ? yMaxData : 1) / yStep) * yStep);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (t: number) => M.left + ((t - spec.start - xMin) / (xMax - xMin)) * pw;
  const y = (v: number) => M.top + ph - (Math.max(0, v) / yMax) * ph;
  const parts: string[] = [];
  for (let v = 0; v <= yMax + yStep / 2; v += yStep) {
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`,
    );
    parts.push(
      `<text class="tick" x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(formatValue(v, ''))}</text>`,
    );
  }
  const xStep = Math.max(1, niceStep(xMax - xMin, 8));
  for (let s = Math.ceil(xMin / xStep) * xStep; s <= xMax; s += xStep) {
    const px = x(spec.start + s).toFixed(1);
    parts.push(`<text class="tick" x="${px}" y="${H - 8}" text-anchor="middle">${s}s</text>`);
  }
  for (const m of spec.marks ?? []) {
    const py = y(m.value).toFixed(1);
    parts.push(
      `<line class="mark" x1="${M.left}" x2="${W - M.right}" y1="${py}" y2="${py}"/><text class="mark-label" x="${W - M.right - 4}" y="${(Number(py) - 4).toFixed(1)}" text-anchor="end">${escapeHtml(m.label)}</text>`,
    );
  }
  events.forEach((e, i) => {
    const px = x(e.t).toFixed(1);
    // Labels alternate between two rows so neighbouring markers stay readable.
    const ly = M.top + 10 + (i % 2) * 12;
    parts.push(
      `<g class="fault-marker ${e.kind ?? 'start'}" data-t="${e.t}"><line class="event" x1="${px}" x2="${px}" y1="${M.top}" y2="${H - M.bottom}"/><text class="event-label" x="${(Number(px) + 3).toFixed(1)}" y="${ly}">${escapeHtml(e.label)}</text><title>${escapeHtml(`${e.label} at ${(e.t - spec.start).toFixed(1)}s`)}</title></g>`,
    );
  });
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const peak = Math.max(...s.points.map(([, v]) => v));
    parts.push(
      `<polyline class="series" data-points="${s.points.length}" fill="none" stroke="${color}" stroke-width="1.8" points="${pts}"><title>${escapeHtml(`${s.label}: max ${formatValue(peak, spec.unit)}`)}</title></polyline>`,
    );
    if (s.points.length === 1)
      parts.push(`<circle cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="3" fill="${color}"/>`);
  });
  const legend = series
    .map(
      (s, i) =>
        `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${escapeHtml(s.label)}</span>`,
    )
    .join('');
  return `<figure class="chart" data-points="${total}"><figcaption>${escapeHtml(spec.title)}${spec.unit ? ` <span class="muted">(${escapeHtml(spec.unit)})</span>` : ''}</figcaption><div class="legend">${legend}</div><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(spec.title)}"><line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}"/><line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>${parts.join('')}</svg></figure>`;
}

export interface Bar {
  label: string;
  value: number;
  note?: string;
}

/** Horizontal bars, for stage counts such as the movement funnel. */
export function barChart(title: string, bars: Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 30;
  const h = bars.length * rowH + 8;
  const left = 150;
  const pw = W - left - 140;
  const rows = bars
    .map((b, i) => {
      const w = Math.max(b.value > 0 ? 2 : 0, (b.value / max) * pw);
      const yy = 4 + i * rowH;
      return `<text class="tick" x="${left - 8}" y="${yy + 19}" text-anchor="end">${escapeHtml(b.label)}</text><rect class="bar" data-value="${b.value}" x="${left}" y="${yy + 4}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeHtml(`${b.label}: ${b.value}`)}</title></rect><text class="tick" x="${left + w + 6}" y="${yy + 19}">${escapeHtml(b.value.toLocaleString('en-US') + (b.note ? ` ${b.note}` : ''))}</text>`;
    })
    .join('');
  return `<figure class="chart" data-points="${bars.filter((b) => b.value > 0).length}"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${escapeHtml(title)}">${rows}</svg></figure>`;
}
