// Capacity of a deployment: the highest CTD submission rate it sustained within the SLOs,
// from one run (sliding windows over its seconds) or several runs at stepped rates (each
// run one step), set against the corridor's projected demand.
import { Dataset, PILOT_COUNTRIES } from '../../generators/dataset.ts';
import { RunFolderError, type RunFolder } from './run-folder.ts';
import { counterPerSecond, ratePasses, trendOver, type Point } from './series.ts';
import type { Timeseries } from './run-folder.ts';
import { escapeHtml, formatValue, lineChart } from './svg-chart.ts';
import { sutReading, type SutReading } from './sut-resources.ts';

export interface Slo {
  /** ms, CTD submission latency */
  p95: number;
  p99: number;
  /** share of failed CTD submissions */
  errorRate: number;
}
export const DEFAULT_SLO: Slo = { p95: 250, p99: 500, errorRate: 0.01 };

export interface Step {
  label: string;
  /** CTD submissions per second achieved */
  rate: number;
  p95: number;
  p99: number;
  errorRate: number;
  dropped: number;
  /** Submissions refused by the business rules (the data set's guarantees ran out): not failures, not in errorRate. */
  refused: number;
  /** first SLO the step broke, or null */
  broke: 'latency p95' | 'latency p99' | 'errors' | 'load generator' | null;
  /** epoch s (windows only) */
  t?: number;
}

export interface Demand {
  year: number;
  countries: string[];
  annualMovements: number;
  averageDay: number;
  peakDay: number;
  peakHour: number;
  peakPerSecond: number;
  annualGrowth: number;
}

export interface CapacityResult {
  runs: string[];
  method: 'windows' | 'steps';
  windowSeconds?: number;
  slo: Slo;
  steps: Step[];
  sustained: { ctdsPerSecond: number; movementsPerHour: number; movementsPerDay: number; step: string } | null;
  demand: Demand;
  headroom: { factor: number; yearsOfGrowth: number } | null;
  /** What gave way first above the sustained rate. */
  saturation: { step: string; broke: string; detail: string } | null;
  /** From the parts' /metrics (sut.ndjson), when the run sampled them: the resource that gave way first up to the knee. */
  resource?: SutReading;
  /** Submissions refused by the business rules over the run(s), shown apart from failures. */
  refused?: number;
  notes: string[];
}

const SUBMIT = (k: { operation?: string }) => k.operation === 'ctd_submit';

function judge(s: Omit<Step, 'broke'>, slo: Slo): Step['broke'] {
  // Dropped iterations usually follow from slow answers, so the node's own figures are named first.
  if (s.errorRate > slo.errorRate) return 'errors';
  if (s.p95 > slo.p95) return 'latency p95';
  if (s.p99 > slo.p99) return 'latency p99';
  if (s.dropped > 0) return 'load generator';
  return null;
}

const at = (points: Point[]) => new Map(points);

/**
 * Per second: CTD submissions that failed (a system failure) and those refused by the business
 * rules (GUARANTEE_INSUFFICIENT: the data set's guarantees ran out). The load scenarios record
 * refusals as `ctd_refused` and never as failed requests; a run of an older script counted
 * them in http_req_failed as 409s and in `ctd_rejected`, so those are taken back out.
 */
function submissionOutcomes(ts: Timeseries): { failed: Map<number, number>; refused: Map<number, number> } {
  const failedAll = at(ratePasses(ts, 'http_req_failed', SUBMIT));
  const failed409 = at(ratePasses(ts, 'http_req_failed', (k) => SUBMIT(k) && k.status === '409'));
  const refusedNew = at(counterPerSecond(ts, 'ctd_refused'));
  const refusedOld = at(counterPerSecond(ts, 'ctd_rejected', (k) => k.code === 'GUARANTEE_INSUFFICIENT'));
  const failed = new Map<number, number>();
  const refused = new Map<number, number>();
  for (const t of new Set([...failedAll.keys(), ...refusedNew.keys(), ...refusedOld.keys()])) {
    const counted = Math.min(failed409.get(t) ?? 0, refusedOld.get(t) ?? 0);
    failed.set(t, (failedAll.get(t) ?? 0) - counted);
    refused.set(t, (refusedNew.get(t) ?? 0) + counted);
  }
  return { failed, refused };
}

