// The system under test's resource use (sut.ndjson): charts per part for the report, and
// which resource reached its limit first, for capacity.
import type { SutLine } from './sut-file.ts';
import type { Point } from './series.ts';
import { escapeHtml, formatValue, lineChart, type ChartEvent, type LineSeries } from './svg-chart.ts';

type Field = 'cpuCores' | 'rssBytes' | 'eventLoopLagP99Ms' | 'dbPoolWaiting' | 'queueDepth' | 'inFlight';

/** Limits past which a resource is saturated. */
export const SUT_LIMITS = {
  /** A Node process runs its JavaScript on one core. */
  cpuCores: 0.9,
  /** Past this, requests wait behind each other's callbacks. */
  eventLoopLagP99Ms: 50,
  /** Any query waiting for a connection means the pool is the bottleneck. */
  dbPoolWaiting: 0,
  /** Seconds in a row ICE's queue must grow to count as falling behind. */
  queueGrowthSeconds: 3,
};

export interface SutSaturation {
  part: string;
  resource: 'CPU' | 'DB pool' | 'event-loop lag' | 'ICE queue';
  value: number;
  /** Epoch second it was first seen. */
  t: number;
  detail: string;
}

export interface SutReading {
  /** The first resource past its limit up to the knee, or null when none was. */
  saturated: SutSaturation | null;
  /** Each part's highest CPU and event-loop lag over the same seconds. */
  busiest: string[];
}

const parts = (lines: SutLine[]) =>
  [...new Set(lines.map((l) => l.part))].sort((a, b) => (a === 'ICE' ? 1 : b === 'ICE' ? -1 : a.localeCompare(b)));

function perPart(lines: SutLine[], field: Field, scale = 1, label = (part: string) => part): LineSeries[] {
  return parts(lines)
    .map((part) => ({
      label: label(part),
      points: lines
        .filter((l) => l.part === part && typeof l[field] === 'number')
        .map((l): Point => [l.t, (l[field] as number) * scale]),
    }))
    .filter((s) => s.points.length > 0);
}

/** The report's "System under test" section; empty when the run did not sample its parts. */
export function sutSection(lines: SutLine[] | undefined, start: number, events: ChartEvent[] = []): string {
  if (!lines?.length) return '';
  const s = Number.isFinite(start) ? start : Math.min(...lines.map((l) => l.t));
  const charts = [
    lineChart({
      title: 'SUT CPU per part',
      unit: 'cores',
      series: perPart(lines, 'cpuCores'),
      marks: [{ label: 'one core: the limit of one Node process', value: 1 }],
      start: s,
      events,
    }),
    lineChart({
      title: 'SUT resident memory per part',
      unit: 'MB',
      series: perPart(lines, 'rssBytes', 1 / 2 ** 20),
      start: s,
      events,
    }),
    lineChart({
      title: 'SUT event-loop lag p99 per part',
      unit: 'ms',
      series: perPart(lines, 'eventLoopLagP99Ms'),
      marks: [{ label: `${SUT_LIMITS.eventLoopLagP99Ms} ms`, value: SUT_LIMITS.eventLoopLagP99Ms }],
      start: s,
      events,
    }),
    lineChart({
      title: 'SUT DB pool: queries waiting for a connection',
      unit: '',
      series: perPart(lines, 'dbPoolWaiting'),
      start: s,
      events,
    }),
  ];
  const ice = [...perPart(lines, 'queueDepth', 1, () => 'queued'), ...perPart(lines, 'inFlight', 1, () => 'in flight')];
  if (ice.length)
    charts.push(
      lineChart({ title: 'ICE queue: messages queued and in flight', unit: '', series: ice, start: s, events }),
    );
  const gaps = lines.filter((l) => l.gap).length;
  const note = gaps
    ? `<p class="muted">${gaps} of ${lines.length} scrapes of /metrics failed; those seconds are gaps.</p>`
    : '';
  return `<h2>System under test</h2><p class="muted">Each part's /metrics, sampled once a second (${escapeHtml(parts(lines).join(', '))}).</p>${note}${charts.join('\n')}`;
}

const fmt = (v: number, d: number) => v.toLocaleString('en-US', { maximumFractionDigits: d });

/** Which resource gave way first among the seconds [from, to]: the earliest second any part passed a limit. */
export function sutReading(lines: SutLine[], from: number, to: number): SutReading {
  const seen = lines.filter((l) => !l.gap && l.t >= from && l.t <= to).sort((a, b) => a.t - b.t);
  const found: SutSaturation[] = [];
  const growing = new Map<string, { last: number; run: number }>();
  for (const l of seen) {
    if (l.cpuCores !== undefined && l.cpuCores >= SUT_LIMITS.cpuCores)
      found.push({
        part: l.part,
        resource: 'CPU',
        value: l.cpuCores,
        t: l.t,
        detail: `${l.part} CPU at ${fmt(l.cpuCores, 2)} cores (one core is the limit of a single Node process)`,
      });
    if (l.dbPoolWaiting !== undefined && l.dbPoolWaiting > SUT_LIMITS.dbPoolWaiting)
      found.push({
        part: l.part,
        resource: 'DB pool',
        value: l.dbPoolWaiting,
        t: l.t,
        detail: `${l.part} DB pool waiting > 0: ${l.dbPoolWaiting} queries waited for one of its ${l.dbPoolTotal ?? '?'} connections`,
      });
    if (l.eventLoopLagP99Ms !== undefined && l.eventLoopLagP99Ms > SUT_LIMITS.eventLoopLagP99Ms)
      found.push({
        part: l.part,
        resource: 'event-loop lag',
        value: l.eventLoopLagP99Ms,
        t: l.t,
        detail: `${l.part} event-loop lag p99 ${fmt(l.eventLoopLagP99Ms, 0)} ms > ${SUT_LIMITS.eventLoopLagP99Ms} ms: requests wait behind each other's work`,
      });
    if (l.queueDepth !== undefined) {
      const g = growing.get(l.part);
      const run = g && l.queueDepth > g.last ? g.run + 1 : 0;
      growing.set(l.part, { last: l.queueDepth, run });
      if (run === SUT_LIMITS.queueGrowthSeconds)
        found.push({
          part: l.part,
          resource: 'ICE queue',
          value: l.queueDepth,
          t: l.t,
          detail: `ICE queue growing for ${run} s to ${l.queueDepth} messages: deliveries fall behind submissions`,
        });
    }
  }
  const busiest = parts(seen).map((part) => {
    const mine = seen.filter((l) => l.part === part);
    const max = (f: Field) => Math.max(-Infinity, ...mine.map((l) => (l[f] as number | undefined) ?? -Infinity));
    const figures = [
      `CPU ≤ ${formatValue(max('cpuCores'), 'cores')}`,
      `event-loop lag p99 ≤ ${formatValue(max('eventLoopLagP99Ms'), 'ms')}`,
    ];
    if (mine.some((l) => l.dbPoolWaiting !== undefined))
      figures.push(`DB pool waiting ≤ ${formatValue(max('dbPoolWaiting'), '')}`);
    if (mine.some((l) => l.queueDepth !== undefined)) figures.push(`queue ≤ ${formatValue(max('queueDepth'), '')}`);
    return `${part}: ${figures.join(', ')}`;
  });
  return { saturated: found[0] ?? null, busiest };
}
