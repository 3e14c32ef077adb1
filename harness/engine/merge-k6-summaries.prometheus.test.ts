// A distributed run of real k6 merged: two instances, as k6-operator runners tagged
// `--tag testid=… --tag instance_id=N`, remote-write native histograms to a real Prometheus
// (Debian package `prometheus`) and leave their summaries (handleSummary's data, no histograms).
// `merge` sums what the summaries hold and reads the percentiles from Prometheus, saying so.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDashboards } from '../../dashboards/dashboards.ts';
import { startPrometheus, type RunningPrometheus } from '../../dashboards/prometheus.ts';
import { instantQuery } from '../../dashboards/testing/prometheus-for-tests.ts';
import { prometheusForTests } from '../../dashboards/testing/prometheus-for-tests.ts';
import { command as merge } from '../commands/merge.ts';
import type { Sample } from './metrics/metric.ts';
import { mergeK6Summaries, prometheusTrendStats } from './merge-k6-summaries.ts';
import { create } from './output/prometheus-rw.ts';
import type { SummaryData } from './summary/summary-data.ts';

const binary = prometheusForTests('merge-k6-summaries.prometheus.test.ts');
const TESTID = 'k6-operator-run';
// Instance 1 answered fast, instance 2 slowly and less often: no instance's percentiles are the run's.
const DURATIONS = {
  '1': Array.from({ length: 150 }, (_, i) => 10 + i),
  '2': Array.from({ length: 50 }, (_, i) => 1000 + i),
};
const VUS = { '1': 3, '2': 2 };

let prometheus: RunningPrometheus | undefined;
let dir: string;

/** What one instance remote-writes: every sample tagged with its instance_id, as `--tag instance_id=N` does. */
async function remoteWrite(instance: '1' | '2'): Promise<void> {
  const out = create({
    env: {
      K6_PROMETHEUS_RW_SERVER_URL: prometheus!.remoteWriteUrl,
      K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
    },
    testId: TESTID,
  });
  const tags = Object.freeze({
    instance_id: instance,
    scenario: 'ctd',
    name: 'POST /ctd',
    method: 'POST',
    status: '201',
  });
  const now = Date.now() - 1000;
  const samples: Sample[] = DURATIONS[instance].flatMap((d, i) => [
    { metric: 'http_reqs', value: 1, tags, time: now + i },
    { metric: 'http_req_duration', value: d, tags, time: now + i },
  ]);
  samples.push({ metric: 'vus', value: VUS[instance], tags: { instance_id: instance, scenario: 'ctd' }, time: now });
  await out.start();
  out.addSamples(samples);
  await out.stop();
}

/** The instance's summary as real k6 hands it to handleSummary. */
function summaryOf(instance: '1' | '2'): SummaryData {
  const d = DURATIONS[instance];
  const sorted = [...d].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.round(p * (sorted.length - 1))]!;
  const avg = d.reduce((a, b) => a + b, 0) / d.length;
  const check = { name: 'accepted', path: '::accepted', id: 'c', passes: d.length - 1, fails: 1 };
  return {
    root_group: { name: '', path: '', id: 'r', groups: [], checks: [check] },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: true },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 10_000 },
    metrics: {
      http_reqs: { type: 'counter', contains: 'default', values: { count: d.length, rate: d.length / 10 } },
      http_req_duration: {
        type: 'trend',
        contains: 'time',
        values: { avg, min: sorted[0]!, med: at(0.5), max: sorted.at(-1)!, 'p(90)': at(0.9), 'p(95)': at(0.95) },
        thresholds: { 'p(95)<500': { ok: at(0.95) < 500 }, 'med<200': { ok: at(0.5) < 200 } },
      },
      checks: {
        type: 'rate',
        contains: 'default',
        values: { rate: check.passes / d.length, passes: check.passes, fails: 1 },
      },
      vus: { type: 'gauge', contains: 'default', values: { value: VUS[instance], min: 0, max: VUS[instance] } },
    },
  };
}

