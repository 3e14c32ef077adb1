// A/B comparison of several runs per side (base revision against candidate, interleaved
// on one machine): the figures each run folder gives, each judged by the A/B statistics,
// the table and pull-request comment, and the exit code of the verdict.
import {
  formatChange,
  holm,
  judge,
  roundChanges,
  type AbVerdict,
  type FigureRule,
  type Judgement,
} from './ab-statistics.ts';
import { PRIMARY_SHARE, primaryFirst, signFlipAdjusted } from './ab-paired.ts';
import type { RunFolder } from './run-folder.ts';
import type { SutLine } from './sut-file.ts';
import { trendStat } from './series.ts';

/** One figure of one run, with the samples behind it when it is a percentile. */
export interface RunFigure {
  value: number;
  samples?: number;
}
export type RunFigures = Record<string, RunFigure>;

export interface FigureDefinition extends FigureRule {
  name: string;
  unit: string;
  /** A tail percentile: judged only with at least MIN_TAIL_SAMPLES beyond it in every run. */
  tail?: number;
  /** Judged round by round, tested ahead of the other figures ({@link primaryFirst}). */
  primary?: boolean;
}

/** Fewest samples beyond a percentile in every run for it to be gated. */
export const MIN_TAIL_SAMPLES = 5;

export const SUBMIT = 'http_req_duration{operation:ctd_submit}';

/** The figures perf-ci gates on. Shares are compared in points, the rest as ratios of medians. */
export const AB_FIGURES: FigureDefinition[] = [
  { name: 'CTD submission latency median', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1 },
  { name: 'CTD submission latency p95', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1, tail: 0.05 },
  { name: 'CTD submission latency p99', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1, tail: 0.01 },
  { name: 'CTDs accepted per second', unit: '/s', better: 'higher', effect: 'ratio', minEffect: 0.1 },
  { name: 'CTD submission error share', unit: '', better: 'lower', effect: 'difference', minEffect: 0.005 },
  { name: 'CTD lodging time at the nodes', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1 },
  // What a node spends lodging a CTD: the server's side of submission latency. The median, which a few slow
  // lodgings (a pause of the collector, a busy neighbour) do not move as they move the mean.
  { name: 'CTD lodging time at the nodes, median', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1 },
  // A lodging's time is its own work and its waits (for the CPU, the event loop, PostgreSQL). A slower
  // revision lengthens the work and so every quantile; the waits, the noise of a shared machine, swell the
  // upper ones. The lower quartile, the lodgings that waited least, shows the work with the least noise.
  {
    name: 'CTD lodging time at the nodes, lower quartile',
    unit: 'ms',
    better: 'lower',
    effect: 'ratio',
    minEffect: 0.1,
    primary: true,
  },
  { name: 'ICE delivery latency median', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1 },
  { name: 'ICE delivery latency mean', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1 },
  { name: 'SUT CPU per CTD', unit: 'ms', better: 'lower', effect: 'ratio', minEffect: 0.1 },
];

