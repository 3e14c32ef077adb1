// Benchmark: the time-series output's cost per sample, beside the JSON output (`--out json`)
// on the same samples in the same run. Samples are shaped like an HTTP test's: per request
// one http_reqs and seven http_req_* trends, with 24 tag sets, 10,000 requests a second.
//
//   npx tsx bench/timeseries-output.ts [requests=200000]
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sample } from '../harness/engine/metrics/metric.ts';
import { create as createJson } from '../harness/engine/output/json.ts';
import { create as createTimeseries } from '../harness/engine/output/timeseries.ts';

const requests = Number(process.argv[2] ?? 200_000);
const PER_SECOND = 10_000;
const TRENDS = [
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'http_req_tls_handshaking',
];
const tagSets = Array.from({ length: 24 }, (_, i) =>
  Object.freeze({
    scenario: `s${i % 3}`,
    operation: `op${i % 8}`,
    status: i % 12 ? '201' : '422',
    method: 'POST',
    url: `http://127.0.0.1/v1/x${i}`,
    name: `POST /v1/x${i % 8}`,
  }),
);
const start = Date.UTC(2026, 10, 23);
const batches: Sample[][] = [];
let batch: Sample[] = [];
for (let i = 0; i < requests; i++) {
  const time = start + Math.floor((i / PER_SECOND) * 1000);
  const tags = tagSets[i % tagSets.length]!;
  const latency = 5 + ((i * 7919) % 1000) / 20;
  batch.push({ metric: 'http_reqs', time, value: 1, tags });
  for (const m of TRENDS)
    batch.push({ metric: m, time, value: m === 'http_req_duration' ? latency : latency / 10, tags });
  // The engine hands outputs one batch per second.
  if ((i + 1) % PER_SECOND === 0) {
    batches.push(batch);
    batch = [];
  }
}
if (batch.length) batches.push(batch);
const samples = batches.reduce((a, b) => a + b.length, 0);
const dir = await mkdtemp(path.join(tmpdir(), 'bench-ts-'));

async function time(name: string, factory: typeof createJson, file: string) {
  const out = factory({ arg: file, env: {}, testId: 'bench' });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await out.start();
  for (const b of batches) out.addSamples(b);
  await out.stop();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const size = (await stat(file)).size;
  console.log(
    `${name.padEnd(11)} ${(samples / (ms / 1000)).toLocaleString('en-US', { maximumFractionDigits: 0 }).padStart(11)} samples/s  ${(((used.user + used.system) / 1000 / samples) * 1e6).toFixed(0).padStart(5)} ns CPU/sample  ${(size / 1e6).toFixed(1).padStart(7)} MB`,
  );
  return ms;
}

console.log(
  `${requests.toLocaleString('en-US')} requests, ${samples.toLocaleString('en-US')} samples, ${batches.length} s of run`,
);
const json = await time('json', createJson, path.join(dir, 'samples.json'));
const ts = await time('timeseries', createTimeseries, path.join(dir, 'timeseries.ndjson'));
console.log(`timeseries / json time: ${(ts / json).toFixed(2)}`);
await rm(dir, { recursive: true, force: true });
