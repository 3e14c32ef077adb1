// bench/perf-ci-ab: does the A/B performance gate tell a real regression from a noisy
// machine? `cats-stress perf-ci --base HEAD` compares this revision with itself:
//
//   A/A, --aa times (--hog of them, half by default, with a CPU hog busy on --hog-cores
//   cores for the whole trial): every regression it reports is a false one;
//   A/B, --ab times, the candidate side with CATS_NODE_SLOWDOWN_LODGING=--slowdown (the
//   node's handling of a CTD lodging, parsing to serialised reply, burns that fraction more
//   on the CPU; reference/cats/bench-slowdown.ts): every trial that exits 1 caught it. The
//   node's handling is only part of what a client waits for, so the latency a client sees
//   grows by less, or, once the burn delays other requests, by more: 0.3 made it 4–19 %
//   slower on a 2-core host, 0.6 about 45 %; each A/B verdict states the change it measured.
//
//   npx tsx bench/perf-ci-ab.ts [--aa 10] [--hog 5] [--ab 5] [--rounds 12] [--duration 15s] [--rate R]
//                               [--schedule side-by-side|in-turn]
//                               [--slowdown 0.2] [--hog-cores 1] [--results results/perf-ci-ab]
//   npx tsx bench/perf-ci-ab.ts --rejudge [--results …]   judges the trials already in --results
//                                                           again with this checkout's perf-ci
//
// Long: each trial is one perf-ci job (--rounds rounds of about 50 s side by side on 2
// cores, 60–65 s with the hog). The kinds take turns (A/A, A/A + hog, A/B, …) and the
// tally so far is printed after every trial (and kept in <results>/tally.txt), so a bench
// cut short still reports balanced figures. A reduced check: --aa 1 --ab 1 --rounds 3 --duration 10s.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_ROUNDS, defaultRate, PERF_CI_RUN, SCHEDULES } from '../harness/commands/perf-ci.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    aa: { type: 'string', default: '10' },
    hog: { type: 'string' },
    ab: { type: 'string', default: '5' },
    rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
    duration: { type: 'string', default: PERF_CI_RUN.duration },
    rate: { type: 'string' },
    schedule: { type: 'string', default: 'side-by-side' },
    slowdown: { type: 'string', default: '0.2' },
    'hog-cores': { type: 'string', default: '1' },
    results: { type: 'string', default: path.join('results', 'perf-ci-ab') },
    rejudge: { type: 'boolean', default: false },
  },
});
const aa = Number(values.aa);
const hogTrials = values.hog === undefined ? Math.floor(aa / 2) : Math.min(aa, Number(values.hog));
const ab = Number(values.ab);
const hogCores = Number(values['hog-cores']);
const results = path.resolve(values.results!);

interface Trial {
  kind: 'A/A' | 'A/A + hog' | 'A/B';
  exitCode: number;
  regressed: string[];
  minutes: number;
  /** One-minute load average as the trial started (other work on the machine, the hog not yet). */
  load?: number;
}

/**
 * Processes that keep `cores` cores busy until stopped: another job sharing the runner. Each
 * also stops once the bench is gone, however it ended, so none outlives a bench cut short.
 */
const HOG = `for (let i = 0; ; i++) {
  Math.sqrt(Math.random());
  if ((i & 0xfffff) === 0 && process.ppid !== ${process.pid}) process.exit(0);
}`;
function startHog(cores: number): ChildProcess[] {
  return Array.from({ length: cores }, () => spawn(process.execPath, ['-e', HOG], { stdio: 'ignore' }));
}

function perfCi(args: string[], log: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'cats-stress.js'), 'perf-ci', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    process.stderr.write(`\n── ${log}\n`);
    child.once('close', (code) => resolve(code ?? 1));
  });
}

async function trial(kind: Trial['kind'], n: number): Promise<Trial> {
  const dir = path.join(results, `${n}-${kind.replace(/[^A-Za-z]+/g, '-')}`);
  await mkdir(dir, { recursive: true });
  const markdown = path.join(dir, 'verdict.md');
  const args = [
    '--base',
    'HEAD',
    '--rounds',
    values.rounds!,
    '--duration',
    values.duration!,
    '--schedule',
    values.schedule!,
    ...(values.rate ? ['--rate', values.rate] : []),
    '--results',
    dir,
    '--markdown',
    markdown,
    ...(kind === 'A/B' ? ['--candidate-env', `CATS_NODE_SLOWDOWN_LODGING=${values.slowdown}`] : []),
  ];
  const load = os.loadavg()[0]!;
  const hog = kind === 'A/A + hog' ? startHog(hogCores) : [];
  const started = performance.now();
  let exitCode: number;
  try {
    exitCode = await perfCi(args, `${kind} trial ${n}`);
  } finally {
    for (const p of hog) p.kill();
  }
  const minutes = (performance.now() - started) / 60_000;
  await writeFile(path.join(dir, 'trial.json'), `${JSON.stringify({ kind, exitCode, minutes, load })}\n`);
  return { kind, exitCode, regressed: await regressedIn(markdown), minutes, load };
}

