// Compares a run against a baseline, metric by metric and operation by operation, with
// tolerances per kind of figure widened by the noise each run shows over its seconds,
// so CI gates on real regressions and not on jitter.
import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRunFolder, readTimeseries, RunFolderError, type Summary, type Timeseries } from './run-folder.ts';
import { span, tagValues, trendOver, trendStat } from './series.ts';
import { CALIBRATION_FILE, type Calibration } from './calibration.ts';

export const BASELINE_KIND = 'cats-stress-baseline';

export interface Measured {
  label: string;
  summary: Summary;
  machine?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  /** Relative standard error of a figure, by row key, estimated from the run's seconds. */
  noise: Record<string, number>;
  /** Per-operation latency over the whole run from the time series' histograms (±1 %), for operations the summary has no sub-metric of. */
  operations: Record<string, { p50: number; p95: number; seconds: number; samples: number }>;
  /** Samples behind each latency trend (from the time series), by summary metric name. */
  samples: Record<string, number>;
  /** The host measured in the same job as the run, when it was (perf-ci --baseline). */
  calibration?: Calibration;
}

export interface Baseline {
  kind: typeof BASELINE_KIND;
  machineClass: string;
  recordedAt: string;
  run: string;
  machine?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  summary: Summary;
  noise: Record<string, number>;
  operations: Measured['operations'];
  samples: Measured['samples'];
  /** The recording host's calibration (harness/report/calibration.ts), so another host can scale the figures. */
  calibration?: Calibration;
}

type Better = 'lower' | 'higher';
interface Rule {
  /** allowed relative change in the bad direction */
  relative?: number;
  /** allowed absolute change in the bad direction (rates in share, latency in ms) */
  absolute?: number;
  better: Better;
}

/** Tolerances per figure: tail latencies are noisier than medians; failure shares are compared in points. */
export const RULES: Record<string, Rule> = {
  med: { relative: 0.2, absolute: 1, better: 'lower' },
  'p(95)': { relative: 0.25, absolute: 2, better: 'lower' },
  'p(99)': { relative: 0.35, absolute: 3, better: 'lower' },
  failed: { absolute: 0.005, better: 'lower' },
  checks: { absolute: 0.005, better: 'higher' },
  throughput: { relative: 0.1, better: 'higher' },
  dropped: { absolute: 10, better: 'lower' },
};

export type Verdict = 'regression' | 'improvement' | 'same' | 'missing' | 'new' | 'too few samples';
export interface Row {
  metric: string;
  stat: string;
  baseline: number;
  run: number;
  /** relative change (run − baseline) / baseline */
  change: number;
  tolerance: string;
  verdict: Verdict;
  unit: string;
  /** the noise of the runs set the tolerance, not the rule */
  widened?: boolean;
}
export interface Comparison {
  baseline: string;
  run: string;
  rows: Row[];
  regressions: number;
  notes: string[];
}

const LATENCY_TRENDS =
  /^(http_req_duration|ice_delivery_latency|movement_e2e_duration|notification_latency|movement_step_duration)(\{|$)/;

/** Robust relative standard error of a run-wide figure from its per-second values. */
function relativeError(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length < 3) return 0;
  const med = v[Math.floor(v.length / 2)]!;
  if (med <= 0) return 0;
  const dev = v.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
  const mad = dev[Math.floor(dev.length / 2)]!;
  return (1.4826 * mad) / med / Math.sqrt(v.length);
}

const STAT_OF: Record<string, 'p50' | 'p95' | 'p99'> = { med: 'p50', 'p(95)': 'p95', 'p(99)': 'p99' };

export function measure(
  label: string,
  summary: Summary,
  ts: Timeseries | undefined,
  machine?: Record<string, unknown>,
  settings?: Record<string, unknown>,
): Measured {
  const noise: Record<string, number> = {};
  const operations: Measured['operations'] = {};
  const samples: Measured['samples'] = {};
  if (ts) {
    for (const name of Object.keys(summary.metrics).filter((n) => LATENCY_TRENDS.test(n))) {
      const base = name.replace(/\{.*$/, '');
      const op = /operation:([^,}]+)/.exec(name)?.[1];
      const filter = op ? (k: { operation?: string }) => k.operation === op : undefined;
      for (const [stat, s] of Object.entries(STAT_OF))
        noise[`${name} ${stat}`] = relativeError(trendStat(ts, base, s, filter).map(([, v]) => v));
      // Only the operation selector splits a trend here; other selectors count the whole metric.
      samples[name] = trendStat(ts, base, 'n', filter).reduce((a, [, v]) => a + v, 0);
    }
    for (const op of tagValues(ts, 'http_req_duration', 'operation')) {
      const f = (k: { operation?: string }) => k.operation === op;
      const [from, to] = span(ts);
      const n = trendStat(ts, 'http_req_duration', 'n', f);
      const over = (s: 'p50' | 'p95') => trendOver(ts, 'http_req_duration', s, from, to, f);
      operations[op] = {
        p50: over('p50'),
        p95: over('p95'),
        seconds: n.length,
        samples: n.reduce((a, [, v]) => a + v, 0),
      };
      for (const s of ['p50', 'p95'] as const)
        noise[`op:${op} ${s}`] = relativeError(trendStat(ts, 'http_req_duration', s, f).map(([, v]) => v));
    }
  }
  return { label, summary, machine, settings, noise, operations, samples };
}

