// Base and candidate run in turn on one machine, each round a fresh `cats-stress stress` of
// that side's own revision, so both sides share whatever else the machine is doing at the
// time. The order alternates per round, A B B A A B …: a load that rises or falls steadily
// over the job then weighs on both sides alike instead of always on the later one. Each
// run's output goes to a log beside its run folder.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

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
  sides: [Side, Side];
  rounds: number;
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

/** The order of the runs: base first in odd rounds, candidate first in even ones (A B B A …). */
export function roundOrder<T>(sides: [T, T], rounds: number): { round: number; side: T }[] {
  const order: { round: number; side: T }[] = [];
  for (let round = 1; round <= rounds; round++)
    for (const side of round % 2 ? sides : [sides[1], sides[0]]) order.push({ round, side });
  return order;
}

/** Runs the rounds and returns every run, failed ones included. */
export async function runRounds(opts: AbRoundsOptions): Promise<AbRun[]> {
  const runs: AbRun[] = [];
  for (const { round, side } of roundOrder(opts.sides, opts.rounds)) {
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
      `round ${round}/${opts.rounds} ${side.name.padEnd(9)} ${dir ? path.basename(dir) : 'no run folder'} (exit ${exitCode}, ${seconds.toFixed(0)} s)${dir ? '' : `: see ${log}`}`,
    );
  }
  return runs;
}
