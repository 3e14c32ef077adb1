// Generator throughput: CTDs per second per core streaming to NDJSON, to
// /dev/null (generation and serialisation only) and to files on disk (the
// whole data set), with resident memory sampled through a large run to show
// it stays flat. Usage: npx tsx bench/generators.ts [N] (default 1,000,000).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

const dir = await mkdtemp(join(tmpdir(), 'cats-bench-generators-'));
try {
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
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`N = ${n}; node ${process.version}; target ≥ 50,000 CTDs/s per core with flat memory`);
