// Benchmark: how accurately the engine keeps time, as ratios to references measured in the same run.
//   latency   http_req_duration (median, p95) ÷ the delay the server applied (measured on its side)
//   rate      achieved constant-arrival-rate (starts ÷ span of start times) ÷ the target rate
//   ramp      median start time of a ramping-arrival-rate ÷ the time its schedule gives that iteration
// with the schedule lag (p95) and the engine's own event-loop delay beside them: on a machine short of
// CPU the ratios drift from 1 and the generator delay says why.
//
//   npx tsx bench/engine-accuracy.ts          (BENCH_SECONDS=3 per measurement)
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { arrivalSchedule } from '../harness/engine/executors/ramping-arrival-rate.ts';
import { runScript, type RunResult } from '../harness/engine/run.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const DELAY_MS = 100;
const STATS = "summaryTrendStats: ['count', 'min', 'med', 'max', 'p(95)']";

async function run(source: string, env: Record<string, string> = {}): Promise<RunResult> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'engine-accuracy-')), 'script.js');
  writeFileSync(file, source);
  const sink = new PassThrough().resume();
  const r = await runScript(file, { env, quiet: true, workers: 1, stdout: sink, stderr: sink });
  if (r.exitCode !== 0) throw new Error(`bench script failed (${r.exitCode}): ${r.error ?? ''}`);
  return r;
}

const value = (r: RunResult, metric: string, stat: string): number =>
  r.summaryData?.metrics[metric]?.values[stat] ?? Number.NaN;
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const f = (n: number, digits = 3): string => n.toFixed(digits);

// ---------------------------------------------------------------------------------- latency
const applied: number[] = [];
const server = createServer((_req, res) => {
  const start = performance.now();
  setTimeout(() => {
    res.end('ok');
    applied.push(performance.now() - start);
  }, DELAY_MS);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const latency = await run(
  `import http from 'k6/http';
export const options = { ${STATS}, scenarios: { load: { executor: 'constant-vus', vus: 10, duration: '${SECONDS}s' } } };
export default async function () { await http.asyncRequest('GET', __ENV.BASE + '/'); }`,
  { BASE: base },
);
server.close();
applied.sort((a, b) => a - b);
const serverMed = quantile(applied, 0.5);
const serverP95 = quantile(applied, 0.95);
console.log(`latency  server delay ${DELAY_MS} ms (applied: med ${f(serverMed)} ms, p95 ${f(serverP95)} ms), 10 VUs`);
console.log(
  `         http_req_duration med ÷ server med = ${f(value(latency, 'http_req_duration', 'med') / serverMed, 4)}, ` +
    `p95 ÷ server p95 = ${f(value(latency, 'http_req_duration', 'p(95)') / serverP95, 4)}  ` +
    `(${value(latency, 'http_reqs', 'count')} requests, generator delay p99 ${f(latency.generatorDelayMs ?? Number.NaN, 1)} ms)`,
);

// ------------------------------------------------------------------------------------- rate
for (const rate of [200, 1000]) {
  const r = await run(
    `import exec from 'k6/execution';
import { Trend } from 'k6/metrics';
const startOffset = new Trend('start_offset', true);
export const options = { ${STATS}, scenarios: { r: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s', duration: '${SECONDS}s', preAllocatedVUs: 50 } } };
export default async function () { startOffset.add(Date.now() - exec.scenario.startTime); await new Promise((r) => setTimeout(r, 10)); }`,
  );
  const n = value(r, 'start_offset', 'count');
  const span = value(r, 'start_offset', 'max') - value(r, 'start_offset', 'min');
  const achieved = (n - 1) / (span / 1000);
  const dropped = value(r, 'dropped_iterations', 'count');
  console.log(
    `rate     target ${rate}/s: achieved ÷ target = ${f(achieved / rate, 4)}, ` +
      `started ÷ planned = ${f(n / (rate * SECONDS), 4)}, dropped ${Number.isNaN(dropped) ? 0 : dropped}, ` +
      `schedule lag p95 ${f(value(r, 'iteration_schedule_lag', 'p(95)'))} ms, generator delay p99 ${f(r.generatorDelayMs ?? Number.NaN, 1)} ms`,
  );
}

// ------------------------------------------------------------------------------------- ramp
// 0 → 100/s over SECONDS, then 100/s for SECONDS/2: the median iteration starts where the schedule puts it.
const rampStages = [
  { durationMs: SECONDS * 1000, target: 100 },
  { durationMs: SECONDS * 500, target: 100 },
];
const planned = 100 * SECONDS;
const expectedMed = arrivalSchedule(0, rampStages, 1000)(Math.floor(planned / 2))!;
const ramp = await run(
  `import exec from 'k6/execution';
import { Trend } from 'k6/metrics';
const startOffset = new Trend('start_offset', true);
export const options = { ${STATS}, scenarios: { r: { executor: 'ramping-arrival-rate', startRate: 0, preAllocatedVUs: 5,
  stages: [{ duration: '${SECONDS}s', target: 100 }, { duration: '${SECONDS * 500}ms', target: 100 }] } } };
export default function () { startOffset.add(Date.now() - exec.scenario.startTime); }`,
);
console.log(
  `ramp     0 → 100/s: median start ÷ scheduled = ${f(value(ramp, 'start_offset', 'med') / expectedMed, 4)} ` +
    `(scheduled ${f(expectedMed, 0)} ms), started ÷ planned = ${f(value(ramp, 'start_offset', 'count') / planned, 4)}`,
);
