// deploy/compose.yaml, its deployment file and Prometheus configuration, rendered from the same
// facts as `cats-stress up` (each part's command, part-command.ts) and the Kubernetes manifests
// (images, Prometheus, the data-set job, stack.ts): the reference CATS/ICE with three nodes,
// PostgreSQL, Prometheus and Grafana. Every service shares the network namespace of `net`, so the
// parts listen on loopback as they do outside Docker, and only Grafana and Prometheus are
// published, on the host's loopback. `dashboards/build.ts` writes the files and a test keeps
// them equal to this.
import { stringify } from 'yaml';
import { DEFAULT_SCRAPE_INTERVAL, prometheusConfig } from '../dashboards/prometheus-config.ts';
import { iceCommand, nodeCommand, type PartCommand } from '../harness/deploy/part-command.ts';
import { COMPOSE_PORTS, composeDeployment } from './compose-deployment.ts';
import { dataSetScript, IMAGE, IMAGES, PROMETHEUS_FLAGS } from './stack.ts';

type Obj = Record<string, unknown>;
const COUNTRIES = Object.keys(composeDeployment.nodes) as (keyof typeof composeDeployment.nodes)[];
const POSTGRES = { user: 'cats', password: 'cats', port: 5432 } as const;
const serverUrl = (database: string) =>
  `postgres://${POSTGRES.user}:${POSTGRES.password}@127.0.0.1:${POSTGRES.port}/${database}`;
/** Where the deployment file and the data set are inside the project's image. */
const DEPLOYMENT_FILE = '/app/deploy/deployment.json';
const DATA_SET = '/app/results/data-set';