async function regressedIn(markdown: string): Promise<string[]> {
  const text = existsSync(markdown) ? await readFile(markdown, 'utf8') : '';
  return text
    .split('\n')
    .filter((l) => l.includes('✘ regression'))
    .map((l) => l.split('|')[1]!.trim());
}

const KINDS: Record<string, Trial['kind']> = { 'A-A': 'A/A', 'A-A-hog': 'A/A + hog', 'A-B': 'A/B' };

/** The trials already in the results folder, judged again from their run folders. */
async function rejudge(): Promise<Trial[]> {
  const out: Trial[] = [];
  const dirs = (await readdir(results, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && /^\d+-/.test(d.name))
    .map((d) => d.name)
    .sort((a, b) => parseInt(a) - parseInt(b));
  for (const name of dirs) {
    const kind = KINDS[name.replace(/^\d+-/, '')];
    const dir = path.join(results, name);
    const run = (await readdir(dir)).find((f) => f.startsWith('perf-ci-'));
    if (!kind || !run) continue;
    const sides = ['base', 'candidate'].map((s) => path.join(dir, run, s));
    const counted = await Promise.all(
      sides.map(async (s) => (existsSync(s) ? (await readdir(s)).filter((f) => f.endsWith('.log')).length : 0)),
    );
    if (counted.some((n) => n < Number(values.rounds))) continue; // cut short: not a whole trial
    const facts = existsSync(path.join(dir, 'trial.json'))
      ? (JSON.parse(await readFile(path.join(dir, 'trial.json'), 'utf8')) as Partial<Trial>)
      : {};
    const markdown = path.join(dir, 'rejudged.md');
    const exitCode = await perfCi(
      ['--judge', path.join(dir, run), '--markdown', markdown],
      `${kind} ${name} judged again`,
    );
    const newest = Math.max(...(await Promise.all(sides.map(async (s) => (await stat(s)).mtimeMs))));
    const started = (await stat(path.join(dir, run))).birthtimeMs;
    out.push({
      kind,
      exitCode,
      regressed: await regressedIn(markdown),
      minutes: facts.minutes ?? (newest - started) / 60_000,
      load: facts.load,
    });
  }
  return out;
}

/** The kinds in turns: A/A, A/A + hog, A/B, … until each has its count. */
function schedule(): Trial['kind'][] {
  const left: Record<Trial['kind'], number> = { 'A/A': aa - hogTrials, 'A/A + hog': hogTrials, 'A/B': ab };
  const order: Trial['kind'][] = [];
  while (Object.values(left).some((n) => n > 0))
    for (const kind of ['A/A', 'A/A + hog', 'A/B'] as const)
      if (left[kind] > 0) {
        left[kind]--;
        order.push(kind);
      }
  return order;
}

const EXIT = { 0: 'pass', 1: 'regression', 2: 'usage', 3: 'could not judge' } as Record<number, string>;
const trials: Trial[] = [];
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;

function tally(): string {
  const count = (kinds: Trial['kind'][], exit: number) =>
    trials.filter((t) => kinds.includes(t.kind) && t.exitCode === exit).length;
  const of = (kinds: Trial['kind'][]) => trials.filter((t) => kinds.includes(t.kind)).length;
  const lines = [
    `perf-ci A/A and A/B (${values.rounds} rounds ${values.schedule}, ${values.duration} at ${values.rate ?? defaultRate(SCHEDULES[values.schedule!] ?? 'side by side')}/s a side) on ${machine}`,
    '',
    'trial         exit                 minutes  load before  figures reported as regressed',
    ...trials.map(
      (t, i) =>
        `${String(i + 1).padStart(2)} ${t.kind.padEnd(10)}  ${`${t.exitCode} ${EXIT[t.exitCode] ?? ''}`.padEnd(19)}  ${t.minutes.toFixed(1).padStart(7)}  ${(t.load?.toFixed(1) ?? '–').padStart(11)}  ${t.regressed.join(', ') || '–'}`,
    ),
    '',
    `false regressions (A/A): ${count(['A/A', 'A/A + hog'], 1)} of ${of(['A/A', 'A/A + hog'])}` +
      ` (without the hog ${count(['A/A'], 1)}/${of(['A/A'])}, with a CPU hog on ${hogCores} core${hogCores > 1 ? 's' : ''} ${count(['A/A + hog'], 1)}/${of(['A/A + hog'])});` +
      ` could not judge ${count(['A/A', 'A/A + hog'], 3)}`,
    `slowdown of ${Number(values.slowdown) * 100} % caught (A/B): ${count(['A/B'], 1)} of ${of(['A/B'])}; could not judge ${count(['A/B'], 3)}`,
    `run folders and verdicts: ${path.relative(process.cwd(), results)}`,
  ];
  return lines.join('\n');
}

await mkdir(results, { recursive: true });
if (values.rejudge) {
  trials.push(...(await rejudge()));
  console.log(`\n${tally()}`);
  process.exit(0);
}
for (const [i, kind] of schedule().entries()) {
  trials.push(await trial(kind, i + 1));
  const text = tally();
  await writeFile(path.join(results, 'tally.txt'), `${text}\n`);
  console.log(`\n${text}`);
}
