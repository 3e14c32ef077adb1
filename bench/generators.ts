// Generator throughput: CTDs per second per core streaming to NDJSON, to
// /dev/null (generation and serialisation only) and to files on disk (the
// whole data set), with resident memory sampled through a large run to show
// it stays flat. Each is set against a reference measured in the same run:
// JSON.stringify and write of the same records (generated beforehand and
// cycled) to the same kind of file, so the figure that carries over to other
// machines is the ratio. Usage: npx tsx bench/generators.ts [N] (default 1,000,000).
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, PILOT_COUNTRIES, type DatasetOptions } from '../generators/dataset.ts';
import { NdjsonWriter } from '../generators/ndjson-writer.ts';
import { planRecordJson, writeCtdRecord } from '../generators/record-json.ts';
import { writeDataset } from '../generators/write-dataset.ts';

const n = Number(process.argv[2] ?? 1_000_000);
const options: DatasetOptions = {
  seed: 'bench',
  movements: n,
  profile: 'weekday',
  defects: 0.02,
  countries: [...PILOT_COUNTRIES],
  year: 2026,
};
const mib = (bytes: number) => (bytes / 1048576).toFixed(0);

interface Run {
  label: string;
  seconds: number;
  cpuSeconds: number;
  systemSeconds: number;
  rss: number[];
  heap: number[];
}

async function measure(label: string, body: (sample: () => void) => Promise<void>): Promise<Run> {
  global.gc?.();
  const rss: number[] = [process.memoryUsage().rss];
  const heap: number[] = [process.memoryUsage().heapUsed];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await body(() => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  rss.push(process.memoryUsage().rss);
  heap.push(process.memoryUsage().heapUsed);
  return { label, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, systemSeconds: cpu.system / 1e6, rss, heap };
}

function report(r: Run): void {
  const samples = r.rss.map(mib);
  console.log(
    `${r.label.padEnd(28)} ${String(Math.round(n / r.seconds)).padStart(8)} CTDs/s wall  ${String(Math.round(n / r.cpuSeconds)).padStart(8)} CTDs/s per CPU-second (${Math.round((r.systemSeconds / r.cpuSeconds) * 100)} % system)  ` +
      `RSS MiB start ${samples[0]} → end ${samples.at(-1)} (max ${mib(Math.max(...r.rss))}; samples ${samples.join(' ')}); ` +
      `heap MiB max ${mib(Math.max(...r.heap))} (samples ${r.heap.map(mib).join(' ')})`,
  );
}

const every = Math.max(1, Math.floor(n / 10));

console.log(
  `generators bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, N = ${n}`,
);
const [load] = os.loadavg();
if (load > 1)
  console.log(
    `warning: load average ${load.toFixed(1)} — other processes share the cores, so figures run low and ratios are less stable`,
  );

// The reference's records: the first movements of the same data set, cycled to N.
const POOL = Math.min(n, 20_000);
const pool: { record: unknown; plan: unknown }[] = [];
for (const m of new Dataset(options).movements()) {
  pool.push({ record: m.record, plan: m.plan });
  if (pool.length === POOL) break;
}

/** Only serialising and writing: JSON.stringify of the pooled CTD records and plan entries, N of each, into two files. */
function reference(label: string, ctdsPath: string, planPath: string): Promise<Run> {
  return measure(label, async (sample) => {
    const ctds = new NdjsonWriter(ctdsPath);
    const plan = new NdjsonWriter(planPath);
    for (let i = 1; i <= n; i++) {
      const { record, plan: entry } = pool[i % POOL];
      ctds.writeLine(JSON.stringify(record));
      plan.writeLine(JSON.stringify(entry));
      if (i % every === 0) sample();
      if ((i & 1023) === 0 && (ctds.congested || plan.congested)) await Promise.all([ctds.drained(), plan.drained()]);
    }
    await Promise.all([ctds.close(), plan.close()]);
  });
}

/** The generator's CPU cost per CTD as a multiple of the reference's. */
function ratio(generator: Run, ref: Run): void {
  console.log(
    `  → ${generator.label}: ${(generator.cpuSeconds / ref.cpuSeconds).toFixed(2)}× the CPU of ${ref.label} ` +
      `(${(generator.seconds / ref.seconds).toFixed(2)}× its wall time)`,
  );
}

const devNullRef = await reference('stringify+write → /dev/null', '/dev/null', '/dev/null');
report(devNullRef);

const devNull = await measure('ctds+plan → /dev/null', async (sample) => {
  const dataset = new Dataset(options);
  const ctds = new NdjsonWriter('/dev/null');
  const plan = new NdjsonWriter('/dev/null');
  let i = 0;
  for (const m of dataset.movements()) {
    writeCtdRecord(ctds, m.record);
    plan.writeLine(planRecordJson(m.plan));
    if (++i % every === 0) sample();
    if ((i & 1023) === 0 && (ctds.congested || plan.congested)) await Promise.all([ctds.drained(), plan.drained()]);
  }
  await Promise.all([ctds.close(), plan.close()]);
});
report(devNull);
ratio(devNull, devNullRef);

const dir = await mkdtemp(join(tmpdir(), 'cats-bench-generators-'));
try {
  const fileRef = await reference(
    'stringify+write → files',
    join(dir, 'ref-ctds.ndjson'),
    join(dir, 'ref-plan.ndjson'),
  );
  report(fileRef);
  await rm(join(dir, 'ref-ctds.ndjson'));
  await rm(join(dir, 'ref-plan.ndjson'));
  let last = 0;
  const file = await measure('whole data set → files', async (sample) => {
    await writeDataset(options, dir, ({ done }) => {
      if (done - last >= every) {
        last = done;
        sample();
      }
    });
  });
  report(file);
  ratio(file, fileRef);
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log('target ≥ 50,000 CTDs/s per core with flat memory');
