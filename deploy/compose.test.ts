// deploy/compose.yaml cannot be started here (no Docker engine), so it is checked for what
// would break it: the Compose Specification's JSON Schema (vendored in testing/compose-spec,
// with its source), then what the schema cannot see: services and dependencies that exist,
// conditions the dependencies can meet, bind mounts of files that exist, volumes declared,
// ports and credentials equal to the generated deployment file and Prometheus config, only
// loopback published.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { COMPOSE_PORTS, composeDeployment } from './compose-deployment.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const deployDir = path.join(root, 'deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  network_mode?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
  profiles?: string[];
}

let compose: { services: Record<string, Service>; volumes: Record<string, unknown> };
let services: Record<string, Service>;
let validateCompose: ValidateFunction;

beforeAll(async () => {
  compose = parseYaml(await readFile(path.join(deployDir, 'compose.yaml'), 'utf8'));
  services = compose.services;
  const schema = JSON.parse(await readFile(path.join(deployDir, 'testing/compose-spec/compose-spec.json'), 'utf8'));
  // The specification names its draft by an https URI Ajv does not know; the keywords are draft-07's.
  delete schema.$schema;
  validateCompose = new Ajv({ allErrors: true, strict: false }).compile(schema);
});

const schemaErrors = (document: unknown): string[] =>
  validateCompose(document) ? [] : (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

const hostPort = (url: string) => Number(new URL(url).port);

describe('deploy/compose.yaml', () => {
  it('is a Compose file by the Compose Specification', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('the schema check refuses what Compose refuses', () => {
    const broken = structuredClone(compose) as any;
    broken.services.ice.depends_on.postgres.condition = 'service_ready';
    broken.services.grafana.ports = [{ target: 3000, mode: 7 }];
    broken.services.prometheus.healthcheck.interval = 2;
    broken.services.net.restrt = 'always';
    const errors = schemaErrors(broken);
    for (const where of [
      '/services/ice/depends_on/postgres/condition',
      '/services/grafana/ports/0/mode',
      '/services/prometheus/healthcheck/interval',
      '/services/net',
    ])
      expect(
        errors.some((e) => e.startsWith(`${where} `)),
        where,
      ).toBe(true);
  });

  it("runs the reference CATS/ICE on the project's image, PostgreSQL, Prometheus and Grafana, each pinned", () => {
    for (const name of ['postgres', 'ice', 'cats-ge', 'cats-az', 'cats-kz', 'prometheus', 'grafana'])
      expect(Object.keys(services)).toContain(name);
    for (const [name, s] of Object.entries(services)) expect(s.image, name).toMatch(/^[a-z0-9/_.-]+:v?[0-9][\w.-]*$/);
    for (const name of ['ice', 'cats-ge', 'data-set', 'harness']) {
      const build = services[name]!.build!;
      expect(existsSync(path.resolve(deployDir, build.context, build.dockerfile)), name).toBe(true);
    }
  });

  it('shares one network namespace and publishes only Grafana and Prometheus, on loopback', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'net') continue;
      expect(s.network_mode, name).toBe('service:net');
      expect(s.ports, `${name} must publish through net`).toBeUndefined();
    }
    expect(services.net!.ports).toEqual([
      `127.0.0.1:${COMPOSE_PORTS.grafana}:${COMPOSE_PORTS.grafana}`,
      `127.0.0.1:${COMPOSE_PORTS.prometheus}:${COMPOSE_PORTS.prometheus}`,
    ]);
  });

  it('waits on conditions its dependencies can meet, and mounts files that exist and volumes it declares', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        const target = services[dep];
        expect(target, `${name} depends on ${dep}`).toBeDefined();
        // A dependency waited on until healthy needs a healthcheck; one waited on until it ends must end.
        if (condition === 'service_healthy') expect(target!.healthcheck, `${dep} healthcheck`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(target!.restart, dep).toBeUndefined();
      }
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.') || source.startsWith('/'))
          expect(existsSync(path.resolve(deployDir, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: volume ${source}`).toContain(source);
      }
    }
    // Long-running parts come back after a crash, as under `up`'s supervisor.
    for (const name of ['postgres', 'ice', 'cats-ge', 'cats-az', 'cats-kz', 'prometheus', 'grafana'])
      expect(services[name]!.restart, name).toBe('unless-stopped');
  });

  it("checks each part's health where it listens, and starts the nodes after ICE and the load after the data set", () => {
    expect(services.ice!.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${COMPOSE_PORTS.ice}/readyz`);
    for (const [country, node] of Object.entries(composeDeployment.nodes)) {
      const s = services[`cats-${country.toLowerCase()}`]!;
      expect(s.healthcheck!.test.join(' ')).toContain(`${node.url}/readyz`);
      expect(s.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        ice: { condition: 'service_healthy' },
      });
      expect(services['data-set']!.depends_on![`cats-${country.toLowerCase()}`]).toEqual({
        condition: 'service_healthy',
      });
    }
    expect(services.harness!.depends_on!['data-set']).toEqual({ condition: 'service_completed_successfully' });
    const dataSet = services['data-set']!.command!.join('\n');
    expect(dataSet).toContain(`--data-set ${services.harness!.environment!.DATASET}`);
    expect(dataSet).toContain(`seed --deployment ${services.harness!.environment!.DEPLOYMENT}`);
  });

  it('starts each part on the port and credentials of the generated deployment file', async () => {
    const deployment = JSON.parse(await readFile(path.join(deployDir, 'deployment.json'), 'utf8'));
    expect(deployment).toEqual(composeDeployment);
    const ice = services.ice!;
    expect(ice.command).toEqual(['ice', '--port', String(COMPOSE_PORTS.ice)]);
    expect(ice.environment!.ICE_NODE_TOKENS!.split(',')).toEqual(
      Object.entries(deployment.ice.nodeTokens).map(([c, t]) => `${c}=${t}`),
    );
    expect(ice.environment!.ICE_AUDITOR_TOKEN).toBe(deployment.auditor.token);
    expect(hostPort(deployment.ice.url)).toBe(COMPOSE_PORTS.ice);
    for (const [country, node] of Object.entries<{ url: string; adminToken: string }>(deployment.nodes)) {
      const s = services[`cats-${country.toLowerCase()}`]!;
      expect(s.command).toEqual(['node', '--country', country, '--port', String(hostPort(node.url))]);
      expect(s.environment).toMatchObject({
        CATS_ADMIN_TOKEN: node.adminToken,
        CATS_AUDITOR_TOKEN: deployment.auditor.token,
        CATS_ICE_URL: deployment.ice.url,
        CATS_ICE_TOKEN: deployment.ice.nodeTokens[country],
      });
      // Each node makes its own database on the one server, as under `up`.
      expect(new URL(s.environment!.DATABASE_URL!).port).toBe('5432');
    }
    expect(new URL(ice.environment!.DATABASE_URL!).pathname).toBe(`/${services.postgres!.environment!.POSTGRES_DB}`);
  });

  it('gives Prometheus the generated config, the remote-write receiver and native histograms', async () => {
    const p = services.prometheus!;
    expect(p.volumes).toContain('./prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(p.command).toEqual(
      expect.arrayContaining([
        '--config.file=/etc/prometheus/prometheus.yml',
        '--web.enable-remote-write-receiver',
        '--enable-feature=native-histograms',
        `--web.listen-address=0.0.0.0:${COMPOSE_PORTS.prometheus}`,
      ]),
    );
    const config = parseYaml(await readFile(path.join(deployDir, 'prometheus.yml'), 'utf8')) as any;
    const scraped = config.scrape_configs.flatMap((j: any) => j.static_configs.flatMap((c: any) => c.targets)).sort();
    expect(scraped).toEqual(
      [COMPOSE_PORTS.GE, COMPOSE_PORTS.AZ, COMPOSE_PORTS.KZ, COMPOSE_PORTS.ice].map((p) => `127.0.0.1:${p}`).sort(),
    );
    expect(services.harness!.environment!.K6_PROMETHEUS_RW_SERVER_URL).toBe(
      `http://127.0.0.1:${COMPOSE_PORTS.prometheus}/api/v1/write`,
    );
  });

  it('provisions Grafana with the datasource and the dashboards folder the provisioning files name', () => {
    const g = services.grafana!;
    expect(g.volumes).toContain('../dashboards/provisioning:/etc/grafana/provisioning:ro');
    const dashboards = g.volumes!.find((v) => v.startsWith('../dashboards/grafana:'))!.split(':')[1];
    expect(g.environment!.CATS_STRESS_DASHBOARDS).toBe(dashboards);
    expect(g.environment!.PROMETHEUS_URL).toBe(`http://127.0.0.1:${COMPOSE_PORTS.prometheus}`);
    expect(g.environment!.GF_SERVER_HTTP_PORT).toBe(String(COMPOSE_PORTS.grafana));
    expect(
      existsSync(
        path.join(root, 'dashboards/grafana', path.basename(g.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!)),
      ),
    ).toBe(true);
  });
});
