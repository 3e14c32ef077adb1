// The fault gauge remote-written into a real Prometheus (Debian package `prometheus`), when installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../reference/net/free-port.ts';
import { FaultGauge } from './fault-gauge.ts';
import type { FaultRecord } from './injector.ts';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const available = existsSync(PROMETHEUS);
if (!available)
  console.warn(`skipping the real-Prometheus fault gauge test: ${PROMETHEUS} not found (apt-get install prometheus)`);

let proc: ChildProcess | undefined;
let dir: string;
let base: string;

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(path.join(tmpdir(), 'fault-gauge-'));
  await writeFile(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  proc = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--enable-feature=native-histograms',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  proc.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`prometheus did not become ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc?.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function query(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as {
    status: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    error?: string;
  };
  if (body.status !== 'success') throw new Error(`query ${q} failed: ${body.error}`);
  return body.data.result;
}

describe.skipIf(!available)('the fault gauge in a real Prometheus', () => {
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
