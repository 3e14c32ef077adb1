// The fault gauge remote-written into a real Prometheus (Debian package `prometheus`), when installed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type RunningPrometheus } from '../../dashboards/prometheus.ts';
import { instantQuery, prometheusForTests } from '../../dashboards/testing/prometheus-for-tests.ts';
import { FaultGauge } from './fault-gauge.ts';
import type { FaultRecord } from './injector.ts';

const binary = prometheusForTests('fault-gauge.prometheus.test.ts');

let prometheus: RunningPrometheus | undefined;
let dir: string;
let base: string;

beforeAll(async () => {
  if (!binary) return;
  dir = await mkdtemp(path.join(tmpdir(), 'fault-gauge-'));
  prometheus = await startPrometheus({
    binary,
    dataDir: dir,
    // Nothing listens there: only remote write fills this Prometheus.
    deployment: { nodes: { GE: { url: 'http://127.0.0.1:9' } } },
  });
  base = prometheus.url;
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const query = (q: string) => instantQuery(base, q);

describe.skipIf(!binary)('the fault gauge in a real Prometheus', () => {
  it('is 1 while a fault is under way and 0 before and after, per fault and target, tagged with the run', async () => {
    const records: FaultRecord[] = [];
    const pushed: Error[] = [];
    const gauge = new FaultGauge({
      remoteWriteUrl: `${base}/api/v1/write`,
      testId: 'gauge-run',
      faults: [
        { fault: 'kill', target: 'node/GE' },
        { fault: 'pause', target: 'ice' },
      ],
      records: () => records,
      intervalMs: 100,
      onError: (err) => pushed.push(err),
    });
    const value = async (q: string): Promise<Array<[string, number]>> =>
      (await query(q)).map((r) => [r.metric.target!, Number(r.value[1])]);
    gauge.start();
    records.push({ fault: 'kill', target: 'node/GE', phase: 'start', t: Date.now(), ok: true });
    // Pushed once a tick: wait for the first push that saw the fault.
    let seen: Array<[string, number]> = [];
    for (let i = 0; i < 100 && !seen.some(([t, v]) => t === 'node/GE' && v === 1); i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await value('cats_fault_active{testid="gauge-run"}');
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        ['node/GE', 1],
        ['ice', 0],
      ]),
    );
    records.push({ fault: 'kill', target: 'node/GE', phase: 'end', t: Date.now(), ok: true });
    await gauge.stop();
    expect(pushed).toEqual([]);
    expect(await value('cats_fault_active{testid="gauge-run"}')).toEqual(
      expect.arrayContaining([
        ['node/GE', 0],
        ['ice', 0],
      ]),
    );
    expect(await value('max_over_time(cats_fault_active{testid="gauge-run",fault="kill"}[5m])')).toEqual([
      ['node/GE', 1],
    ]);
  });
});