/** The figures of one run folder; a figure the run did not produce is left out. */
export function abFigures(run: Pick<RunFolder, 'summary' | 'sut' | 'timeseries' | 'ice'>): RunFigures {
  const m = run.summary.metrics;
  const out: RunFigures = {};
  const put = (name: string, value: number | undefined, samples?: number) => {
    if (value !== undefined && Number.isFinite(value)) out[name] = { value, samples };
  };
  // From the summary's sub-metric when the scenario selects it, else from the time series.
  const submissions =
    m['http_reqs{operation:ctd_submit}']?.values.count ??
    (run.timeseries
      ? trendStat(run.timeseries, 'http_req_duration', 'n', (k) => k.operation === 'ctd_submit').reduce(
          (a, [, v]) => a + v,
          0,
        )
      : undefined);
  put('CTD submission latency median', m[SUBMIT]?.values.med);
  put('CTD submission latency p95', m[SUBMIT]?.values['p(95)'], submissions);
  put('CTD submission latency p99', m[SUBMIT]?.values['p(99)'], submissions);
  put('CTDs accepted per second', m.ctd_accepted?.values.rate);
  put('CTD submission error share', m['http_req_failed{operation:ctd_submit}']?.values.rate);
  const lodging = run.sut && sutLodging(run.sut);
  if (lodging) put('CTD lodging time at the nodes', (lodging.seconds * 1000) / lodging.count, lodging.count);
  const lodgingMedian = run.sut && sutLodgingQuantile(run.sut, 0.5);
  if (lodgingMedian) put('CTD lodging time at the nodes, median', lodgingMedian.seconds * 1000, lodgingMedian.count);
  const lodgingQuartile = run.sut && sutLodgingQuantile(run.sut, 0.25);
  if (lodgingQuartile)
    put('CTD lodging time at the nodes, lower quartile', lodgingQuartile.seconds * 1000, lodgingQuartile.count);
  // The scenario's own measure when it has one; ICE's histogram (storage to acknowledgement) in every run with ICE.
  put('ICE delivery latency median', m.ice_delivery_latency?.values.med);
  const ice = run.ice?.deliveryLatency;
  if (ice && ice.count > 0) put('ICE delivery latency mean', (ice.sumSeconds * 1000) / ice.count, ice.count);
  if (run.sut?.some((l) => typeof l.cpuCores === 'number') && submissions)
    put('SUT CPU per CTD', (sutCpuSeconds(run.sut) * 1000) / submissions);
  return out;
}

/**
 * CPU seconds the parts used over the run, from sut.ndjson. Each line's `cpuCores` is the
 * rate since that part's previous answered scrape: after a failed one (a gap, common on a
 * loaded machine) it covers more than one second, so each rate counts for the seconds
 * since the part's previous answered line.
 */
export function sutCpuSeconds(lines: SutLine[]): number {
  const previous = new Map<string, number>();
  let seconds = 0;
  for (const l of lines) {
    if (l.gap) continue;
    const before = previous.get(l.part);
    if (typeof l.cpuCores === 'number') seconds += l.cpuCores * (before === undefined ? 1 : Math.max(1, l.t - before));
    previous.set(l.part, l.t);
  }
  return seconds;
}

/**
 * The CTD lodgings the nodes accepted over the run and their summed time, as each node timed
 * them from request to response: the server's side of submission latency, without the
 * client's and the network's share. Undefined when no node reported lodgings.
 */
export function sutLodging(lines: SutLine[]): { count: number; seconds: number } | undefined {
  let count = 0;
  let seconds = 0;
  for (const l of lines) {
    if (l.gap || l.lodged === undefined || l.lodgingSeconds === undefined) continue;
    count += l.lodged;
    seconds += l.lodgingSeconds;
  }
  return count > 0 ? { count, seconds } : undefined;
}

/**
 * A quantile of the lodging times of every node over the run, from the nodes' lodging-time
 * histograms in sut.ndjson, interpolated within its bucket as Prometheus's histogram_quantile
 * does (the highest finite bound when it falls beyond). Undefined when no node gave them.
 */
export function sutLodgingQuantile(lines: SutLine[], q: number): { count: number; seconds: number } | undefined {
  const cumulative = new Map<number, number>();
  for (const l of lines) {
    if (l.gap || !l.lodgingBuckets) continue;
    for (const [le, n] of Object.entries(l.lodgingBuckets)) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      cumulative.set(bound, (cumulative.get(bound) ?? 0) + n);
    }
  }
  const count = cumulative.get(Infinity) ?? 0;
  if (count === 0) return undefined;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const bound of [...cumulative.keys()].sort((a, b) => a - b)) {
    const n = cumulative.get(bound)!;
    if (n >= rank) {
      if (bound === Infinity) break;
      return { count, seconds: n === below ? bound : lower + ((bound - lower) * (rank - below)) / (n - below) };
    }
    lower = bound;
    below = n;
  }
  return { count, seconds: lower };
}