/** Sliding windows over one run's seconds, each judged on all its submissions: the busiest window within the SLOs is the capacity. */
function windowSteps(run: RunFolder, slo: Slo, windowSeconds: number): Step[] {
  const ts = run.timeseries;
  if (!ts)
    throw new RunFolderError(
      `${run.dir}: no time series; capacity from one run needs timeseries.ndjson or samples.json.gz`,
    );
  const submits = counterPerSecond(ts, 'http_reqs', SUBMIT);
  const { failed, refused } = submissionOutcomes(ts);
  const dropped = at(counterPerSecond(ts, 'dropped_iterations'));
  const steps: Step[] = [];
  for (let i = 0; i + windowSeconds <= submits.length; i++) {
    const win = submits.slice(i, i + windowSeconds);
    const secs = win.map(([t]) => t);
    const count = win.reduce((a, [, v]) => a + v, 0);
    if (count === 0) continue;
    const s = {
      label: `${secs[0]! - submits[0]![0]}–${secs[secs.length - 1]! - submits[0]![0] + 1} s`,
      t: secs[0],
      rate: count / windowSeconds,
      p95: trendOver(ts, 'http_req_duration', 'p95', secs[0]!, secs[secs.length - 1]!, SUBMIT),
      p99: trendOver(ts, 'http_req_duration', 'p99', secs[0]!, secs[secs.length - 1]!, SUBMIT),
      errorRate: secs.reduce((a, t) => a + (failed.get(t) ?? 0), 0) / count,
      dropped: secs.reduce((a, t) => a + (dropped.get(t) ?? 0), 0),
      refused: secs.reduce((a, t) => a + (refused.get(t) ?? 0), 0),
    };
    steps.push({ ...s, broke: judge(s, slo) });
  }
  return steps;
}

/** Each run one step, judged on its summary. */
export function runStep(run: RunFolder, slo: Slo): Step {
  const m = run.summary.metrics;
  const dur = m['http_req_duration{operation:ctd_submit}'] ?? m.http_req_duration;
  const reqs = m['http_reqs{operation:ctd_submit}'] ?? m.http_reqs;
  const failed = m['http_req_failed{operation:ctd_submit}'] ?? m.http_req_failed;
  // Submissions per second from the time series when the summary has no sub-metric for them.
  const seconds = (run.summary.state?.testRunDurationMs ?? 0) / 1000;
  const fromSeries =
    run.timeseries && seconds > 0
      ? counterPerSecond(run.timeseries, 'http_reqs', SUBMIT).reduce((a, [, v]) => a + v, 0) / seconds
      : undefined;
  // From the seconds when there are any, so refusals an older script counted as failures are taken out.
  let fromSeconds: { errorRate: number; refused: number } | undefined;
  if (run.timeseries) {
    const count = counterPerSecond(run.timeseries, 'http_reqs', SUBMIT).reduce((a, [, v]) => a + v, 0);
    const { failed, refused } = submissionOutcomes(run.timeseries);
    const sum = (m: Map<number, number>) => [...m.values()].reduce((a, v) => a + v, 0);
    if (count > 0) fromSeconds = { errorRate: sum(failed) / count, refused: sum(refused) };
  }
  const s = {
    label: String(run.settings?.runId ?? run.dir.split('/').pop()),
    rate: m['http_reqs{operation:ctd_submit}'] ? reqs!.values.rate! : (fromSeries ?? reqs?.values.rate ?? 0),
    p95: dur?.values['p(95)'] ?? NaN,
    p99: dur?.values['p(99)'] ?? NaN,
    errorRate: fromSeconds?.errorRate ?? failed?.values.rate ?? 0,
    dropped: m.dropped_iterations?.values.count ?? 0,
    refused: fromSeconds?.refused ?? m.ctd_refused?.values.count ?? 0,
  };
  return { ...s, broke: judge(s, slo) };
}

/** Projected corridor demand for the countries and year, from the generators' traffic model. */
function projectedDemand(countries: string[], year: number): Demand {
  const ds = new Dataset({
    seed: 'capacity',
    movements: 0,
    profile: 'peak-day',
    defects: 0,
    countries: countries as (typeof PILOT_COUNTRIES)[number][],
    year,
  });
  const annual = ds.model.projectedAnnual();
  return {
    year,
    countries,
    annualMovements: Math.round(annual),
    averageDay: annual / 365,
    peakDay: ds.expected,
    peakHour: ds.yearPeak().ctdsPerHour,
    peakPerSecond: ds.yearPeak().ctdsPerSecond,
    annualGrowth: 0.12,
  };
}

