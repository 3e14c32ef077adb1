// Base and candidate run in turn on one machine, each round a fresh `cats-stress stress` of
// that side's own revision, so both sides share whatever else the machine is doing at the
// time. Which side goes first in a round is a fair coin drawn from a recorded seed: a load
// that drifts over the job, however it drifts, then favours either side of a round with
// equal chance, which is the symmetry the paired sign-flip tests assume. A fixed order
// (A B B A …) cancels a steady drift but turns one that rises and falls into the same sign
// in every round. Each run's output goes to a log beside its run folder.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../report/sample-statistics.ts';

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

export interface AbRoundsOptions {
  /** The runs in the order they run ({@link roundOrder}). */
  order: { round: number; side: Side }[];
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
  for (const { round, side } of opts.order) {
    const results = path.join(opts.out, side.name);
    await mkdir(results, { recursive: true });
    const before = await folders(results);
    const log = path.join(results, `round-${round}.log`);
    const started = performance.now();
    const exitCode = await runStress(
      side,
      [...opts.stressArgs, '--results', results, '--state-dir', path.join(opts.stateRoot, side.name)],
      log,
    );
    const seconds = (performance.now() - started) / 1000;
    const made = [...(await folders(results))].filter((f) => !before.has(f));
    const dir = made.map((f) => path.join(results, f)).find((d) => existsSync(path.join(d, 'summary.json')));
    runs.push({ side: side.name, round, exitCode, dir, log, seconds });
    opts.say(
      `round ${round}/${rounds} ${side.name.padEnd(9)} ${dir ? path.basename(dir) : 'no run folder'} (exit ${exitCode}, ${seconds.toFixed(0)} s)${dir ? '' : `: see ${log}`}`,
    );
  }
  return runs;
}
