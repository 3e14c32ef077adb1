// `cats-stress perf-ci`: the CI performance gate. Base revision and candidate run side by
// side (or in turn) on the same machine, several short fixed-seed, fixed-rate runs each,
// and every figure is judged by a significance test and a minimum effect, so a noisy
// runner does not fail a build and a real slowdown does. `--baseline` keeps the older gate against a committed,
// absolute baseline of the machine class.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../cli.ts';
import { durationFlag, keyValueFlags, numberFlag, parseFlags, UsageError } from '../flags.ts';
import {
  describeOrder,
  hasStartGate,
  roundOrder,
  runRounds,
  type AbRun,
  type Schedule,
  type Side,
} from '../ci/ab-rounds.ts';
import { START_GATE_ENV } from '../ci/start-gate.ts';
import { chooseBase, gitFacts, prepareBaseWorktree, resolveCommit } from '../ci/base-revision.ts';
import {
  abFigures,
  abMarkdown,
  abTable,
  compareSides,
  PERF_CI_EXIT,
  perfCiExitCode,
  type RunFigures,
} from '../report/ab-comparison.ts';
import { minimumRounds, PRIMARY_SHARE } from '../report/ab-paired.ts';
import {
  compare,
  comparisonMarkdown,
  comparisonTable,
  describeDifference,
  loadMeasured,
  settingDifferences,
} from '../report/compare-runs.ts';
import { readRunFolder } from '../report/run-folder.ts';
import {
  CALIBRATION_FILE,
  describeFactors,
  hostFactors,
  normaliseBaseline,
  type Calibration,
} from '../report/calibration.ts';
import { calibrate } from '../ci/calibrate.ts';
import { startEmbeddedPostgres, type PostgresServer } from '../../reference/store/postgres.ts';
import { defaultMachineClass } from './baseline.ts';
import { REGRESSION_EXIT } from './compare.ts';
import { command as stress } from './stress.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The fixed run: same data, same load, every time. */
export const PERF_CI_RUN = { scenario: 'ctd-peak', duration: '15s', rate: '20', seed: 'perf-ci' };
/** The A/B runs deploy three nodes and ICE (the Azerbaijan–Georgia–Kazakhstan corridor): a fresh deployment starts in seconds. */
export const PERF_CI_COUNTRIES = 'GE,AZ,KZ';
/** Length of the run the committed baselines were recorded with. */
export const BASELINE_DURATION = '30s';
/** Twelve rounds reach half of α = 0.05 with two rounds the other way, if they are among the smaller changes. */
export const DEFAULT_ROUNDS = 12;
/** Side by side, each side's rate: the machine carries the 20 CTDs/s of a run in turn. */
const SIDE_BY_SIDE_RATE = '10';
/** The CTDs per second each side is offered when --rate is not given. */
export const defaultRate = (schedule: Schedule): string =>
  schedule === 'side by side' ? SIDE_BY_SIDE_RATE : PERF_CI_RUN.rate;
/** Where a job records its run order: seed and which side went first in each round. */
const ORDER_FILE = 'order.json';
export const SCHEDULES: Record<string, Schedule | undefined> = { 'side-by-side': 'side by side', 'in-turn': 'in turn' };

