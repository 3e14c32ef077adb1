// The committed observability files are what the code generates, and the
// dashboards hang together: unique ids, panels inside the grid, every variable a
// query uses defined, every panel on the provisioned datasource.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allDashboards } from './dashboards.ts';
import { parse as parseYaml } from 'yaml';
import { composeDeployment } from '../deploy/compose-deployment.ts';
import { dashboardProvisioning, datasourcesProvisioning, generatedFiles } from './generated-files.ts';
import { DATASOURCE, dashboardTargets } from './grafana-model.ts';
import {
  DEFAULT_SCRAPE_INTERVAL,
  prometheusConfig,
  prometheusConfigObject,
  scrapeTargets,
} from './prometheus-config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(['__rate_interval', '__interval', '__range']);

describe('generated observability files', () => {
  it('are committed exactly as dashboards/build.ts writes them', async () => {
    const stale: string[] = [];
    for (const [file, content] of generatedFiles()) {
      const committed = await readFile(path.join(root, file), 'utf8').catch(() => '(missing)');
      if (committed !== content) stale.push(file);
    }
    expect(stale, 'run: npx tsx dashboards/build.ts').toEqual([]);
  });

  const committed = async (file: string) => readFile(path.join(root, file), 'utf8');

  it('mean, read back by Grafana and Prometheus, what the code builds', async () => {
    expect(parseYaml(await committed('dashboards/provisioning/datasources/cats-stress.yaml'))).toEqual(
      datasourcesProvisioning(),
    );
    expect(parseYaml(await committed('dashboards/provisioning/dashboards/cats-stress.yaml'))).toEqual(
      dashboardProvisioning(),
    );
    expect(parseYaml(await committed('deploy/prometheus.yml'))).toEqual(
      prometheusConfigObject(composeDeployment, { scrapeInterval: DEFAULT_SCRAPE_INTERVAL }),
    );
    for (const [name, d] of allDashboards())
      expect(JSON.parse(await committed(`dashboards/grafana/${name}`)), name).toEqual(JSON.parse(JSON.stringify(d)));
  });

  it('keep the placeholders Grafana fills from its environment', async () => {
    const datasource = parseYaml(await committed('dashboards/provisioning/datasources/cats-stress.yaml'));
    expect(datasource.datasources[0].url).toBe('${PROMETHEUS_URL}');
    const provider = parseYaml(await committed('dashboards/provisioning/dashboards/cats-stress.yaml'));
    expect(provider.providers[0].options.path).toBe('${CATS_STRESS_DASHBOARDS}');
  });
});

describe('dashboards', () => {
  const dashboards = allDashboards();

  it('are the three the product promises, with distinct uids', () => {
    expect([...dashboards.values()].map((d) => d.title)).toEqual([
      'cats-stress · Load test',
      'cats-stress · Reference CATS/ICE',
      'cats-stress · Capacity',
    ]);
    expect(new Set([...dashboards.values()].map((d) => d.uid)).size).toBe(3);
  });

  for (const [file, d] of allDashboards()) {
    it(`${file}: ids unique, panels on the grid without overlap, only defined variables, the datasource variable everywhere`, () => {
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of d.panels) {
        const { x, y, w, h } = p.gridPos;
        expect(x + w, p.title).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
            cells.add(`${i},${j}`);
          }
      }
      const defined = new Set(d.templating.list.map((v) => v.name));
      for (const { panel, target } of dashboardTargets(d)) {
        expect(panel.datasource).toEqual(DATASOURCE);
        expect(target.datasource).toEqual(DATASOURCE);
        for (const m of target.expr.matchAll(/\$\{?(\w+)/g))
          expect(defined.has(m[1]) || BUILTINS.has(m[1]), `${panel.title}: $${m[1]}`).toBe(true);
        for (const m of (target.legendFormat ?? '').matchAll(/\$(\w+)/g))
          expect(defined.has(m[1]), `${panel.title} legend: $${m[1]}`).toBe(true);
      }
      expect(defined.has('datasource')).toBe(true);
      // Every variable filters something: a query, a legend, a title or another variable's query.
      for (const v of d.templating.list) {
        const elsewhere = JSON.stringify([d.panels, d.templating.list.filter((o) => o !== v)]);
        expect(new RegExp(`\\$\\{?${v.name}\\b`).test(elsewhere), `$${v.name} is used`).toBe(true);
      }
    });
  }

  it("filter the load generator's series by run and the servers' by country", () => {
    for (const d of dashboards.values())
      for (const { panel, target } of dashboardTargets(d)) {
        for (const m of target.expr.matchAll(/\bk6_\w+\{([^}]*)\}/g))
          expect(m[1], `${d.uid} '${panel.title}'`).toContain('testid=~"$testid"');
        for (const m of target.expr.matchAll(/\bcats_\w+\{([^}]*)\}/g))
          expect(m[1], `${d.uid} '${panel.title}'`).toContain('country=~"$country"');
      }
  });
});