beforeAll(async () => {
  if (!binary) return;
  dir = await mkdtemp(path.join(tmpdir(), 'merge-k6-'));
  // Nothing here is scraped (no node listens on port 9): the runs arrive by remote write.
  prometheus = await startPrometheus({
    binary,
    deployment: { nodes: { GE: { url: 'http://127.0.0.1:9' } } },
    dataDir: path.join(dir, 'prometheus'),
  });
  await remoteWrite('1');
  await remoteWrite('2');
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const all = [...DURATIONS['1'], ...DURATIONS['2']].sort((a, b) => a - b);
const exact = (p: number) => {
  const i = p * (all.length - 1);
  return all[Math.floor(i)]! + (all[Math.ceil(i)]! - all[Math.floor(i)]!) * (i - Math.floor(i));
};

describe.skipIf(!binary)('merging the instances of a real-k6 distributed run', () => {
  it('writes every series with its instance_id and the run’s testid; the dashboards add the instances up', async () => {
    const byInstance = await instantQuery(
      prometheus!.url,
      `count by (instance_id) (k6_http_reqs_total{testid="${TESTID}"})`,
    );
    expect(byInstance.map((s) => s.metric.instance_id).sort()).toEqual(['1', '2']);
    const vusQuery = [...allDashboards()]
      .find(([file]) => file === 'load-test.json')![1]
      .panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr as string))
      .find((e: string) => e.startsWith('sum(k6_vus{'))!;
    const vus = await instantQuery(prometheus!.url, vusQuery.replace('$testid', TESTID));
    expect(Number(vus[0]!.value[1])).toBe(VUS['1'] + VUS['2']);
    const requests = await instantQuery(prometheus!.url, `sum(k6_http_reqs_total{testid="${TESTID}"})`);
    expect(Number(requests[0]!.value[1])).toBe(all.length);
  });

  it('sums the summaries and takes the trends from the native histograms of all instances', async () => {
    const { summary, notes, warnings, failedThresholds } = await mergeK6Summaries(
      [summaryOf('1'), summaryOf('2')],
      prometheusTrendStats(prometheus!.url, TESTID),
    );
    expect(summary.metrics.http_reqs!.values).toEqual({ count: 200, rate: 20 });
    expect(summary.metrics.checks!.values).toEqual({ rate: 198 / 200, passes: 198, fails: 2 });
    expect(summary.metrics.vus!.values.value).toBe(5);
    expect(summary.root_group.checks[0]).toMatchObject({ passes: 198, fails: 2 });
    const t = summary.metrics.http_req_duration!.values;
    expect([t.min, t.max]).toEqual([10, 1049]);
    // The sum of observations is exact in a native histogram; quantiles within its bucket width (≈ 9 %).
    expect(t.avg).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 6);
    for (const [stat, p] of [
      ['med', 0.5],
      ['p(90)', 0.9],
      ['p(95)', 0.95],
    ] as const)
      expect(Math.abs(t[stat]! / exact(p) - 1), stat).toBeLessThan(0.1);
    // Instance 1 alone met p(95)<500; the run did not.
    expect(summaryOf('1').metrics.http_req_duration!.thresholds!['p(95)<500']!.ok).toBe(true);
    expect(failedThresholds).toEqual(['http_req_duration: p(95)<500']);
    expect(summary.metrics.http_req_duration!.thresholds).toEqual({
      'p(95)<500': { ok: false },
      'med<200': { ok: true },
    });
    expect(notes.join(' ')).toMatch(/Prometheus native histograms/);
    expect(warnings).toEqual([]);
  });

  it('`merge` says where the trends came from, and leaves them out, saying so, without a Prometheus', async () => {
    const runs = ['1', '2'] as const;
    for (const i of runs) await writeFile(path.join(dir, `summary-${i}.json`), JSON.stringify(summaryOf(i)));
    const files = runs.map((i) => path.join(dir, `summary-${i}.json`));
    const out = path.join(dir, 'merged');
    const code = await merge.run(['--out', out, '--prometheus', prometheus!.url, '--testid', TESTID, ...files]);
    expect(code).toBe(99); // p(95)<500 crossed
    const record = JSON.parse(await readFile(path.join(out, 'merge.json'), 'utf8'));
    expect(record.trendsFrom).toEqual({ prometheus: prometheus!.url, testid: TESTID });
    expect(record.notes.join(' ')).toMatch(/native histograms/);
    const merged = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as SummaryData;
    expect(merged.metrics.http_req_duration!.values['p(95)']).toBeGreaterThan(900);

    const blind = path.join(dir, 'blind');
    await merge.run(['--out', blind, ...files]);
    const without = JSON.parse(await readFile(path.join(blind, 'merge.json'), 'utf8'));
    expect(without.warnings.join(' ')).toMatch(/--prometheus.*http_req_duration p\(95\)/);
    const values = (JSON.parse(await readFile(path.join(blind, 'summary.json'), 'utf8')) as SummaryData).metrics
      .http_req_duration!.values;
    expect(Object.keys(values).sort()).toEqual(['max', 'min']);
  });
});
