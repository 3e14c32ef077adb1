// Benchmark: encoding a Prometheus remote-write push, in one run, with the libraries the engine uses beside
// hand-written code (bench/support/hand-written-*.ts) and the native snappy package:
//   protobuf  the engine's encodeWriteRequest (@bufbuild/protobuf's BinaryWriter)  vs  a hand-written encoder
//   snappy    snappyjs (the engine's, pure JS), snappy (native, napi-rs)          vs  a hand-written compressor
// for pushes of 100, 1,000 and 10,000 series shaped like the k6 output's (k6_* names, 9 labels, one sample).
// Figures are µs per push (median of rounds) and each one's time as a ratio to the hand-written code's.
// The two encoders must produce the same bytes, and every compressor's output must decode with the others.
//
//   npx tsx bench/remote-write-encoding.ts          (BENCH_ROUNDS=15)
import { compressSync as nativeCompress, uncompressSync as nativeUncompress } from 'snappy';
import * as snappyjs from 'snappyjs';
import { encodeWriteRequest, type TimeSeries } from '../harness/engine/output/remote-write/proto.ts';
import { encodeWriteRequestByHand } from './support/hand-written-proto.ts';
import { snappyCompress, snappyUncompress } from './support/hand-written-snappy.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const SIZES = [100, 1_000, 10_000];

function pushOf(n: number, timestamp: number): TimeSeries[] {
  const stats = ['avg', 'min', 'med', 'max', 'p90', 'p95', 'p99'];
  const out: TimeSeries[] = [];
  for (let i = 0; i < n; i++) {
    const op = `op${i % 40}`;
    out.push({
      labels: [
        { name: '__name__', value: i % 8 === 0 ? 'k6_http_reqs_total' : `k6_http_req_duration_${stats[i % 7]}` },
        { name: 'expected_response', value: i % 50 ? 'true' : 'false' },
        { name: 'method', value: i % 3 ? 'POST' : 'GET' },
        { name: 'name', value: `${op} ${Math.floor(i / 40)}` },
        { name: 'proto', value: 'HTTP/1.1' },
        { name: 'scenario', value: `ctd_${i % 4}` },
        { name: 'status', value: i % 50 ? '201' : '422' },
        { name: 'testid', value: 'run-2026-12-03T07-30-00' },
        { name: 'url', value: `http://127.0.0.1:8080/v1/${op}/${Math.floor(i / 40)}` },
      ],
      samples: [{ value: i % 8 === 0 ? i * 13 : 0.5 + (i % 997) * 0.731, timestamp }],
    });
  }
  return out;
}

function timeUs(fn: () => unknown, reps: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / reps;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`rounds ${ROUNDS}; µs per push (median); ratio = library ÷ hand-written (below 1: the library is faster)`);
for (const n of SIZES) {
  const series = pushOf(n, Date.now());
  const body = encodeWriteRequest(series);
  if (Buffer.compare(body, encodeWriteRequestByHand(series)) !== 0)
    throw new Error(`${n} series: the two encoders disagree`);
  for (const [name, c] of [
    ['hand-written', snappyCompress(body)],
    ['snappyjs', Buffer.from(snappyjs.compress(body))],
    ['native', nativeCompress(body)],
  ] as const) {
    for (const d of [snappyUncompress(c), Buffer.from(snappyjs.uncompress(c)), nativeUncompress(c) as Buffer])
      if (Buffer.compare(d, body) !== 0) throw new Error(`${n} series: ${name} snappy output does not round-trip`);
  }

  const reps = Math.max(1, Math.round(20_000 / n));
  const t = { byHand: [] as number[], bufbuild: [] as number[], snappyByHand: [] as number[] };
  const s = { snappyjs: [] as number[], native: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    t.byHand.push(timeUs(() => encodeWriteRequestByHand(series), reps));
    t.bufbuild.push(timeUs(() => encodeWriteRequest(series), reps));
    t.snappyByHand.push(timeUs(() => snappyCompress(body), reps));
    s.snappyjs.push(timeUs(() => snappyjs.compress(body), reps));
    s.native.push(timeUs(() => nativeCompress(body), reps));
  }
  const hp = median(t.byHand);
  const hs = median(t.snappyByHand);
  const us = (xs: number[]) => median(xs).toFixed(0).padStart(8) + ' µs';
  const size = (b: Uint8Array) => (b.length / 1024).toFixed(1).padStart(7) + ' KiB';
  console.log(`\n${n.toLocaleString('en-US')} series (${size(body)} protobuf)`);
  console.log(`  protobuf  hand-written  ${us(t.byHand)}`);
  console.log(
    `  protobuf  bufbuild      ${us(t.bufbuild)}                ratio ${(median(t.bufbuild) / hp).toFixed(2)}`,
  );
  console.log(`  snappy    hand-written  ${us(t.snappyByHand)}   ${size(snappyCompress(body))}`);
  console.log(
    `  snappy    snappyjs      ${us(s.snappyjs)}   ${size(snappyjs.compress(body))}   ratio ${(median(s.snappyjs) / hs).toFixed(2)}`,
  );
  console.log(
    `  snappy    native        ${us(s.native)}   ${size(nativeCompress(body))}   ratio ${(median(s.native) / hs).toFixed(2)}`,
  );
}
