// Live metrics end to end: a real Prometheus on loopback scraping two national
// nodes and ICE, two short runs of the engine writing to it by remote write (one
// with trend-stat gauges, one with native histograms), then every query of every
// dashboard executed as Grafana would run it, with the variables a user picks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../harness/engine/run.ts';
import { startNode, type RunningNode } from '../reference/cats/start.ts';
import { domesticCtd, seed, testGrn } from '../reference/cats/testing/node-harness.ts';
import { intoAzerbaijan } from '../reference/domain/testing/sample-ctd.ts';
import { startIce, type IceServer } from '../reference/ice/server.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { allDashboards } from './dashboards.ts';
import { dashboardTargets, type GrafanaDashboard, type GrafanaPanel, type GrafanaTarget } from './grafana-model.ts';
import { startPrometheus, type RunningPrometheus } from './prometheus.ts';
import { prometheusForTests } from './testing/prometheus-for-tests.ts';
import { interpolate, metricNames, resolveVariables, runQuery, type Window } from './testing/dashboard-queries.ts';

const binary = prometheusForTests('dashboards/observability.test.ts');

const here = path.dirname(fileURLToPath(import.meta.url));
const SCRAPE = '1s';
const RATE_INTERVAL = '4s'; // Grafana: max(4 × scrape interval, $__interval + scrape interval)
const iceTokens = { GE: 'ge-ice-credential-for-observability', AZ: 'az-ice-credential-for-observability' };
const trader = { tin: 'GE300000077', token: 'trader-token-observability-01' };