export type FigureVerdict = AbVerdict | 'not gated';

export interface AbRow {
  figure: FigureDefinition;
  judgement: Judgement;
  verdict: FigureVerdict;
  reason: string;
}

export interface AbComparison {
  base: string;
  candidate: string;
  rows: AbRow[];
  regressions: number;
  /** Gated figures that could not be judged. */
  unjudged: number;
  /** The minimum effect asked for (a figure's own widens with its runs' scatter). */
  minEffect: number;
  /** The sides ran with different settings (each `key: base → candidate`): no verdict on the code. */
  notComparable?: string[];
  notes: string[];
}

export interface AbOptions {
  alpha?: number;
  minEffect?: number;
  /** See {@link JudgeOptions.noiseFactor}. */
  noiseFactor?: number;
  /** The i-th run of each side ran in round i (a run that failed: an empty entry): judged round by round. */
  paired?: boolean;
}

/** Judges every figure that both sides produced over their runs. */
export function compareSides(
  labels: { base: string; candidate: string },
  base: RunFigures[],
  candidate: RunFigures[],
  opts: AbOptions = {},
): AbComparison {
  interface Pending {
    figure: FigureDefinition;
    a: number[];
    b: number[];
    /** Why the figure is reported only, when it is. */
    notGated?: (j: Judgement) => string;
  }
  const pending: Pending[] = [];
  const paired = opts.paired === true && base.length === candidate.length;
  for (const figure of AB_FIGURES) {
    const a = base.map((r) => r[figure.name]).filter((f): f is RunFigure => f !== undefined);
    const b = candidate.map((r) => r[figure.name]).filter((f): f is RunFigure => f !== undefined);
    if (a.length === 0 && b.length === 0) continue;
    // Paired: one value per round on each side, NaN where that run gave none.
    const byRound = (runs: RunFigures[]) => runs.map((r) => r[figure.name]?.value ?? NaN);
    const item: Pending = paired
      ? { figure, a: byRound(base), b: byRound(candidate) }
      : { figure, a: a.map((f) => f.value), b: b.map((f) => f.value) };
    if (a.length === 0 || b.length === 0) {
      // A figure one revision does not produce (e.g. a base from before it was measured) cannot block a change.
      item.notGated = () => `reported, not gated: only the ${a.length ? 'base' : 'candidate'} runs measured it`;
    } else if (figure.tail) {
      const fewest = Math.min(...[...a, ...b].map((f) => f.samples ?? 0));
      if (fewest * figure.tail < MIN_TAIL_SAMPLES)
        item.notGated = (j) =>
          `reported, not gated: a run had ${fewest} samples, fewer than ${Math.ceil(MIN_TAIL_SAMPLES / figure.tail!)} (${MIN_TAIL_SAMPLES} beyond the percentile); ${j.verdict === 'could not judge' ? j.reason : `${formatChange(figure, j.change)}`}`;
    }
    pending.push(item);
  }
  // The gated figures are one family: the adjustment keeps the chance of any false regression among them at α.
  const gated = pending.filter((p) => !p.notGated);
  const familySize = gated.length;
  const primary = paired && familySize > 1 ? gated.find((p) => p.figure.primary) : undefined;
  const alpha = opts.alpha ?? 0.05;
  const judgeOpts = {
    ...opts,
    paired,
    familySize,
    // Each figure is first tested at its share of α: a verdict needs rounds enough to reach that.
    reach: primary ? alpha * Math.min(PRIMARY_SHARE, 1 - PRIMARY_SHARE) : undefined,
    adjustedBy: primary ? `${primary.figure.name} first, the rest by flipping rounds` : undefined,
  };
  const first = new Map(pending.map((p) => [p, judge(p.a, p.b, p.figure, { ...judgeOpts, seed: p.figure.name })]));
  const testable = gated.filter((p) => Number.isFinite(first.get(p)!.pWorse));
  const adjusted = new Map<Pending, number>();
  if (!paired) {
    const family = holm(testable.map((p) => first.get(p)!.pWorse));
    testable.forEach((p, i) => adjusted.set(p, family[i]!));
  } else {
    // Sign flips of whole rounds respect how the figures move together; the primary figure goes first.
    const lead = testable.find((p) => p === primary);
    const others = testable.filter((p) => p !== lead);
    const family = signFlipAdjusted(others.map((p) => worseChanges(p.a, p.b, p.figure)));
    let othersAdjusted = family;
    if (lead) {
      const split = primaryFirst(first.get(lead)!.pWorse, family);
      adjusted.set(lead, split.primary);
      othersAdjusted = split.others;
    }
    others.forEach((p, i) => adjusted.set(p, othersAdjusted[i]!));
  }
  const rows: AbRow[] = pending.map((p) => {
    const judgement = adjusted.has(p)
      ? judge(p.a, p.b, p.figure, { ...judgeOpts, seed: p.figure.name, pWorseAdjusted: adjusted.get(p) })
      : first.get(p)!;
    if (p.notGated) return { figure: p.figure, judgement, verdict: 'not gated', reason: p.notGated(judgement) };
    return { figure: p.figure, judgement, verdict: judgement.verdict, reason: judgement.reason };
  });
  const notes: string[] = [];
  if (rows.some((r) => r.verdict === 'not gated'))
    notes.push('tail percentiles from too few samples are reported, not gated: run longer or faster to gate on them');
  return {
    base: labels.base,
    candidate: labels.candidate,
    rows,
    regressions: rows.filter((r) => r.verdict === 'regression').length,
    unjudged: rows.filter((r) => r.verdict === 'could not judge').length,
    minEffect: opts.minEffect ?? 0.1,
    notes,
  };
}