/** A run folder, a summary JSON file, or a baseline file written by `cats-stress baseline`. */
export async function loadMeasured(target: string): Promise<Measured> {
  if (!existsSync(target)) throw new RunFolderError(`${target}: no such run folder or file`);
  if (statSync(target).isDirectory()) {
    const run = await readRunFolder(target);
    const calibrationFile = path.join(run.dir, CALIBRATION_FILE);
    return {
      ...measure(
        String(run.settings?.runId ?? path.basename(run.dir)),
        run.summary,
        run.timeseries,
        run.machine,
        run.settings,
      ),
      calibration: existsSync(calibrationFile)
        ? (JSON.parse(await readFile(calibrationFile, 'utf8')) as Calibration)
        : undefined,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(await readFile(target, 'utf8'));
  } catch (err) {
    throw new RunFolderError(`${target}: not valid JSON (${(err as Error).message})`);
  }
  const obj = data as Partial<Baseline> & Partial<Summary>;
  if (obj.kind === BASELINE_KIND && obj.summary)
    return {
      label: `baseline ${obj.machineClass} (${obj.run})`,
      summary: obj.summary,
      machine: obj.machine,
      settings: obj.settings,
      noise: obj.noise ?? {},
      operations: obj.operations ?? {},
      samples: obj.samples ?? {},
      calibration: obj.calibration,
    };
  if (obj.metrics) {
    const dir = path.dirname(target);
    return measure(path.basename(target), obj as Summary, await readTimeseries(dir), undefined);
  }
  throw new RunFolderError(`${target}: neither a run folder, a summary JSON (with metrics) nor a baseline file`);
}

/** Fewest samples beyond a percentile for it to be judged: p99 of 100 requests is one request, not a tail. */
export const MIN_TAIL_SAMPLES = 5;
const TAIL: Record<string, number> = { 'p(95)': 0.05, 'p(99)': 0.01 };

function row(
  metric: string,
  stat: string,
  base: number | undefined,
  run: number | undefined,
  rule: Rule,
  noise: number,
  unit: string,
  samples?: number,
): Row {
  const tail = TAIL[stat.replace(' (time series)', '')];
  if (
    tail &&
    samples !== undefined &&
    samples * tail < MIN_TAIL_SAMPLES &&
    Number.isFinite(base) &&
    Number.isFinite(run)
  )
    return {
      metric,
      stat,
      baseline: base!,
      run: run!,
      change: (run! - base!) / Math.abs(base!),
      tolerance: `n<${Math.ceil(MIN_TAIL_SAMPLES / tail)}`,
      verdict: 'too few samples',
      unit,
    };
  if (base === undefined || !Number.isFinite(base))
    return { metric, stat, baseline: NaN, run: run ?? NaN, change: NaN, tolerance: '', verdict: 'new', unit };
  if (run === undefined || !Number.isFinite(run))
    return { metric, stat, baseline: base, run: NaN, change: NaN, tolerance: '', verdict: 'missing', unit };
  // Allowed change: the rule's, widened to three standard errors of the two runs' noise.
  const relative = Math.max(rule.relative ?? 0, 3 * noise);
  const allowed = Math.max(Math.abs(base) * relative, rule.absolute ?? 0);
  const worse = rule.better === 'lower' ? run - base : base - run;
  const verdict: Verdict = worse > allowed ? 'regression' : -worse > allowed ? 'improvement' : 'same';
  const tolerance = [
    relative ? `±${(relative * 100).toFixed(0)} %` : '',
    rule.absolute !== undefined && (!relative || allowed === rule.absolute)
      ? `±${rule.absolute}${unit ? ` ${unit}` : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    metric,
    stat,
    baseline: base,
    run,
    change: base === 0 ? (run === 0 ? 0 : Infinity) : (run - base) / Math.abs(base),
    tolerance,
    verdict,
    unit,
    widened: relative > (rule.relative ?? 0),
  };
}

const fewest = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);
/** Settings that change what a run measures; paths and identities of the run (run id, folders, times) are left out. */
const SETTINGS = ['scenario', 'rate', 'duration', 'stages', 'countries', 'workers', 'vus', 'maxVUs', 'engine', 'seed'];
const DATASET_SETTINGS = ['seed', 'movements', 'profile', 'year', 'defects'];
/** Script environment that only points at the run's own files. */
const RUN_PATHS = new Set(['DEPLOYMENT', 'DATASET']);

function comparableFacts(settings: Record<string, unknown>): Map<string, unknown> {
  const facts = new Map<string, unknown>();
  for (const key of SETTINGS) if (settings[key] !== undefined) facts.set(key, settings[key]);
  const dataset = settings.dataset as Record<string, unknown> | undefined;
  for (const key of DATASET_SETTINGS) if (dataset?.[key] !== undefined) facts.set(`dataset.${key}`, dataset[key]);
  const env = settings.env as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(env ?? {})) if (!RUN_PATHS.has(key)) facts.set(`env.${key}`, value);
  return facts;
}

export interface SettingDifference {
  key: string;
  /** undefined: that run did not record it */
  base?: unknown;
  run?: unknown;
}

/**
 * What makes two runs measure different things: scenario, load, length, seed, workers, engine…
 * from each run's settings.json. `undefined` when either side has no settings to compare.
 */
export function settingDifferences(base: Measured, run: Measured): SettingDifference[] | undefined {
  if (!base.settings || !run.settings) return undefined;
  const a = comparableFacts(base.settings);
  const b = comparableFacts(run.settings);
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)))
    .map((key) => ({ key, base: a.get(key), run: b.get(key) }));
}

export function describeDifference(d: SettingDifference): string {
  const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));
  return `${d.key}: ${show(d.base)} → ${show(d.run)}`;
}

/** {@link settingDifferences}, each as `key: base → run`. */
export function settingsDifferences(base: Measured, run: Measured): string[] | undefined {
  return settingDifferences(base, run)?.map(describeDifference);
}
const MACHINE_FACTS = ['cpus', 'cpuModel', 'memoryBytes', 'node', 'arch', 'platform'];

export function compare(base: Measured, run: Measured): Comparison {
  const rows: Row[] = [];
  const noiseOf = (key: string) => Math.hypot(base.noise[key] ?? 0, run.noise[key] ?? 0);
  const names = [...new Set([...Object.keys(base.summary.metrics), ...Object.keys(run.summary.metrics)])].sort();
  const val = (m: Measured, name: string, stat: string) => m.summary.metrics[name]?.values[stat];
  for (const name of names) {
    if (LATENCY_TRENDS.test(name)) {
      for (const stat of ['med', 'p(95)', 'p(99)']) {
        if (val(base, name, stat) === undefined && val(run, name, stat) === undefined) continue;
        rows.push(
          row(
            name,
            stat,
            val(base, name, stat),
            val(run, name, stat),
            RULES[stat]!,
            noiseOf(`${name} ${stat}`),
            'ms',
            fewest(base.samples[name], run.samples[name]),
          ),
        );
      }
    } else if (/^http_req_failed(\{|$)/.test(name))
      rows.push(row(name, 'rate', val(base, name, 'rate'), val(run, name, 'rate'), RULES.failed!, 0, ''));
    else if (name === 'checks')
      rows.push(row(name, 'rate', val(base, name, 'rate'), val(run, name, 'rate'), RULES.checks!, 0, ''));
    else if (/^(http_reqs|iterations)(\{|$)/.test(name)) {
      // Counts are Poisson: a rate from few events is noisy on its own.
      const poisson = Math.hypot(...[base, run].map((m) => 1 / Math.sqrt(Math.max(1, val(m, name, 'count') ?? 1))));
      rows.push(row(name, 'rate', val(base, name, 'rate'), val(run, name, 'rate'), RULES.throughput!, poisson, '/s'));
    } else if (name === 'dropped_iterations')
      rows.push(row(name, 'count', val(base, name, 'count') ?? 0, val(run, name, 'count') ?? 0, RULES.dropped!, 0, ''));
  }
  // Operations the thresholds did not select: from the time series' histograms.
  for (const op of [...new Set([...Object.keys(base.operations), ...Object.keys(run.operations)])].sort()) {
    if (base.summary.metrics[`http_req_duration{operation:${op}}`]) continue;
    for (const [stat, key] of [
      ['med', 'p50'],
      ['p(95)', 'p95'],
    ] as const)
      rows.push(
        row(
          `http_req_duration{operation:${op}}`,
          `${stat} (time series)`,
          base.operations[op]?.[key],
          run.operations[op]?.[key],
          RULES[stat]!,
          noiseOf(`op:${op} ${key}`),
          'ms',
          fewest(base.operations[op]?.samples, run.operations[op]?.samples),
        ),
      );
  }
  const notes: string[] = [];
  if (base.machine && run.machine) {
    const differ = MACHINE_FACTS.filter((f) => JSON.stringify(base.machine![f]) !== JSON.stringify(run.machine![f]));
    if (differ.length)
      notes.push(
        `machines differ (${differ.map((f) => `${f}: ${String(base.machine![f])} → ${String(run.machine![f])}`).join('; ')}): changes may come from the machine, not the code`,
      );
  } else notes.push('machine facts missing on one side: cannot tell whether both ran on the same class of machine');
  const differ = settingsDifferences(base, run);
  if (differ === undefined)
    notes.push('settings missing on one side: cannot tell whether both ran the same scenario and load');
  else if (differ.length)
    notes.unshift(
      `the runs are not comparable, their settings differ (${differ.join('; ')}): changes may come from the settings, not the code`,
    );
  const widened = rows.filter((r) => r.widened).length;
  if (widened)
    notes.push(
      `${widened} figure${widened > 1 ? 's' : ''} had their tolerance widened by the runs' own noise; a longer or steadier run gives a sharper verdict`,
    );
  const thin = rows.filter((r) => r.verdict === 'too few samples').length;
  if (thin)
    notes.push(
      `${thin} tail percentile${thin > 1 ? 's' : ''} not judged: fewer than ${MIN_TAIL_SAMPLES} samples beyond them; run longer or faster to gate on them`,
    );
  if (rows.some((r) => r.verdict === 'missing'))
    notes.push('figures missing in the run are not counted as regressions; check that the same scenario ran');
  return {
    baseline: base.label,
    run: run.label,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    notes,
  };
}

const fmt = (v: number, unit: string) =>
  Number.isFinite(v)
    ? `${v.toLocaleString('en-US', { maximumFractionDigits: unit === '' ? 4 : 2 })}${unit ? ` ${unit}` : ''}`
    : '–';
const pct = (v: number) =>
  Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %` : v === Infinity ? 'new > 0' : '–';
const MARK: Record<Verdict, string> = {
  regression: '✘ regression',
  improvement: '▲ improvement',
  same: '✔ same',
  missing: '? missing',
  new: '· new',
  'too few samples': '· too few samples',
};

function cells(r: Row): string[] {
  return [
    `${r.metric} ${r.stat}`,
    fmt(r.baseline, r.unit),
    fmt(r.run, r.unit),
    pct(r.change),
    r.tolerance,
    MARK[r.verdict],
  ];
}
const HEAD = ['figure', 'baseline', 'run', 'change', 'tolerance', 'verdict'];

function headline(c: Comparison): string {
  return c.regressions
    ? `FAIL: ${c.regressions} regression${c.regressions > 1 ? 's' : ''} against ${c.baseline}`
    : `PASS: no regression against ${c.baseline}`;
}

export function comparisonTable(c: Comparison): string {
  const rows = [HEAD, ...c.rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 || i >= 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `${c.run} vs ${c.baseline}`,
    '',
    ...rows.map(line),
    '',
    headline(c),
    ...c.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

export function comparisonMarkdown(c: Comparison): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const shown = c.rows.filter(
    (r) => r.verdict === 'regression' || r.verdict === 'improvement' || r.verdict === 'missing',
  );
  const table = (rows: Row[]) =>
    [
      `| ${HEAD.join(' | ')} |`,
      `|${HEAD.map((_, i) => (i === 0 || i >= 4 ? ' --- ' : ' ---: ')).join('|')}|`,
      ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    ].join('\n');
  return [
    `### cats-stress: ${esc(headline(c))}`,
    '',
    `Run \`${c.run}\` against \`${c.baseline}\`: ${c.rows.length} figures compared, ${c.regressions} regressed, ${c.rows.filter((r) => r.verdict === 'improvement').length} improved.`,
    '',
    shown.length ? table(shown) : '_Every figure within its tolerance._',
    '',
    `<details><summary>All figures</summary>\n\n${table(c.rows)}\n\n</details>`,
    ...c.notes.map((n) => `\n> ${esc(n)}`),
    '',
  ].join('\n');
}