const usage = `usage: cats-stress perf-ci [--base REF] [--rounds N] [--schedule side-by-side|in-turn] [--duration D] [--rate R]
                          [--markdown FILE] [--results DIR] [--candidate-env KEY=VALUE]… [--alpha A] [--min-effect F] [--order-seed S]
       cats-stress perf-ci --baseline [--machine-class NAME] [--markdown FILE] [--results DIR] [--duration D (default ${BASELINE_DURATION})]

A/B against the base revision (the default): checks REF out as a git worktree in
.cats-stress/perf-base/<sha> (with its own npm ci, kept for later runs), then runs
base and candidate (this checkout) --rounds times each:
  cats-stress stress --scenario ${PERF_CI_RUN.scenario} --duration D --rate R --seed ${PERF_CI_RUN.seed} --countries ${PERF_CI_COUNTRIES}
each side with its own revision's CLI on a fresh deployment. Side by side (the default),
both runs of a round go at once, each on its own PostgreSQL started for the job, their
load started together (${START_GATE_ENV}), so a burst of other work on the machine slows
both alike; in turn, one after the other, on one PostgreSQL (also when DATABASE_URL names
one, as both sides would make the same databases, or when the base revision's stress has
no start gate).
Which side goes first in a round (side by side: which takes the first server)
is a coin drawn from the order seed, so a load that drifts, however it drifts, favours
either side of a round alike. From every run:
CTD submission latency (median, p95, p99), CTDs accepted per second, the
submission error share, CTD lodging time as the nodes time it (mean, median, lower quartile), ICE delivery latency
and the SUT's CPU per CTD. Each round's candidate is compared with the base run of
the same round: a figure regresses when a one-sided Wilcoxon signed-rank test of
the rounds' changes finds the candidate worse at p ≤ α and its median change is worse by more
than the minimum effect, or than twice the noise of that median change when that is wider
(error share: 0.5 points); tail percentiles with fewer than 5 samples beyond them are
reported, not gated. The lower quartile of CTD lodging time is tested first, at half of α; the other gated
figures together (by flipping whole rounds) at the other half, and at all of α once the
lodging time is found worse: the chance of any false regression stays at α. Run folders go to <results>/perf-ci-<time>/base|candidate/.

options:
  --base REF             default: git merge-base HEAD origin/main (or main); HEAD~1 when HEAD is on main
  --rounds N             rounds, one run per side each (default ${DEFAULT_ROUNDS}; at least ${minimumRounds(0.05 * PRIMARY_SHARE)} can reach α = 0.05)
  --schedule S           side-by-side (default) or in-turn
  --duration D           length of each run (default ${PERF_CI_RUN.duration})
  --rate R               CTDs per second offered to each side (default ${SIDE_BY_SIDE_RATE} side by side, ${PERF_CI_RUN.rate} in turn)
  --candidate-env K=V    environment of the candidate side only, repeatable (e.g. a bench switch)
  --alpha A              significance level of the one-sided test (default 0.05)
  --min-effect F         smallest relative worsening that counts (default 0.1 = 10 %)
  --order-seed S         seed of the run order (default: a new one each job, printed and kept in order.json)
  --markdown FILE        write the verdict as markdown for a pull-request comment
  --judge DIR            judge the run folders of an earlier perf-ci (DIR/base, DIR/candidate) again, running nothing
  --results DIR          default results
  --baseline             the older gate: one run against <results>/baselines/<machine-class>.json
                         (also --base none)
  --machine-class NAME   with --baseline: default $CATS_STRESS_MACHINE_CLASS or <cores>cpu-<arch> (here ${defaultMachineClass()})
  --state-dir DIR        with --baseline: folder for the reference's embedded PostgreSQL

Exit codes: ${PERF_CI_EXIT.pass} same or better, ${PERF_CI_EXIT.regression} regression, ${PERF_CI_EXIT.usage} usage error or runs not comparable (the two
revisions turned the same flags into different run settings),
${PERF_CI_EXIT.couldNotJudge} could not judge (too few runs, a side failed to run, base revision unavailable).
With --baseline: ${REGRESSION_EXIT} on a regression, 99 when the run broke an SLO, 2 when no baseline exists.`;