type Mode = 'trend-stats' | 'native-histograms';
const runs: Record<Mode, { testid: string; env: Record<string, string> }> = {
  'trend-stats': {
    testid: `obs-trend-${process.pid}`,
    env: { K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),med,avg,min,max' },
  },
  'native-histograms': {
    testid: `obs-native-${process.pid}`,
    env: { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' },
  },
};

describe.skipIf(!binary)('dashboards against a real Prometheus fed by a real run', () => {
  let prometheus: RunningPrometheus;
  let ice: IceServer;
  const nodes: RunningNode[] = [];
  let dir: string;
  let window: Window;
  const dashboards = allDashboards();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cats-obs-'));
    const [iceDb, geDb, azDb] = await Promise.all([
      createTestDatabase('obs_ice'),
      createTestDatabase('obs_ge'),
      createTestDatabase('obs_az'),
    ]);
    ice = await startIce({ databaseUrl: iceDb, nodeTokens: iceTokens });
    for (const [country, databaseUrl] of [
      ['GE', geDb],
      ['AZ', azDb],
    ] as const)
      nodes.push(
        await startNode({
          country,
          databaseUrl,
          ice: { url: ice.url, token: iceTokens[country], log: () => undefined },
        }),
      );
    const [ge] = nodes;
    const grn = testGrn();
    await seed(ge!, {
      operators: [trader],
      guarantees: [{ grn, holderTin: trader.tin, referenceAmount: 1_000_000_000 }],
    });

    // GE → AZ, so every release sends IE001/IE050 through ICE.
    const ctd = intoAzerbaijan(domesticCtd({ lrn: 'TEMPLATE', holderTin: trader.tin, grn }));
    await writeFile(path.join(dir, 'ctd.json'), JSON.stringify(ctd));

    prometheus = await startPrometheus({
      deployment: { nodes: Object.fromEntries(nodes.map((n) => [n.country, { url: n.url }])), ice: { url: ice.url } },
      dataDir: path.join(dir, 'prometheus'),
      scrapeInterval: SCRAPE,
    });

    const startMs = Date.now();
    for (const [mode, run] of Object.entries(runs)) {
      const { exitCode, error } = await runScript(path.join(here, 'testing/observed-run.js'), {
        env: {
          NODE_URL: ge!.url,
          TOKEN: trader.token,
          CTD: path.join(dir, 'ctd.json'),
          RUN: mode === 'trend-stats' ? 'T' : 'N',
          DURATION: '5s',
          ...prometheus.env,
          K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
          ...run.env,
        },
        overrides: { tags: { testid: run.testid } },
        outputs: ['experimental-prometheus-rw'],
        workers: 1,
        quiet: true,
        noSummary: true,
      });
      expect(error, `${mode} run failed`).toBeUndefined();
      expect(exitCode).toBe(0);
    }
    // Two more scrapes after the runs, so the servers' last counts are in.
    await new Promise((r) => setTimeout(r, 2500));
    window = { startMs, endMs: Date.now(), stepSeconds: 1, rateInterval: RATE_INTERVAL };
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const n of nodes) await n.close();
    await ice?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** What a user picks: the run (so queries filtered by testid see it), a 1 s SLO on a small test machine. */
  function picks(mode: Mode): Record<string, string> {
    return { testid: runs[mode].testid, slo: '1' };
  }

  async function evaluate(d: GrafanaDashboard, mode: Mode) {
    const values = await resolveVariables(prometheus.url, d, window, picks(mode));
    return Promise.all(
      dashboardTargets(d).map(async ({ panel, target }) => {
        const expr = interpolate(target.expr, values);
        return { panel, target, expr, result: await runQuery(prometheus.url, expr, target.instant, window) };
      }),
    );
  }

  it('scrapes every part of the deployment', async () => {
    const res = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ labels: Record<string, string>; health: string }> };
    };
    const seen = res.data.activeTargets.map((t) => `${t.labels.job}:${t.labels.country ?? ''}:${t.health}`).sort();
    expect(seen).toEqual(['cats-node:AZ:up', 'cats-node:GE:up', 'ice::up']);
  });

  for (const [file, d] of allDashboards()) {
    it(`every panel of ${file} shows data for each kind of run, and every query returns data`, async () => {
      const byTarget = new Map<GrafanaTarget, { panel: GrafanaPanel; hits: number; exprs: string[] }>();
      const emptyPanels: string[] = [];
      for (const mode of Object.keys(runs) as Mode[]) {
        const results = await evaluate(dashboards.get(file)!, mode);
        const panelHits = new Map<GrafanaPanel, number>();
        for (const { panel, target, expr, result } of results) {
          const entry = byTarget.get(target) ?? { panel, hits: 0, exprs: [] };
          entry.exprs.push(expr);
          if (result.finite > 0) entry.hits++;
          byTarget.set(target, entry);
          panelHits.set(panel, (panelHits.get(panel) ?? 0) + (result.finite > 0 ? 1 : 0));
        }
        for (const [panel, hits] of panelHits) if (hits === 0) emptyPanels.push(`${mode}: '${panel.title}'`);
      }
      const deadQueries = [...byTarget.entries()]
        .filter(([, e]) => e.hits === 0)
        .map(([t, e]) => `'${e.panel.title}' ${t.refId}: ${e.exprs[0]}`);
      expect(emptyPanels, 'panels without data').toEqual([]);
      expect(deadQueries, 'queries without data in either run').toEqual([]);
      expect(byTarget.size).toBe(dashboardTargets(d).length);
    }, 60_000);
  }

  // The official k6 dashboards' queries (Grafana 19665 and 18030, see shared loadtesting notes §1b):
  // they must work unchanged on this engine's runs, as they do on real k6's.
  const phases = ['blocked', 'tls_handshaking', 'sending', 'waiting', 'receiving', 'duration'];
  const official: Record<Mode, string[]> = {
    'trend-stats': [
      'sum(k6_vus{testid=~"$testid"})',
      'sum(irate(k6_http_reqs_total{testid=~"$testid"}[$__rate_interval]))',
      'sum(irate(k6_http_reqs_total{testid=~"$testid", expected_response="false"}[$__rate_interval]))',
      'avg(round(k6_http_req_failed_rate{testid=~"$testid"}, 0.1)*100)',
      'avg(irate(k6_data_sent_total{testid=~"$testid"}[$__rate_interval]))',
      'avg(irate(k6_data_received_total{testid=~"$testid"}[$__rate_interval]))',
      'avg(k6_iteration_duration_$quantile_stat{testid=~"$testid"})',
      'avg(k6_dropped_iterations_total{testid=~"$testid"})',
      'round(k6_checks_rate{testid=~"$testid"}, 0.1)',
      ...phases.map((p) => `avg(k6_http_req_${p}_$quantile_stat{testid=~"$testid"})`),
      ...['min', 'max', 'p95', 'p99'].map(
        (st) => `avg by(name, method, status) (k6_http_req_duration_${st}{testid=~"$testid"})`,
      ),
    ],
    'native-histograms': [
      'sum(k6_vus{testid=~"$testid"})',
      'sum(irate(k6_http_reqs_total{testid=~"$testid"}[$__rate_interval]))',
      'histogram_quantile($quantile, sum by(le) (rate(k6_iteration_duration_seconds{testid=~"$testid"}[$__rate_interval])))',
      ...phases.map(
        (p) =>
          `histogram_quantile($quantile, sum by(le) (rate(k6_http_req_${p}_seconds{testid=~"$testid"}[$__rate_interval])))`,
      ),
      ...[0, 1, 0.95, 0.99].map(
        (q) =>
          `histogram_quantile(${q}, sum by(name, method, status) (rate(k6_http_req_duration_seconds{testid=~"$testid"}[$__range])))`,
      ),
    ],
  };

  it('keeps the official k6 dashboards (19665, 18030) working on runs of this engine', async () => {
    const empty: string[] = [];
    for (const mode of Object.keys(runs) as Mode[]) {
      const values = new Map([
        ['testid', runs[mode].testid],
        ['quantile_stat', 'p99'],
        ['quantile', '0.99'],
        ['__rate_interval', RATE_INTERVAL],
        ['__range', `${Math.ceil((window.endMs - window.startMs) / 1000)}s`],
      ]);
      for (const expr of official[mode]) {
        const result = await runQuery(prometheus.url, interpolate(expr, values), false, window);
        if (result.finite === 0) empty.push(`${mode}: ${expr}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('uses only metric names the engine and the reference actually export', async () => {
    const exported = new Set<string>();
    // Server side: what the node and ICE expose on /metrics (histograms as their _bucket/_sum/_count series).
    for (const url of [nodes[0]!.url, ice.httpUrl]) {
      const text = await (await fetch(`${url}/metrics`)).text();
      for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(m[1]);
        if (m[2] === 'histogram' || m[2] === 'summary')
          for (const s of ['_bucket', '_sum', '_count']) exported.add(m[1] + s);
      }
    }
    // Engine side: the series its remote write created for the two runs.
    const res = (await (
      await fetch(
        `${prometheus.url}/api/v1/label/__name__/values?match[]=${encodeURIComponent(`{testid=~"${runs['trend-stats'].testid}|${runs['native-histograms'].testid}"}`)}`,
      )
    ).json()) as { data: string[] };
    for (const n of res.data) exported.add(n);

    const missing = new Set<string>();
    for (const [, d] of dashboards) {
      const stats = (await resolveVariables(prometheus.url, d, window, picks('trend-stats'))).get('stat');
      for (const { target } of dashboardTargets(d)) {
        const expr = stats ? target.expr.replaceAll('$stat', stats) : target.expr;
        for (const name of metricNames(expr)) if (!exported.has(name)) missing.add(name);
      }
      for (const v of d.templating.list) {
        const q = (v.query as { query?: string } | undefined)?.query;
        if (q) for (const name of metricNames(q)) if (!exported.has(name)) missing.add(name);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
