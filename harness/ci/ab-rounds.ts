// Base and candidate on one machine, each round a fresh `cats-stress stress` of each side's
// own revision. Side by side (the default), both runs of a round go at once, each on its own
// PostgreSQL server, their load started at one moment through a start gate (start-gate.ts),
// so whatever else the machine does meanwhile (a neighbour's burst, a pause of the host)
// weighs on both alike; a round's change then measures the revisions and little else. In
// turn, they run one after the other. Either way, which side comes first in a round (side
// by side: which takes the first server) is a fair coin drawn from a recorded seed: a load
// that drifts over the job, however it drifts, then favours either side of a round with
// equal chance, which is the symmetry the paired sign-flip tests assume. A fixed order
// (A B B A …) cancels a steady drift but turns one that rises and falls into the same sign
// in every round. Each run's output goes to a log beside its run folder.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../report/sample-statistics.ts';
import { openStartGates, START_GATE_ENV } from './start-gate.ts';

export interface Side {
  name: 'base' | 'candidate';
  /** Checkout whose bin/cats-stress.js runs this side. */
  checkout: string;
  /** Extra environment of this side's processes (the reference nodes inherit it). */
  env: Record<string, string>;
}

export interface AbRun {
  side: Side['name'];
  round: number;
  exitCode: number;
  /** The run folder, when the run left one with a summary. */
  dir?: string;
  log: string;
  seconds: number;
}

/** How the two runs of a round share the machine. */
export type Schedule = 'side by side' | 'in turn';

export interface AbRoundsOptions {
  /** The runs in the order they start ({@link roundOrder}). */
  order: { round: number; side: Side }[];
  schedule: Schedule;
  /**
   * Environment of the first and the second run of each round (the PostgreSQL server each
   * uses): side by side, two servers, since both runs make the same databases.
   */
  slots: [Record<string, string>, Record<string, string>];
  /** `cats-stress stress` flags shared by every run (scenario, duration, rate, seed). */
  stressArgs: string[];
  /** Results of this comparison: <out>/<side>/<run-id>/. */
  out: string;
  /** Embedded PostgreSQL folders, one per side: <stateRoot>/<side>. */
  stateRoot: string;
  say: (line: string) => void;
}

function runStress(side: Side, args: string[], log: string): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [path.join(side.checkout, 'bin', 'cats-stress.js'), 'stress', ...args], {
      cwd: side.checkout,
      env: { ...process.env, ...side.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.once('error', (err) => {
      out.end(`\n${err.message}\n`);
      resolve(127);
    });
    child.once('close', (code, signal) => {
      out.end();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function folders(dir: string): Promise<Set<string>> {
  if (!existsSync(dir)) return new Set();
  return new Set((await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name));
}

/** The order of the runs: in each round both sides once, which goes first a fair coin drawn from `seed`. */
export function roundOrder<T>(sides: [T, T], rounds: number, seed: string): { round: number; side: T }[] {
  const coin = seededRandom(`run order/${seed}`);
  const order: { round: number; side: T }[] = [];
  for (let round = 1; round <= rounds; round++)
    for (const side of coin() < 0.5 ? sides : [sides[1], sides[0]]) order.push({ round, side });
  return order;
}

/** The order as a person reads it: `base first in rounds 1, 4; candidate first in 2, 3`. */
export function describeOrder(order: { round: number; side: { name: string } }[]): string {
  const firsts = new Map<string, number[]>();
  for (const [i, run] of order.entries())
    if (i === 0 || order[i - 1]!.round !== run.round)
      firsts.set(run.side.name, [...(firsts.get(run.side.name) ?? []), run.round]);
  return [...firsts]
    .map(([name, rounds]) => `${name} first in round${rounds.length > 1 ? 's' : ''} ${rounds.join(', ')}`)
    .join('; ');
}

/** Runs the rounds and returns every run, failed ones included. */
export async function runRounds(opts: AbRoundsOptions): Promise<AbRun[]> {
  const runs: AbRun[] = [];
  const rounds = Math.max(0, ...opts.order.map((r) => r.round));
  const runOne = async (round: number, side: Side, env: Record<string, string>, ended?: () => void): Promise<AbRun> => {
    const results = path.join(opts.out, side.name);
    await mkdir(results, { recursive: true });
    const before = await folders(results);
    const log = path.join(results, `round-${round}.log`);
    const started = performance.now();
    const exitCode = await runStress(
      { ...side, env: { ...env, ...side.env } },
      [...opts.stressArgs, '--results', results, '--state-dir', path.join(opts.stateRoot, side.name)],
      log,
    );
    ended?.();
    const seconds = (performance.now() - started) / 1000;
    const made = [...(await folders(results))].filter((f) => !before.has(f));
    const dir = made.map((f) => path.join(results, f)).find((d) => existsSync(path.join(d, 'summary.json')));
    opts.say(
      `round ${round}/${rounds} ${side.name.padEnd(9)} ${dir ? path.basename(dir) : 'no run folder'} (exit ${exitCode}, ${seconds.toFixed(0)} s)${dir ? '' : `: see ${log}`}`,
    );
    return { side: side.name, round, exitCode, dir, log, seconds };
  };
  for (let round = 1; round <= rounds; round++) {
    const pair = opts.order.filter((r) => r.round === round);
    if (opts.schedule === 'side by side') {
      const gates = pair.map((r) => path.join(opts.out, r.side.name, `round-${round}.gate`));
      const ended = pair.map(() => false);
      const both = Promise.all(
        pair.map((r, i) =>
          runOne(round, r.side, { ...opts.slots[i]!, [START_GATE_ENV]: gates[i]! }, () => (ended[i] = true)),
        ),
      );
      await openStartGates(gates, (i) => ended[i]!);
      runs.push(...(await both));
      await Promise.all(gates.flatMap((g) => [rm(`${g}.ready`, { force: true }), rm(`${g}.go`, { force: true })]));
    } else for (const [i, r] of pair.entries()) runs.push(await runOne(round, r.side, opts.slots[i]!));
  }
  return runs;
}

/** Whether a checkout's `stress` waits at a start gate (revisions before it do not: they run in turn). */
export function hasStartGate(checkout: string): boolean {
  const help = spawnSync(process.execPath, [path.join(checkout, 'bin', 'cats-stress.js'), 'stress', '--help'], {
    cwd: checkout,
    encoding: 'utf8',
  });
  return `${help.stdout}${help.stderr}`.includes(START_GATE_ENV);
}