const shared = { network_mode: 'service:net' } as const;
/** Each service that runs the project's image builds it, so `docker compose up` needs nothing pulled by hand. */
const project = { ...shared, image: IMAGE, build: { context: '..', dockerfile: 'deploy/Dockerfile' } } as const;
const healthy = { condition: 'service_healthy' } as const;
const check = (test: string[]) => ({ test: ['CMD', ...test], interval: '2s', timeout: '5s', retries: 30 });
/** The image has node but neither curl nor wget: ready when /readyz answers 200. */
const readyz = (port: number) =>
  check([
    'node',
    '-e',
    `fetch('http://127.0.0.1:${port}/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
  ]);
const portOf = (url: string) => Number(new URL(url).port);

function part(command: PartCommand, port: number, dependsOn: Record<string, Obj>): Obj {
  return {
    ...project,
    command: command.args,
    environment: command.env,
    healthcheck: readyz(port),
    depends_on: dependsOn,
    restart: 'unless-stopped',
  };
}

export function composeFile(): Obj {
  const d = composeDeployment;
  const nodes = Object.fromEntries(
    COUNTRIES.map((c) => [
      `cats-${c.toLowerCase()}`,
      part(
        nodeCommand({
          country: c,
          port: portOf(d.nodes[c].url),
          serverUrl: serverUrl('postgres'),
          adminToken: d.nodes[c].adminToken,
          auditorToken: d.auditor.token,
          ice: { url: d.ice.url, token: d.ice.nodeTokens[c] },
        }),
        portOf(d.nodes[c].url),
        { postgres: healthy, ice: healthy },
      ),
    ]),
  );
  const nodesHealthy = Object.fromEntries(Object.keys(nodes).map((n) => [n, healthy]));
  return {
    name: 'cats-stress',
    services: {
      net: {
        image: 'busybox:1.36',
        command: ['sleep', 'infinity'],
        ports: [COMPOSE_PORTS.grafana, COMPOSE_PORTS.prometheus].map((p) => `127.0.0.1:${p}:${p}`),
        restart: 'unless-stopped',
      },
      postgres: {
        ...shared,
        image: IMAGES.postgres,
        // ICE's database; each node makes its own (cats_<cc>) on the same server, as under `up`.
        environment: { POSTGRES_USER: POSTGRES.user, POSTGRES_PASSWORD: POSTGRES.password, POSTGRES_DB: 'ice' },
        volumes: ['pgdata:/var/lib/postgresql/data'],
        healthcheck: check(['pg_isready', '-U', POSTGRES.user, '-h', '127.0.0.1']),
        restart: 'unless-stopped',
      },
      ice: part(
        iceCommand({
          port: COMPOSE_PORTS.ice,
          databaseUrl: serverUrl('ice'),
          nodeTokens: d.ice.nodeTokens,
          auditorToken: d.auditor.token,
        }),
        COMPOSE_PORTS.ice,
        { postgres: healthy },
      ),
      ...nodes,
      // Once the nodes are ready: a data set in the volume `results`, its parties registered at every node.
      'data-set': {
        ...project,
        entrypoint: ['sh', '-c'],
        command: [dataSetScript({ countries: COUNTRIES, dir: DATA_SET, deployment: DEPLOYMENT_FILE, seed: 'compose' })],
        volumes: ['results:/app/results'],
        depends_on: nodesHealthy,
      },
      prometheus: {
        ...shared,
        image: IMAGES.prometheus,
        command: [
          ...PROMETHEUS_FLAGS,
          '--storage.tsdb.path=/prometheus',
          `--web.listen-address=0.0.0.0:${COMPOSE_PORTS.prometheus}`,
          '--web.enable-lifecycle',
        ],
        volumes: ['./prometheus.yml:/etc/prometheus/prometheus.yml:ro', 'prometheus-data:/prometheus'],
        healthcheck: check(['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${COMPOSE_PORTS.prometheus}/-/ready`]),
        restart: 'unless-stopped',
      },
      grafana: {
        ...shared,
        image: IMAGES.grafana,
        environment: {
          GF_SERVER_HTTP_PORT: String(COMPOSE_PORTS.grafana),
          GF_AUTH_ANONYMOUS_ENABLED: 'true',
          GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
          PROMETHEUS_URL: `http://127.0.0.1:${COMPOSE_PORTS.prometheus}`,
          CATS_STRESS_DASHBOARDS: '/var/lib/grafana/dashboards/cats-stress',
          GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: '/var/lib/grafana/dashboards/cats-stress/load-test.json',
        },
        volumes: [
          '../dashboards/provisioning:/etc/grafana/provisioning:ro',
          '../dashboards/grafana:/var/lib/grafana/dashboards/cats-stress:ro',
          'grafana-data:/var/lib/grafana',
        ],
        depends_on: { prometheus: healthy },
        restart: 'unless-stopped',
      },
      // The load, run on demand: docker compose run --rm harness <cats-stress arguments>
      harness: {
        ...project,
        profiles: ['run'],
        environment: {
          K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${COMPOSE_PORTS.prometheus}/api/v1/write`,
          DEPLOYMENT: DEPLOYMENT_FILE,
          DATASET: DATA_SET,
        },
        volumes: ['results:/app/results'],
        depends_on: {
          'data-set': { condition: 'service_completed_successfully' },
          prometheus: healthy,
        },
      },
    },
    volumes: { pgdata: {}, 'prometheus-data': {}, 'grafana-data': {}, results: {} },
  };
}

const HEADER = `# The reference CATS/ICE with live metrics, for users with Docker (see deploy/README.md):
#   docker compose -f deploy/compose.yaml up -d        # builds the project's image on first use
#   Grafana http://127.0.0.1:3000 (dashboards in the cats-stress folder), Prometheus http://127.0.0.1:9090
#   docker compose -f deploy/compose.yaml run --rm harness run --out experimental-prometheus-rw scenarios/smoke.js
# Results stay in the volume \`results\`. The credentials are for one machine only: change
# them in deploy/compose-deployment.ts before exposing the stack to anyone.
# Generated by dashboards/build.ts from deploy/compose.ts: edit that, not this file.
`;

/** The files the compose deployment reads, by path from the repository root. */
export function composeFiles(): Map<string, string> {
  return new Map([
    ['deploy/compose.yaml', HEADER + stringify(composeFile(), { lineWidth: 0, aliasDuplicateObjects: false })],
    ['deploy/prometheus.yml', prometheusConfig(composeDeployment, { scrapeInterval: DEFAULT_SCRAPE_INTERVAL })],
    ['deploy/deployment.json', `${JSON.stringify(composeDeployment, null, 2)}\n`],
  ]);
}