export function capacityOf(
  runs: RunFolder[],
  opts: { slo?: Slo; windowSeconds?: number; demand?: Demand } = {},
): CapacityResult {
  const slo = opts.slo ?? DEFAULT_SLO;
  const windowSeconds = opts.windowSeconds ?? 10;
  const method = runs.length === 1 ? 'windows' : 'steps';
  const steps =
    method === 'windows'
      ? windowSteps(runs[0]!, slo, windowSeconds)
      : runs.map((r) => runStep(r, slo)).sort((a, b) => a.rate - b.rate);
  const notes: string[] = [];
  const settings = runs[0]!.settings ?? {};
  const manifest = runs[0]!.manifest as { rates?: { annualGrowth?: number } } | undefined;
  const countries = (settings.countries as string[] | undefined) ?? [...PILOT_COUNTRIES];
  const year = ((settings.dataset as { year?: number } | undefined)?.year ?? 2026) as number;
  const demand = opts.demand ?? projectedDemand(countries, year);
  if (manifest?.rates?.annualGrowth) demand.annualGrowth = manifest.rates.annualGrowth;
  const good = steps.filter((s) => s.broke === null);
  const best = good.reduce<Step | undefined>((a, s) => (!a || s.rate > a.rate ? s : a), undefined);
  // Movements per day at the sustained rate: the peak hour is what must fit, so a day
  // carries the peak-hour rate times the peak day's volume per peak hour.
  const dayPerPeakHour = demand.peakDay / demand.peakHour;
  const sustained = best
    ? {
        ctdsPerSecond: best.rate,
        movementsPerHour: best.rate * 3600,
        movementsPerDay: best.rate * 3600 * dayPerPeakHour,
        step: best.label,
      }
    : null;
  const factor = best ? best.rate / demand.peakPerSecond : NaN;
  const headroom = best
    ? { factor, yearsOfGrowth: factor > 1 ? Math.log(factor) / Math.log(1 + demand.annualGrowth) : 0 }
    : null;
  const above = best
    ? steps.filter((s) => s.broke !== null && s.rate > best.rate).sort((a, b) => (a.t ?? a.rate) - (b.t ?? b.rate))
    : steps.filter((s) => s.broke);
  const first = above[0];
  const saturation = first
    ? {
        step: first.label,
        broke: first.broke!,
        detail:
          first.broke === 'load generator'
            ? `${first.dropped} iterations dropped: the load generator ran out of VUs, so the rate offered was not the rate planned`
            : first.broke === 'errors'
              ? `${(first.errorRate * 100).toFixed(2)} % of CTD submissions failed (SLO ≤ ${(slo.errorRate * 100).toFixed(2)} %)`
              : `CTD submission ${first.broke} ${first.broke === 'latency p95' ? first.p95.toFixed(1) : first.p99.toFixed(1)} ms (SLO ${first.broke === 'latency p95' ? slo.p95 : slo.p99} ms) at ${first.rate.toFixed(1)} CTDs/s`,
      }
    : null;
  if (!best) notes.push('No window or step met the SLOs: the capacity is below the lowest rate tried.');
  if (!first)
    notes.push(
      'No rate tried broke an SLO: the capacity is at least the figure shown; push the breakpoint further to find the knee.',
    );
  const refused = steps.reduce((a, s) => a + (method === 'windows' ? 0 : s.refused), 0);
  const refusedInRun =
    method === 'windows' && runs[0]!.timeseries
      ? [...submissionOutcomes(runs[0]!.timeseries).refused.values()].reduce((a, v) => a + v, 0)
      : refused;
  if (refusedInRun > 0)
    notes.push(
      `${n(refusedInRun, 0)} CTD submission(s) refused by the business rules (GUARANTEE_INSUFFICIENT, GUARANTEE_ALREADY_USED: the data set's guarantees ran out), counted apart and not as failures; size the data set to the run (rate × duration) so every submission meets a guarantee with room.`,
    );
  const resource = resourceAtKnee(runs, method, steps, first, windowSeconds);
  if (!resource)
    notes.push(
      "Saturation is seen from the client side (latency, errors, load-generator limits): the run has no sut.ndjson, so the resource behind it is read from the parts' /metrics dashboards.",
    );
  else if (!resource.saturated)
    notes.push(
      `No SUT resource passed its limit (CPU ≥ 0.9 cores, event-loop lag p99 > 50 ms, DB pool waiting > 0, ICE queue growing) up to ${first ? 'the knee' : 'the end of the run'}; the limit lies elsewhere (network, the load generator, PostgreSQL itself).`,
    );
  return {
    runs: runs.map((r) => r.dir),
    method,
    windowSeconds: method === 'windows' ? windowSeconds : undefined,
    slo,
    steps,
    sustained,
    demand,
    headroom,
    saturation,
    ...(resource ? { resource } : {}),
    refused: refusedInRun,
    notes,
  };
}

