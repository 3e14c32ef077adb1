// The remote write output against a real Prometheus (Debian package `prometheus`), when installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../reference/net/free-port.ts';
import type { Sample } from '../metrics/metric.ts';
import { create } from './prometheus-rw.ts';
import { instantQuery } from '../../../dashboards/testing/prometheus-for-tests.ts';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const available = existsSync(PROMETHEUS);
if (!available)
  console.warn(`skipping the real-Prometheus remote write test: ${PROMETHEUS} not found (apt-get install prometheus)`);

let proc: ChildProcess | undefined;
let dir: string;
let base: string;

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(path.join(tmpdir(), 'prom-rw-'));
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

const query = (q: string) => instantQuery(base, q);

function run(testId: string, env: Record<string, string>): Promise<void> {
  const out = create({ env: { K6_PROMETHEUS_RW_SERVER_URL: `${base}/api/v1/write`, ...env }, testId });
  const now = Date.now() - 1000;
  const tags = Object.freeze({
    scenario: 'ctd',
    method: 'POST',
    name: 'POST /ctd',
    url: 'POST /ctd',
    status: '201',
    group: '',
  });
  const samples: Sample[] = [];
  for (let i = 0; i < 200; i++) {
    samples.push({ metric: 'http_reqs', value: 1, tags, time: now + i });
    samples.push({ metric: 'http_req_duration', value: 50 + (i % 100), tags, time: now + i });
    samples.push({ metric: 'http_req_failed', value: i < 20 ? 1 : 0, tags, time: now + i });
  }
  samples.push({ metric: 'vus', value: 10, tags: { scenario: 'ctd' }, time: now });
  return out.start().then(() => {
    out.addSamples(samples);
    return out.stop();
  });
}

describe.skipIf(!available)('remote write into a real Prometheus', () => {
  it('stores k6 series that PromQL reads back by testid', async () => {
    await run('rw-gauges', { K6_PROMETHEUS_RW_TREND_STATS: 'p(95),avg,max' });
    const reqs = await query('k6_http_reqs_total{testid="rw-gauges"}');
    expect(reqs).toHaveLength(1);
    expect(reqs[0].metric).toMatchObject({ method: 'POST', status: '201', scenario: 'ctd', name: 'POST /ctd' });
    expect(reqs[0].metric.group).toBeUndefined();
    expect(Number(reqs[0].value[1])).toBe(200);
    expect(Number((await query('k6_http_req_failed_rate{testid="rw-gauges"}'))[0].value[1])).toBeCloseTo(0.1, 9);
    expect(Number((await query('k6_vus{testid="rw-gauges"}'))[0].value[1])).toBe(10);
    expect(Number((await query('k6_http_req_duration_p95{testid="rw-gauges"}'))[0].value[1])).toBeCloseTo(0.14405, 3); // k6: sorted, i = p·(n−1), interpolated
    expect(Number((await query('k6_http_req_duration_max{testid="rw-gauges"}'))[0].value[1])).toBeCloseTo(0.149, 6);
    // The way dashboard 19665 reads a trend stat.
    expect(await query('avg(k6_http_req_duration_avg{testid="rw-gauges"}) by (scenario)')).toHaveLength(1);
  });

  it('stores native histograms that histogram_quantile reads', async () => {
    await run('rw-native', { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' });
    const count = await query('histogram_count(k6_http_req_duration_seconds{testid="rw-native"})');
    expect(Number(count[0].value[1])).toBe(200);
    const median = Number(
      (await query('histogram_quantile(0.5, sum(k6_http_req_duration_seconds{testid="rw-native"}))'))[0].value[1],
    );
    expect(median).toBeGreaterThan(0.09);
    expect(median).toBeLessThan(0.11);
  });
});