export const command: Command = {
  name: 'perf-ci',
  summary: 'CI gate: base revision and candidate in turn on this machine, judged by significance and effect',
  usage,
  async run(argv) {
    const v = parseFlags({
      args: argv,
      options: {
        base: { type: 'string' },
        baseline: { type: 'boolean', default: false },
        rounds: { type: 'string' },
        schedule: { type: 'string', default: 'side-by-side' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        'candidate-env': { type: 'string', multiple: true },
        alpha: { type: 'string' },
        'min-effect': { type: 'string' },
        'machine-class': { type: 'string' },
        markdown: { type: 'string' },
        results: { type: 'string', default: 'results' },
        'state-dir': { type: 'string' },
        judge: { type: 'string' },
        'order-seed': { type: 'string' },
      },
    }).values;
    if (v.baseline || v.base === 'none') return baselineGate(v);
    const rounds = numberFlag(v.rounds, '--rounds', { min: 1, integer: true }) ?? DEFAULT_ROUNDS;
    const schedule = SCHEDULES[v.schedule!];
    if (!schedule) throw new UsageError(`--schedule must be side-by-side or in-turn, got '${v.schedule}'`);
    numberFlag(v.rate, '--rate', { above: 0 });
    const alpha = numberFlag(v.alpha, '--alpha', { above: 0, max: 0.5 }) ?? 0.05;
    const minEffect = numberFlag(v['min-effect'], '--min-effect', { min: 0 }) ?? 0.1;
    if (v.judge) return judgeFolder(v.judge, { alpha, minEffect, markdown: v.markdown });
    const duration = v.duration ?? PERF_CI_RUN.duration;
    durationFlag(duration, '--duration');
    const opts: AbSettings = {
      base: v.base,
      rounds,
      schedule,
      alpha,
      minEffect,
      duration,
      rate: v.rate,
      orderSeed: v['order-seed'] ?? randomBytes(4).toString('hex'),
      candidateEnv: keyValueFlags(v['candidate-env'], '--candidate-env'),
      markdown: v.markdown,
      results: v.results!,
    };
    return abGate(opts);
  },
};

interface AbSettings {
  base?: string;
  rounds: number;
  schedule: Schedule;
  alpha: number;
  minEffect: number;
  duration: string;
  /** Default: by the schedule the sides run in. */
  rate?: string;
  orderSeed: string;
  candidateEnv: Record<string, string>;
  markdown?: string;
  results: string;
}

const say = (line: string) => process.stderr.write(`▸ ${line}\n`);

async function abGate(o: AbSettings): Promise<number> {
  const repo = path.resolve(ROOT);
  const facts = await gitFacts(repo);
  if (!facts) {
    console.error(`cats-stress perf-ci: ${repo} is not a git checkout; the A/B gate needs the base revision's history`);
    return PERF_CI_EXIT.couldNotJudge;
  }
  const choice = chooseBase(o.base, facts);
  if ('error' in choice) {
    console.error(`cats-stress perf-ci: ${choice.error}`);
    return PERF_CI_EXIT.couldNotJudge;
  }
  const commit = await resolveCommit(repo, choice.ref, facts.shallow);
  if ('error' in commit) {
    console.error(`cats-stress perf-ci: ${commit.error}`);
    return PERF_CI_EXIT.couldNotJudge;
  }
  say(`base ${commit.sha.slice(0, 12)} (${choice.reason}); candidate: this checkout at ${facts.head.slice(0, 12)}`);
  let baseCheckout: string;
  try {
    baseCheckout = await prepareBaseWorktree(repo, commit.sha, say);
  } catch (err) {
    console.error(`cats-stress perf-ci: could not prepare the base revision: ${(err as Error).message}`);
    return PERF_CI_EXIT.couldNotJudge;
  }
  const out = path.resolve(o.results, `perf-ci-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`);
  await mkdir(out, { recursive: true });
  // Servers for the job: each run still gets fresh databases, without an initdb and a server start of its own.
  const given = process.env.DATABASE_URL;
  let schedule = o.schedule;
  if (schedule === 'side by side' && given) {
    schedule = 'in turn';
    say('DATABASE_URL names one server, on which both sides would make the same databases: the sides run in turn');
  } else if (schedule === 'side by side' && !hasStartGate(baseCheckout)) {
    schedule = 'in turn';
    say(`the base revision's stress has no start gate (${START_GATE_ENV}): the sides run in turn`);
  }
  const servers: PostgresServer[] = [];
  const slots: [Record<string, string>, Record<string, string>] = [{}, {}];
  try {
    const started = given ? 0 : schedule === 'side by side' ? 2 : 1;
    for (let i = 0; i < started; i++) {
      const dataDir = path.join(repo, '.cats-stress', 'perf-ci', `pg-${i + 1}`);
      await rm(dataDir, { recursive: true, force: true });
      say(`PostgreSQL ${i + 1} for the job in ${path.relative(repo, dataDir)}`);
      servers.push(await startEmbeddedPostgres({ dataDir }));
      slots[i]!.DATABASE_URL = servers[i]!.url('postgres');
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  if (schedule === 'in turn') slots[1] = slots[0];
  const sides: [Side, Side] = [
    { name: 'base', checkout: baseCheckout, env: {} },
    { name: 'candidate', checkout: repo, env: o.candidateEnv },
  ];
  const order = roundOrder(sides, o.rounds, o.orderSeed);
  const described = `${schedule}, ${describeOrder(order)}`;
  await writeFile(
    path.join(out, ORDER_FILE),
    JSON.stringify({ seed: o.orderSeed, schedule, order: described }, null, 2) + '\n',
  );
  say(`${o.rounds} rounds, ${described}, order seed ${o.orderSeed} → ${path.relative(process.cwd(), out) || out}`);
  const enough = minimumRounds(o.alpha * PRIMARY_SHARE);
  if (o.rounds < enough)
    say(
      `${o.rounds} rounds cannot reach p ≤ ${o.alpha * PRIMARY_SHARE}: the verdict will be "could not judge" (at least ${enough})`,
    );
  const runs = await runRounds({
    order,
    schedule,
    slots,
    stressArgs: [
      '--scenario',
      PERF_CI_RUN.scenario,
      '--duration',
      o.duration,
      '--rate',
      o.rate ?? defaultRate(schedule),
      '--seed',
      PERF_CI_RUN.seed,
      '--countries',
      PERF_CI_COUNTRIES,
    ],
    out,
    stateRoot: path.join(repo, '.cats-stress', 'perf-ci'),
    say,
  }).finally(() => Promise.all(servers.map((s) => s.stop())));
  const label = (side: string, sha: string, env: Record<string, string>) =>
    `${side} ${sha.slice(0, 12)}${
      Object.keys(env).length
        ? ` with ${Object.entries(env)
            .map(([k, val]) => `${k}=${val}`)
            .join(' ')}`
        : ''
    }`;
  return judgeRuns(runs, o, out, {
    base: label('base', commit.sha, {}),
    candidate: label('candidate', facts.head, o.candidateEnv),
  });
}

/** The verdict over the runs of both sides: table, markdown, exit code. */
async function judgeRuns(
  runs: AbRun[],
  o: Pick<AbSettings, 'rounds' | 'alpha' | 'minEffect' | 'markdown'>,
  out: string,
  labels: { base: string; candidate: string },
): Promise<number> {
  const failed = runs.filter((r) => !r.dir);
  // Round by round: a side's run that failed leaves its round without a pair.
  const rounds = [...new Set(runs.map((r) => r.round))].sort((x, y) => x - y);
  const figures = async (side: AbRun['side']): Promise<RunFigures[]> =>
    Promise.all(
      rounds.map(async (round) => {
        const run = runs.find((r) => r.side === side && r.round === round && r.dir);
        return run ? abFigures(await readRunFolder(run.dir!)) : {};
      }),
    );
  const [base, candidate] = await Promise.all([figures('base'), figures('candidate')]);
  const comparison = compareSides(labels, base, candidate, { alpha: o.alpha, minEffect: o.minEffect, paired: true });
  for (const side of ['base', 'candidate'] as const) {
    const bad = failed.filter((r) => r.side === side);
    if (bad.length)
      comparison.notes.unshift(
        `${bad.length} of ${o.rounds} ${side} runs failed to run (${bad.map((r) => `round ${r.round}: exit ${r.exitCode}, ${path.relative(process.cwd(), r.log)}`).join('; ')}); judged on the rest`,
      );
  }
  // Both sides ran the same flags; a revision that turns them into other settings measured something else.
  const firstOf = (side: AbRun['side']) => runs.find((r) => r.side === side && r.dir)?.dir;
  const [firstBase, firstCandidate] = [firstOf('base'), firstOf('candidate')];
  if (firstBase && firstCandidate) {
    const differ = settingDifferences(await loadMeasured(firstBase), await loadMeasured(firstCandidate)) ?? [];
    const both = differ.filter((d) => d.base !== undefined && d.run !== undefined);
    const one = differ.filter((d) => d.base === undefined || d.run === undefined);
    if (both.length) comparison.notComparable = both.map(describeDifference);
    if (one.length)
      comparison.notes.push(`settings recorded by one revision only: ${one.map(describeDifference).join('; ')}`);
  }
  const orderFile = path.join(out, ORDER_FILE);
  if (existsSync(orderFile)) {
    const { seed, order } = JSON.parse(await readFile(orderFile, 'utf8')) as { seed: string; order: string };
    comparison.notes.push(`run order: ${order} (--order-seed ${seed} repeats it)`);
  }
  console.log(`\n${abTable(comparison)}\n\nrun folders: ${path.relative(process.cwd(), out) || out}`);
  if (o.markdown) await writeFile(o.markdown, abMarkdown(comparison));
  return perfCiExitCode({ failedRuns: failed.length, comparison });
}

/** `--judge DIR`: the verdict over the run folders an earlier perf-ci left in DIR, without running anything. */
async function judgeFolder(dir: string, o: Pick<AbSettings, 'alpha' | 'minEffect' | 'markdown'>): Promise<number> {
  const runs: AbRun[] = [];
  const commits: Record<string, string> = {};
  for (const side of ['base', 'candidate'] as const) {
    const sideDir = path.join(dir, side);
    const names = existsSync(sideDir)
      ? (await readdir(sideDir, { withFileTypes: true })).filter((d) => d.isDirectory())
      : [];
    for (const [i, d] of names
      .map((n) => n.name)
      .sort()
      .entries()) {
      const runDir = path.join(sideDir, d);
      if (!existsSync(path.join(runDir, 'summary.json'))) continue;
      runs.push({ side, round: i + 1, exitCode: 0, dir: runDir, log: '', seconds: 0 });
      const revision = (await readRunFolder(runDir)).revision;
      if (typeof revision?.commit === 'string') commits[side] ??= revision.commit;
    }
  }
  if (!runs.some((r) => r.side === 'base') || !runs.some((r) => r.side === 'candidate'))
    throw new UsageError(`--judge ${dir}: expected the base/ and candidate/ run folders of a perf-ci run`);
  const rounds = Math.max(...runs.map((r) => r.round));
  return judgeRuns(runs, { ...o, rounds }, dir, {
    base: `base ${commits.base?.slice(0, 12) ?? ''}`.trim(),
    candidate: `candidate ${commits.candidate?.slice(0, 12) ?? ''}`.trim(),
  });
}

async function newestRun(dir: string, after: number): Promise<string | undefined> {
  let best: [number, string] | undefined;
  for (const name of await readdir(dir)) {
    if (name === 'baselines' || name.startsWith('perf-ci-')) continue;
    const s = await stat(path.join(dir, name));
    if (s.isDirectory() && s.birthtimeMs >= after && (!best || s.birthtimeMs > best[0]))
      best = [s.birthtimeMs, path.join(dir, name)];
  }
  return best?.[1];
}

/** The older gate: one run against the committed absolute baseline of this machine class. */
async function baselineGate(v: {
  'machine-class'?: string;
  results?: string;
  duration?: string;
  rate?: string;
  markdown?: string;
  'state-dir'?: string;
}): Promise<number> {
  const machineClass = v['machine-class'] ?? defaultMachineClass();
  const duration = v.duration ?? BASELINE_DURATION;
  const rate = v.rate ?? PERF_CI_RUN.rate;
  const baseline = path.join(v.results!, 'baselines', `${machineClass}.json`);
  if (!existsSync(baseline)) {
    console.error(
      `cats-stress perf-ci: no baseline for machine class '${machineClass}' (${baseline}).\nRecord one on this class of machine: cats-stress stress --scenario ${PERF_CI_RUN.scenario} --duration ${duration} --rate ${rate} --seed ${PERF_CI_RUN.seed}, then cats-stress baseline <run-dir> --machine-class ${machineClass}`,
    );
    return 2;
  }
  // The host is measured in the same job, on the PostgreSQL the run then uses.
  let postgres: PostgresServer | undefined;
  const givenUrl = process.env.DATABASE_URL;
  let code: number;
  let calibration: Calibration;
  const started = Date.now() - 1000;
  try {
    if (!givenUrl) {
      const dataDir = path.resolve('.cats-stress', 'perf-ci', 'baseline-pg');
      await rm(dataDir, { recursive: true, force: true });
      postgres = await startEmbeddedPostgres({ dataDir });
      process.env.DATABASE_URL = postgres.url('postgres');
    }
    say("calibrating this host: CPU reference and the raw SQL rate of the run's PostgreSQL");
    calibration = await calibrate(process.env.DATABASE_URL!);
    say(
      `${Math.round(calibration.cpuPerSecond).toLocaleString('en-US')} JSON round trips/s, ${Math.round(calibration.sqlPerSecond).toLocaleString('en-US')} SQL statements/s`,
    );
    code = await stress.run([
      '--scenario',
      PERF_CI_RUN.scenario,
      '--duration',
      duration,
      '--rate',
      rate,
      '--seed',
      PERF_CI_RUN.seed,
      '--results',
      v.results!,
      ...(v['state-dir'] ? ['--state-dir', v['state-dir']] : []),
    ]);
  } finally {
    if (givenUrl === undefined) delete process.env.DATABASE_URL;
    await postgres?.stop();
  }
  const run = await newestRun(v.results!, started);
  if (!run || !existsSync(path.join(run, 'summary.json'))) {
    console.error(`cats-stress perf-ci: the run left no summary (exit ${code})`);
    return code || 1;
  }
  await writeFile(path.join(run, CALIBRATION_FILE), `${JSON.stringify(calibration, null, 2)}\n`);
  const recorded = await loadMeasured(baseline);
  let reference = recorded;
  let note: string;
  if (recorded.calibration) {
    const factors = hostFactors(recorded.calibration, calibration);
    reference = normaliseBaseline(recorded, factors);
    note = `normalised by the calibration of both hosts: ${describeFactors(factors)}`;
  } else
    note = `the baseline has no calibration, so its absolute figures are compared as they are: record it again with cats-stress perf-ci --baseline, then cats-stress baseline <run-dir>`;
  const result = compare(reference, await loadMeasured(run));
  result.notes.unshift(note);
  console.log(`\n${comparisonTable(result)}`);
  if (v.markdown) await writeFile(v.markdown, comparisonMarkdown(result));
  if (result.regressions) return REGRESSION_EXIT;
  return code;
}