/**
 * The SUT's resources up to the knee: for one run, from its start to the end of the first
 * window that broke an SLO; for stepped runs, over the first run that broke one (or the
 * busiest run when none did).
 */
function resourceAtKnee(
  runs: RunFolder[],
  method: CapacityResult['method'],
  steps: Step[],
  first: Step | undefined,
  windowSeconds: number,
): SutReading | undefined {
  if (method === 'windows') {
    const sut = runs[0]!.sut;
    if (!sut?.length) return undefined;
    return sutReading(sut, -Infinity, first?.t !== undefined ? first.t + windowSeconds - 1 : Infinity);
  }
  const step = first ?? steps[steps.length - 1];
  const run = runs.find((r) => String(r.settings?.runId ?? r.dir.split('/').pop()) === step?.label);
  return run?.sut?.length ? sutReading(run.sut, -Infinity, Infinity) : undefined;
}

const n = (v: number, d = 1) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d }) : '–');

export function capacityLines(c: CapacityResult): string[] {
  const lines: string[] = [];
  lines.push(
    `SLO: CTD submission p95 ≤ ${c.slo.p95} ms, p99 ≤ ${c.slo.p99} ms, failures ≤ ${(c.slo.errorRate * 100).toFixed(2)} %${c.method === 'windows' ? `, over ${c.windowSeconds} s windows` : ', per run'}`,
  );
  if (c.sustained) {
    lines.push(
      `sustained:  ${n(c.sustained.ctdsPerSecond, 2)} CTDs/s (${c.sustained.step}) = ${n(c.sustained.movementsPerHour, 0)} movements/h = ${n(c.sustained.movementsPerDay, 0)} movements/day at the corridor's daily profile`,
    );
  } else lines.push('sustained:  none (no window met the SLOs)');
  const d = c.demand;
  lines.push(
    `demand ${d.year} (${d.countries.join(',')}): ${n(d.annualMovements, 0)} movements/yr, peak day ${n(d.peakDay, 0)}, peak hour ${n(d.peakHour, 0)} (${n(d.peakPerSecond, 4)} CTDs/s)`,
  );
  if (c.headroom)
    lines.push(
      `headroom:   ×${n(c.headroom.factor, 0)} the projected peak hour = ${n(c.headroom.yearsOfGrowth, 0)} years of growth at ${(d.annualGrowth * 100).toFixed(0)} %/yr`,
    );
  lines.push(
    `refused:    ${n(c.refused ?? 0, 0)} CTD submission(s) by the business rules (the data set's guarantees ran out), apart from failures`,
  );
  if (c.saturation) lines.push(`first limit: ${c.saturation.broke} (${c.saturation.step}): ${c.saturation.detail}`);
  if (c.resource?.saturated)
    lines.push(`first resource: ${c.resource.saturated.resource}: ${c.resource.saturated.detail}`);
  if (c.resource)
    lines.push(`SUT ${c.saturation ? 'up to the knee' : 'over the run'}: ${c.resource.busiest.join('; ')}`);
  for (const note of c.notes) lines.push(`note: ${note}`);
  return lines;
}

export function capacitySection(c: CapacityResult): string {
  const start = c.steps[0]?.t ?? 0;
  const chart =
    c.method === 'windows'
      ? lineChart({
          title: `CTD submissions sustained per ${c.windowSeconds} s window`,
          unit: '/s',
          series: [
            { label: 'windows within the SLOs', points: c.steps.map((s) => [s.t!, s.broke ? NaN : s.rate]) },
            { label: 'windows breaking an SLO', points: c.steps.map((s) => [s.t!, s.broke ? s.rate : NaN]) },
          ],
          start,
        })
      : `<table><thead><tr><th>run</th><th>CTDs/s</th><th>p95</th><th>p99</th><th>failed</th><th>refused (business rules)</th><th>verdict</th></tr></thead><tbody>${c.steps
          .map(
            (s) =>
              `<tr class="${s.broke ? 'fail' : 'ok'}"><td>${escapeHtml(s.label)}</td><td>${n(s.rate, 2)}</td><td>${formatValue(s.p95, 'ms')}</td><td>${formatValue(s.p99, 'ms')}</td><td>${(s.errorRate * 100).toFixed(2)} %</td><td>${n(s.refused, 0)}</td><td>${escapeHtml(s.broke ?? 'within SLOs')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h2>Capacity</h2><ul>${capacityLines(c)
    .map((l) => `<li>${escapeHtml(l)}</li>`)
    .join('')}</ul>${chart}`;
}
