import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../metrics/metric.ts';
import {
  create,
  histogramOf,
  histogramPercentile,
  MAX_SERIES_PER_METRIC,
  mergeHistograms,
  percentile,
  TimeBuckets,
} from './timeseries.ts';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const describeBuiltin = (name: string) =>
  name === 'http_reqs'
    ? ({ name, type: 'counter', contains: 'default' } as const)
    : name === 'vus'
      ? ({ name, type: 'gauge', contains: 'default' } as const)
      : undefined;

describe('timeseries buckets', () => {
  it('gives each second exact percentiles, per series and over all series', () => {
    const b = new TimeBuckets(describeBuiltin);
    const a = Object.freeze({ operation: 'ctd_submit', status: '201', url: 'http://x/1' });
    const c = Object.freeze({ operation: 'ctd_list', status: '200', url: 'http://x/2' });
    const samples: Sample[] = [];
    for (let i = 1; i <= 100; i++)
      samples.push({ metric: 'http_req_duration', time: T0 + i, value: i, tags: i % 2 ? a : c });
    b.add(samples);
    const lines = b.drain(true);
    const all = lines.find((l) => l.k === null)!;
    expect(all).toMatchObject({ t: T0 / 1000, n: 100, min: 1, max: 100, p50: 50.5, p99: 99.01 });
    const submit = lines.find((l) => l.k?.operation === 'ctd_submit')!;
    // url is not a series tag: it is summed over.
    expect(submit.k).toEqual({ operation: 'ctd_submit', status: '201' });
    expect(submit.n).toBe(50);
  });

  it('merges seconds and series through their histograms within 1 % of the exact percentile', () => {
    // A long-tailed latency sample (lognormal-ish), split in two as two seconds would be.
    const values = Array.from({ length: 5000 }, (_, i) => Math.exp(1 + 2 * Math.sin(i * 12.9898) ** 2) * (1 + (i % 7)));
    const merged = mergeHistograms(
      mergeHistograms(new Map(), histogramOf(values.slice(0, 2500))),
      histogramOf(values.slice(2500)),
    );
    const sorted = Float64Array.from(values).sort();
    for (const p of [50, 90, 95, 99]) {
      const exact = percentile(sorted, p);
      expect(Math.abs(histogramPercentile(merged, p) - exact) / exact).toBeLessThan(0.01 + 2 / values.length);
    }
    expect(histogramPercentile(new Map(), 95)).toBeNaN();
  });

  it('bounds the series of a metric and keeps late samples', () => {
    const b = new TimeBuckets(describeBuiltin);
    const samples: Sample[] = [];
    for (let i = 0; i < MAX_SERIES_PER_METRIC + 10; i++)
      samples.push({ metric: 'http_reqs', time: T0, value: 1, tags: { operation: `op${i}` } });
    b.add(samples);
    b.add([{ metric: 'http_reqs', time: T0 + 10_000, value: 1, tags: { operation: 'op0' } }]);
    const first = b.drain();
    expect(first.filter((l) => l.t === T0 / 1000)).toHaveLength(MAX_SERIES_PER_METRIC + 1);
    expect(first.find((l) => l.k?.other)).toMatchObject({ sum: 10 });
    expect(b.overflow).toEqual({ http_reqs: 10 });
    b.add([{ metric: 'http_reqs', time: T0 + 500, value: 1, tags: { operation: 'op0' } }]);
    const rest = b.drain(true);
    expect(b.late).toBe(1);
    // Nothing is lost: every sample is in exactly one written line.
    expect([...first, ...rest].reduce((s, l) => s + l.n, 0)).toBe(MAX_SERIES_PER_METRIC + 12);
  });

  it('keeps the status of requests folded into the overflow series, so server errors stay visible', () => {
    const b = new TimeBuckets(describeBuiltin);
    const samples: Sample[] = [];
    for (let i = 0; i < MAX_SERIES_PER_METRIC; i++)
      samples.push({ metric: 'http_reqs', time: T0, value: 1, tags: { operation: `op${i}`, status: '200' } });
    for (const status of ['200', '503', '503', '500'])
      samples.push({ metric: 'http_reqs', time: T0, value: 1, tags: { operation: 'late', status } });
    b.add(samples);
    const folded = b
      .drain(true)
      .filter((l) => l.k?.other)
      .map((l) => [l.k!.status, (l as { sum: number }).sum]);
    expect(folded.sort()).toEqual([
      ['200', 1],
      ['500', 1],
      ['503', 2],
    ]);
  });

  it('writes a header, metric lines, buckets and an end line', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'ts-out-')), 'sub', 'timeseries.ndjson');
    const out = create({ arg: file, env: {}, testId: 'run-1' });
    await out.start();
    out.addSamples([
      { metric: 'vus', time: T0, value: 3, tags: {} },
      { metric: 'vus', time: T0 + 900, value: 5, tags: {} },
    ]);
    await out.stop();
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { type: 'timeseries', version: 1, bucketMs: 1000, testId: 'run-1', tags: expect.any(Array) },
      { type: 'metric', name: 'vus', metricType: 'gauge', contains: 'default', thresholds: [] },
      { t: T0 / 1000, m: 'vus', k: {}, n: 2, last: 5, min: 3, max: 5 },
      { type: 'end', late: 0, overflow: {} },
    ]);
    expect(() => create({ env: {}, testId: 'x' })).toThrow(/file name is required/);
  });
});
