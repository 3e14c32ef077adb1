// deploy/compose.yaml cannot be started here (no Docker engine), so it is checked
// for what would break it: services and dependencies that exist, bind mounts of
// files that exist, volumes declared, ports and tokens equal to the generated
// deployment file and Prometheus config, only loopback published.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPOSE_PORTS, composeDeployment } from './compose-deployment.ts';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const deployDir = path.join(root, 'deploy');

interface Service {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  network_mode?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

let services: Record<string, Service>;
let volumes: Record<string, unknown>;

beforeAll(async () => {
  const compose = parseYaml(await readFile(path.join(deployDir, 'compose.yaml'), 'utf8')) as unknown as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  services = compose.services;
  volumes = compose.volumes;
});

const flag = (s: Service, name: string): string | undefined => {
  const args = s.command ?? [];
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

describe('deploy/compose.yaml', () => {
  it('runs the reference CATS/ICE, PostgreSQL, Prometheus and Grafana, each from a pinned image', () => {
    for (const name of ['postgres', 'ice', 'cats-ge', 'cats-az', 'cats-kz', 'prometheus', 'grafana'])
      expect(Object.keys(services)).toContain(name);
    for (const [name, s] of Object.entries(services)) expect(s.image, name).toMatch(/^[a-z0-9/_.-]+:v?[0-9][\w.-]*$/);
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

  it('depends only on services it defines, and mounts files that exist and volumes it declares', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const dep of Object.keys(s.depends_on ?? {}))
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.') || source.startsWith('/'))
          expect(existsSync(path.resolve(deployDir, source)), `${name}: ${source}`).toBe(true);
        else expect(Object.keys(volumes), `${name}: volume ${source}`).toContain(source);
      }
    }
  });

  it('starts each node on the port, admin token and ICE credential of the generated deployment file', async () => {
    const deployment = JSON.parse(await readFile(path.join(deployDir, 'deployment.json'), 'utf8'));
    expect(deployment).toEqual(composeDeployment);
    const iceTokens = Object.fromEntries(
      flag(services.ice!, '--node-token')!
        .split(',')
        .map((kv) => kv.split('=') as [string, string]),
    );
    expect(iceTokens).toEqual(composeDeployment.ice.nodeTokens);
    expect(flag(services.ice!, '--port')).toBe(String(COMPOSE_PORTS.ice));
    for (const [country, node] of Object.entries(composeDeployment.nodes)) {
      const s = services[`cats-${country.toLowerCase()}`]!;
      expect(s.command?.slice(0, 3)).toEqual(['node', 'bin/cats-stress.js', 'node']);
      expect(flag(s, '--country')).toBe(country);
      expect(`http://127.0.0.1:${flag(s, '--port')}`).toBe(node.url);
      expect(flag(s, '--admin-token')).toBe(node.adminToken);
      expect(flag(s, '--ice-url')).toBe(composeDeployment.ice.url);
      expect(flag(s, '--ice-token')).toBe(
        composeDeployment.ice.nodeTokens[country as keyof typeof composeDeployment.ice.nodeTokens],
      );
    }
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