/** Each round's change of a figure ({@link roundChanges}), oriented so that positive is worse. */
function worseChanges(base: number[], candidate: number[], figure: FigureDefinition): number[] {
  const sign = figure.better === 'lower' ? 1 : -1;
  return roundChanges(base, candidate, figure).changes.map((c) => sign * c);
}

/** Exit codes of `perf-ci`: they do not overlap, so CI can tell them apart. */
export const PERF_CI_EXIT = {
  /** Same or better. */
  pass: 0,
  regression: 1,
  /** Bad usage, or runs that are not comparable. */
  usage: 2,
  /** Too few runs to reach significance, or a side failed to run. */
  couldNotJudge: 3,
} as const;

export interface PerfCiOutcome {
  usageError?: boolean;
  /** Rounds of either side that left no run folder. */
  failedRuns?: number;
  comparison?: Pick<AbComparison, 'regressions' | 'unjudged' | 'rows' | 'notComparable'>;
}

/** One exit code per outcome: usage first, then a regression, then anything left unjudged. */
export function perfCiExitCode(o: PerfCiOutcome): number {
  if (o.usageError || o.comparison?.notComparable?.length) return PERF_CI_EXIT.usage;
  if (!o.comparison || o.comparison.rows.length === 0) return PERF_CI_EXIT.couldNotJudge;
  if (o.comparison.regressions > 0) return PERF_CI_EXIT.regression;
  if (o.comparison.unjudged > 0 || (o.failedRuns ?? 0) > 0) return PERF_CI_EXIT.couldNotJudge;
  return PERF_CI_EXIT.pass;
}

const MARK: Record<FigureVerdict, string> = {
  regression: '✘ regression',
  improvement: '▲ improvement',
  same: '✔ same',
  'below minimum effect': '✔ below minimum effect',
  'could not judge': '? could not judge',
  'not gated': '· not gated',
};

const value = (v: number, f: FigureDefinition) =>
  !Number.isFinite(v)
    ? '–'
    : f.unit === ''
      ? `${(v * 100).toFixed(2)} %`
      : `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${f.unit}`;
