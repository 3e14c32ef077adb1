// Engine benchmark: requests/s per core of this engine, on k6's async and blocking (sync) script forms, with
// and without a check, against a bare undici loop, autocannon and (when on PATH) real k6, on the same trivial
// GET target in one run.
//
//   npx tsx bench/engine.ts            (BENCH_SECONDS=10 per generator, CONNECTIONS=50, BENCH_ROUNDS=2,
//                                       BENCH_ONLY=<regexp>: only the generators it matches, e.g. 'sync|undici')
//
// The target (bench/http-target.mjs) runs pinned to core 1, every generator in turn pinned to core 0.
// Per core = requests the target counted in the window ÷ CPU-seconds the generator process (all its
// threads) used in the same window, so a target or a neighbour that slows the run does not flatter or
// penalise a generator's cost per request. A warm-up before the window keeps start-up out of it.
// Generators take turns for BENCH_ROUNDS rounds; each reports its best round (least disturbed by neighbours).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_S = 1;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '');
/** k6 v0.49, one core, 50 VUs, trivial GET: stated reference figures for this machine class, not measured here. */
const K6_REFERENCE = { async: 12_800, sync: 18_200 };
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function onPath(bin: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${bin}`])
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime, all threads
}

interface Target {
  url: string;
  count(): Promise<number>;
  stop(): void;
}

async function startTarget(): Promise<Target> {
  const child = spawn('taskset', ['-c', '1', process.execPath, path.join(root, 'bench/http-target.mjs')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
    child.on('message', (m: { type: string; port?: number }) => m.type === 'listening' && resolve(m.port ?? 0));
  });
  let waiting: ((n: number) => void) | undefined;
  child.on('message', (m: { type: string; count?: number }) => {
    if (m.type === 'count') waiting?.(m.count ?? 0);
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    count: () =>
      new Promise((resolve) => {
        waiting = resolve;
        child.send({ type: 'count' });
      }),
    stop: () => child.kill(),
  };
}

interface Result {
  name: string;
  requestsPerSecond: number;
  cores: number;
  perCore: number;
}

async function measure(
  target: Target,
  name: string,
  command: string[],
  env: Record<string, string> = {},
): Promise<Result> {
  process.stdout.write(`  ${name} … `);
  const child: ChildProcess = spawn('taskset', ['-c', '0', ...command], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Start-up (module compilation, worker threads) stays out of the window: wait for load to arrive.
  const before = await target.count();
  const startBy = Date.now() + 60_000;
  while ((await target.count()) - before < 1000) {
    if (child.exitCode !== null) throw new Error(`${name} exited early (${child.exitCode}):\n${stderr}`);
    if (Date.now() > startBy) throw new Error(`${name} sent no load within 60 s:\n${stderr}`);
    await sleep(100);
  }
  await sleep(WARMUP_S * 1000);
  if (child.exitCode !== null) throw new Error(`${name} exited early (${child.exitCode}):\n${stderr}`);
  const c0 = await target.count();
  const t0 = cpuSeconds(child.pid ?? 0);
  const w0 = performance.now();
  await sleep(MEASURE_S * 1000);
  const c1 = await target.count();
  const t1 = cpuSeconds(child.pid ?? 0);
  const seconds = (performance.now() - w0) / 1000;
  child.kill('SIGKILL');
  await exited;
  const requests = c1 - c0;
  const result = {
    name,
    requestsPerSecond: requests / seconds,
    cores: (t1 - t0) / seconds,
    perCore: requests / (t1 - t0),
  };
  process.stdout.write(`${Math.round(result.perCore).toLocaleString('en')} req/s per core\n`);
  return result;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function main(): Promise<void> {
  if (!onPath('taskset')) throw new Error('taskset (util-linux) is required to pin target and generators to cores');
  const runFor = String(WARMUP_S + MEASURE_S + 30); // killed once measured; generous for slow start-ups
  const target = await startTarget();
  console.log(`engine bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}`);
  console.log(
    `target ${target.url} (node:http, core 1); generators on core 0, ${CONNECTIONS} connections, ${MEASURE_S} s each`,
  );
  const [load] = os.loadavg();
  if (load > 1)
    console.log(
      `warning: load average ${load.toFixed(1)} — other processes share the cores, so figures run low and ratios are less stable`,
    );
  interface Generator {
    name: string;
    command: string[];
    env?: Record<string, string>;
  }
  // The same scripts and settings for every k6-compatible generator.
  const script = (file: string, check = true) => [
    file,
    '-e',
    `TARGET=${target.url}`,
    '-e',
    `VUS=${CONNECTIONS}`,
    '-e',
    `DURATION=${runFor}s`,
    ...(check ? [] : ['-e', 'CHECK=0']),
  ];
  const engineRun = [process.execPath, 'bin/cats-stress.js', 'run', '--workers', '1', '-q', '--no-summary'];
  const generators: Generator[] = [
    {
      name: 'bare undici loop',
      command: [process.execPath, 'bench/undici-loop.mjs'],
      env: { TARGET: target.url, CONNECTIONS: String(CONNECTIONS), DURATION_S: runFor },
    },
    { name: 'engine, async', command: [...engineRun, ...script('bench/engine-script.js')] },
    { name: 'engine, async, no check', command: [...engineRun, ...script('bench/engine-script.js', false)] },
    { name: 'engine, sync', command: [...engineRun, ...script('bench/engine-script-sync.js')] },
    { name: 'engine, sync, no check', command: [...engineRun, ...script('bench/engine-script-sync.js', false)] },
    {
      name: 'autocannon',
      command: [
        process.execPath,
        'node_modules/autocannon/autocannon.js',
        '-c',
        String(CONNECTIONS),
        '-d',
        runFor,
        target.url,
      ],
    },
  ];
  const k6Bin = onPath('k6');
  if (k6Bin) {
    for (const [form, file] of [
      ['async', 'bench/engine-script.js'],
      ['sync', 'bench/engine-script-sync.js'],
    ])
      for (const check of [true, false])
        generators.push({
          name: `k6, ${form}${check ? '' : ', no check'}`,
          command: [k6Bin, 'run', '-q', '--no-summary', ...script(file, check)],
          env: { GOMAXPROCS: '1' },
        });
  } else
    console.log(
      'warning: k6 is not on PATH (build one locally to compare in the same run): the engine is compared with stated reference figures for k6, not measured here',
    );

  const best = new Map<string, Result>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}`);
      for (const g of generators.filter((g) => ONLY.test(g.name))) {
        const r = await measure(target, g.name, g.command, g.env);
        const previous = best.get(g.name);
        if (!previous || r.perCore > previous.perCore) best.set(g.name, r);
      }
    }
  } finally {
    target.stop();
  }
  const results = [...best.values()];

  const byName = (name: string) => results.find((r) => r.name === name);
  const undici = byName('bare undici loop');
  console.log('');
  console.log('generator                   req/s    cores  req/s per core  vs bare undici');
  for (const r of results)
    console.log(
      `${r.name.padEnd(25)} ${fmt(r.requestsPerSecond).padStart(8)}  ${r.cores.toFixed(2).padStart(5)}  ${fmt(r.perCore).padStart(14)}  ${undici ? `${(r.perCore / undici.perCore).toFixed(2).padStart(13)}×` : ''}`,
    );
  console.log('');
  for (const form of ['async', 'sync'] as const) {
    const engine = byName(`engine, ${form}`);
    if (!engine) continue;
    const k6 = byName(`k6, ${form}`);
    const against = k6
      ? `k6 measured in this run (${fmt(k6.perCore)} req/s per core)`
      : `k6's stated reference (${fmt(K6_REFERENCE[form])} req/s per core, not measured here)`;
    console.log(
      `engine, ${form} form: ${(engine.perCore / (k6?.perCore ?? K6_REFERENCE[form])).toFixed(2)}× ${against} (target ≥ 2×, goal 3×)${undici ? `; ${(engine.perCore / undici.perCore).toFixed(2)}× the bare undici loop` : ''}`,
    );
    const bare = byName(`engine, ${form}, no check`);
    if (!bare) continue;
    const k6Bare = byName(`k6, ${form}, no check`);
    const k6Check = k6 && k6Bare ? `; k6 in this run: ${(k6.perCore / k6Bare.perCore).toFixed(2)}×` : '';
    console.log(
      `  a check() per request: ${(engine.perCore / bare.perCore).toFixed(2)}× the same script without it (target ≥ 0.85×)${k6Check}`,
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