describe('Prometheus config from a deployment', () => {
  it('scrapes each node under its country and ICE at the root of its WebSocket URL', () => {
    const targets = scrapeTargets({
      nodes: { KZ: { url: 'http://127.0.0.1:8083' }, GE: { url: 'https://cats.example.ge/api/' } },
      ice: { url: 'wss://ice.example.org/v1/ice' },
    });
    expect(targets).toEqual([
      {
        job: 'cats-node',
        address: 'cats.example.ge:443',
        scheme: 'https',
        metricsPath: '/api/metrics',
        labels: { component: 'cats', country: 'GE' },
      },
      {
        job: 'cats-node',
        address: '127.0.0.1:8083',
        scheme: 'http',
        metricsPath: '/metrics',
        labels: { component: 'cats', country: 'KZ' },
      },
      {
        job: 'ice',
        address: 'ice.example.org:443',
        scheme: 'https',
        metricsPath: '/metrics',
        labels: { component: 'ice' },
      },
    ]);
  });

  it("scrapes the supervisor's restarts and part status at the URL the deployment file gives", () => {
    const config = parseYaml(
      prometheusConfig({
        nodes: { GE: { url: 'http://127.0.0.1:9001' } },
        supervisor: { metricsUrl: 'http://127.0.0.1:9100/metrics' },
      }),
    ) as any;
    expect(config.scrape_configs.map((j: any) => j.job_name)).toEqual(['cats-node', 'cats-deploy']);
    expect(config.scrape_configs[1].static_configs[0]).toEqual({
      targets: ['127.0.0.1:9100'],
      labels: { component: 'supervisor', __scheme__: 'http', __metrics_path__: '/metrics' },
    });
  });

  it('is YAML with the scrape interval asked for and no ICE job without ICE', () => {
    const config = parseYaml(
      prometheusConfig({ nodes: { GE: { url: 'http://127.0.0.1:9001' } } }, { scrapeInterval: '2s' }),
    ) as any;
    expect(config.global.scrape_interval).toBe('2s');
    expect(config.scrape_configs.map((j: any) => j.job_name)).toEqual(['cats-node']);
    expect(config.scrape_configs[0].static_configs[0]).toEqual({
      targets: ['127.0.0.1:9001'],
      labels: { component: 'cats', country: 'GE', __scheme__: 'http', __metrics_path__: '/metrics' },
    });
  });

  it('refuses deployments it cannot scrape, naming the part', () => {
    expect(() => scrapeTargets({ nodes: {} })).toThrow(/no nodes/);
    expect(() => scrapeTargets({ nodes: { GE: { url: 'not a url' } } })).toThrow(/node GE/);
    expect(() => scrapeTargets({ nodes: { GE: { url: 'ftp://x' } } })).toThrow(/node GE: ftp:\/\/x is not an http/);
    expect(() =>
      prometheusConfig({ nodes: { GE: { url: 'http://127.0.0.1:1' } } }, { scrapeInterval: 'often' }),
    ).toThrow(/Prometheus duration/);
  });
});