const p = (v: number) => (!Number.isFinite(v) ? '–' : v < 0.001 ? v.toExponential(1) : v.toFixed(3));

function cells(r: AbRow): string[] {
  const j = r.judgement;
  const shown = { effect: j.base.median === 0 ? 'difference' : r.figure.effect } as const;
  return [
    r.figure.name,
    `${value(j.base.median, r.figure)} (n=${j.base.n})`,
    `${value(j.candidate.median, r.figure)} (n=${j.candidate.n})`,
    formatChange(shown, j.change),
    Number.isFinite(j.interval[0])
      ? `${formatChange(shown, j.interval[0])} … ${formatChange(shown, j.interval[1])}`
      : '–',
    p(j.pWorse),
    MARK[r.verdict],
  ];
}

function head(c: AbComparison): string[] {
  const confidence = c.rows[0] ? Math.round(c.rows[0].judgement.confidence * 100) : 90;
  return ['figure', 'base median', 'candidate median', 'change', `${confidence} % CI`, 'p(worse)', 'verdict'];
}

export function abHeadline(c: AbComparison): string {
  if (c.notComparable?.length)
    return `NOT COMPARABLE: the sides ran with different settings (${c.notComparable.join('; ')})`;
  if (c.regressions) return `FAIL: ${c.regressions} regression${c.regressions > 1 ? 's' : ''} against ${c.base}`;
  if (c.unjudged) return `COULD NOT JUDGE ${c.unjudged} figure${c.unjudged > 1 ? 's' : ''} against ${c.base}`;
  return `PASS: no regression against ${c.base}`;
}

function method(c: AbComparison): string {
  const j = c.rows[0]?.judgement;
  if (!j) return '';
  const primary = c.rows.find((r) => r.figure.primary && r.verdict !== 'not gated');
  const effect = `(${formatChange({ effect: 'ratio' }, c.minEffect).replace('+', '')}, or twice the runs' own scatter when that is wider; error share 0.5 points)`;
  return j.paired
    ? `Each figure is one value per run, each round's candidate compared with the base run of the same round; a regression is a one-sided Wilcoxon signed-rank test of the rounds' changes finding the candidate worse at p ≤ ${j.alpha} (${primary ? `the ${primary.figure.name} tested first at ${j.alpha * PRIMARY_SHARE}, the other gated figures adjusted together by flipping whole rounds, at the rest of α and at all of it once that is found worse` : 'adjusted over the gated figures by flipping whole rounds'}) and a median change beyond the minimum effect ${effect}.`
    : `Each figure is one value per run; a regression is a one-sided Mann–Whitney U test finding the candidate worse at p ≤ ${j.alpha} (Holm-adjusted over the gated figures) and a change of the medians beyond the minimum effect ${effect}.`;
}

export function abTable(c: AbComparison): string {
  const rows = [head(c), ...c.rows.map(cells)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `${c.candidate} vs ${c.base}`,
    '',
    ...rows.map(line),
    '',
    ...c.rows.map((r) => `${r.figure.name}: ${r.reason}`),
    '',
    abHeadline(c),
    method(c),
    ...c.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

export function abMarkdown(c: AbComparison): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const h = head(c);
  return [
    `### cats-stress perf-ci: ${esc(abHeadline(c))}`,
    '',
    `\`${esc(c.candidate)}\` against \`${esc(c.base)}\`, interleaved on the same machine.`,
    '',
    `| ${h.join(' | ')} |`,
    `|${h.map((_, i) => (i === 0 || i === 6 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...c.rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
    `<details><summary>Why</summary>\n\n${c.rows.map((r) => `- **${esc(r.figure.name)}**: ${esc(r.reason)}`).join('\n')}\n\n${method(c)}\n\n</details>`,
    ...c.notes.map((n) => `\n> ${esc(n)}`),
    '',
  ].join('\n');
}
