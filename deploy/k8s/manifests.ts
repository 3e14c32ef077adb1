// The reference CATS/ICE on Kubernetes, rendered from the same facts as `cats-stress up`
// (its default countries, each part's flags and environment, the deployment file the
// scenarios read, the Prometheus configuration and the dashboards): one PostgreSQL
// StatefulSet per part (a plain StatefulSet, so the manifests need no operator), ICE,
// one node per country, Prometheus scraping them and receiving runs by remote write,
// Grafana with the dashboards provisioned; and k6-operator TestRuns that run a scenario
// with real k6 or with the project's image as runner. `dashboards/build.ts` writes the
// files and a test keeps them equal to this.
import { stringify } from 'yaml';
import { allDashboards } from '../../dashboards/dashboards.ts';
import { dashboardProvisioning, datasourcesProvisioning } from '../../dashboards/generated-files.ts';
import { DEFAULT_SCRAPE_INTERVAL, prometheusConfig } from '../../dashboards/prometheus-config.ts';

export const NAMESPACE = 'cats-stress';
/** The project's image, built from deploy/Dockerfile (tag it with the package version). */
export const IMAGE = 'cats-stress:0.1.0';
export const COUNTRIES = ['GE', 'AZ', 'KZ', 'UZ', 'KG', 'PK'] as const;
const PORTS = { node: 8080, ice: 8090, postgres: 5432, prometheus: 9090, grafana: 3000 } as const;
const IMAGES = {
  postgres: 'postgres:16-alpine',
  prometheus: 'prom/prometheus:v2.55.1',
  grafana: 'grafana/grafana:11.3.0',
  k6: 'grafana/k6:0.49.0',
} as const;
const SECRET = 'cats-credentials';
const DATA_VOLUME = 'cats-data';

type Obj = Record<string, unknown>;
const lower = (c: string) => c.toLowerCase();
const labels = (part: string) => ({ 'app.kubernetes.io/name': part, 'app.kubernetes.io/part-of': 'cats-stress' });
const meta = (name: string, part = name) => ({ name, namespace: NAMESPACE, labels: labels(part) });
const secretEnv = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: SECRET, key } } });
const nodeHost = (c: string) => `cats-node-${lower(c)}.${NAMESPACE}.svc`;
const iceHost = `cats-ice.${NAMESPACE}.svc`;

/**
 * The credentials every part and the deployment file share. Placeholders: replace them in
 * the Secret and in deployment.json together before the cluster is reachable by anyone.
 */
export function placeholderCredentials() {
  const token = (what: string) => `change-me-${what}-0000000000000000`;
  return {
    postgresPassword: token('postgres'),
    auditorToken: token('auditor'),
    adminTokens: Object.fromEntries(COUNTRIES.map((c) => [c, token(`admin-${lower(c)}`)])),
    iceTokens: Object.fromEntries(COUNTRIES.map((c) => [c, token(`ice-${lower(c)}`)])),
  };
}

/** The deployment file scenarios read inside the cluster (a runner pod), as `up` writes it on one machine. */
export function clusterDeployment() {
  const creds = placeholderCredentials();
  return {
    nodes: Object.fromEntries(
      COUNTRIES.map((c) => [c, { url: `http://${nodeHost(c)}:${PORTS.node}`, adminToken: creds.adminTokens[c]! }]),
    ),
    ice: { url: `ws://${iceHost}:${PORTS.ice}/v1/ice`, nodeTokens: creds.iceTokens },
    auditor: { token: creds.auditorToken },
  };
}

function service(name: string, port: number, headless = false): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      selector: labels(name),
      ports: [{ name: 'main', port, targetPort: port }],
      ...(headless ? { clusterIP: 'None' } : {}),
    },
  };
}

function postgres(part: string, database: string): Obj[] {
  const name = `postgres-${part}`;
  return [
    service(name, PORTS.postgres, true),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(name),
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: labels(name) },
        template: {
          metadata: { labels: labels(name) },
          spec: {
            containers: [
              {
                name: 'postgres',
                image: IMAGES.postgres,
                ports: [{ containerPort: PORTS.postgres }],
                env: [
                  { name: 'POSTGRES_USER', value: 'cats' },
                  secretEnv('POSTGRES_PASSWORD', 'postgres-password'),
                  { name: 'POSTGRES_DB', value: database },
                  { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
                ],
                readinessProbe: {
                  exec: { command: ['pg_isready', '-U', 'cats', '-h', '127.0.0.1'] },
                  periodSeconds: 5,
                },
                volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
          },
        ],
      },
    },
  ];
}

/** A Deployment of one part running `cats-stress ARGS` from the project's image. */
function part(name: string, args: string[], env: Obj[], port: number): Obj[] {
  const probe = (path: string) => ({ httpGet: { path, port }, periodSeconds: 5 });
  return [
    service(name, port),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name),
      spec: {
        replicas: 1,
        // One process per part, as the supervisor runs it: never two writing one outbox relay at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels(name) },
        template: {
          metadata: { labels: labels(name) },
          spec: {
            containers: [
              {
                name: 'cats-stress',
                image: IMAGE,
                args,
                env,
                ports: [{ containerPort: port }],
                readinessProbe: probe('/readyz'),
                livenessProbe: probe('/healthz'),
              },
            ],
          },
        },
      },
    },
  ];
}

const databaseUrl = (part: string, database: string) => ({
  name: 'DATABASE_URL',
  value: `postgres://cats:$(POSTGRES_PASSWORD)@postgres-${part}:${PORTS.postgres}/${database}`,
});

function ice(): Obj[] {
  return [
    ...postgres('ice', 'ice'),
    ...part(
      'cats-ice',
      ['ice', '--host', '0.0.0.0', '--port', String(PORTS.ice)],
      [
        secretEnv('POSTGRES_PASSWORD', 'postgres-password'),
        databaseUrl('ice', 'ice'),
        ...COUNTRIES.map((c) => secretEnv(`ICE_TOKEN_${c}`, `ice-token-${lower(c)}`)),
        { name: 'ICE_NODE_TOKENS', value: COUNTRIES.map((c) => `${c}=$(ICE_TOKEN_${c})`).join(',') },
        secretEnv('ICE_AUDITOR_TOKEN', 'auditor-token'),
      ],
      PORTS.ice,
    ),
  ];
}

function node(c: string): Obj[] {
  const db = `cats_${lower(c)}`;
  return [
    ...postgres(lower(c), db),
    ...part(
      `cats-node-${lower(c)}`,
      ['node', '--country', c, '--host', '0.0.0.0', '--port', String(PORTS.node), '--database', db],
      [
        secretEnv('POSTGRES_PASSWORD', 'postgres-password'),
        databaseUrl(lower(c), db),
        secretEnv('CATS_ADMIN_TOKEN', `admin-token-${lower(c)}`),
        secretEnv('CATS_AUDITOR_TOKEN', 'auditor-token'),
        { name: 'CATS_ICE_URL', value: `ws://${iceHost}:${PORTS.ice}/v1/ice` },
        secretEnv('CATS_ICE_TOKEN', `ice-token-${lower(c)}`),
      ],
      PORTS.node,
    ),
  ];
}

function observability(): Obj[] {
  const dashboards = Object.fromEntries([...allDashboards()].map(([file, d]) => [file, JSON.stringify(d)]));
  const configMap = (name: string, data: Record<string, string>): Obj => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(name),
    data,
  });
  const deployment = (name: string, container: Obj, volumes: Obj[]): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas: 1,
      selector: { matchLabels: labels(name) },
      template: { metadata: { labels: labels(name) }, spec: { containers: [{ name, ...container }], volumes } },
    },
  });
  const fromConfigMap = (name: string) => ({ name, configMap: { name } });
  return [
    configMap('prometheus-config', {
      'prometheus.yml': prometheusConfig(clusterDeployment(), { scrapeInterval: DEFAULT_SCRAPE_INTERVAL }),
    }),
    service('prometheus', PORTS.prometheus),
    deployment(
      'prometheus',
      {
        image: IMAGES.prometheus,
        // As `cats-stress observe` starts it: runs arrive by remote write, trends as native histograms.
        args: [
          '--config.file=/etc/prometheus/prometheus.yml',
          '--web.enable-remote-write-receiver',
          '--enable-feature=native-histograms',
        ],
        ports: [{ containerPort: PORTS.prometheus }],
        volumeMounts: [{ name: 'prometheus-config', mountPath: '/etc/prometheus' }],
      },
      [fromConfigMap('prometheus-config')],
    ),
    configMap('grafana-dashboards', dashboards),
    configMap('grafana-datasources', { 'cats-stress.yaml': stringify(datasourcesProvisioning()) }),
    configMap('grafana-dashboard-providers', { 'cats-stress.yaml': stringify(dashboardProvisioning()) }),
    service('grafana', PORTS.grafana),
    deployment(
      'grafana',
      {
        image: IMAGES.grafana,
        env: [
          { name: 'PROMETHEUS_URL', value: `http://prometheus.${NAMESPACE}.svc:${PORTS.prometheus}` },
          { name: 'CATS_STRESS_DASHBOARDS', value: '/var/lib/grafana/dashboards/cats-stress' },
        ],
        ports: [{ containerPort: PORTS.grafana }],
        volumeMounts: [
          { name: 'grafana-dashboards', mountPath: '/var/lib/grafana/dashboards/cats-stress' },
          { name: 'grafana-datasources', mountPath: '/etc/grafana/provisioning/datasources' },
          { name: 'grafana-dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards' },
        ],
      },
      ['grafana-dashboards', 'grafana-datasources', 'grafana-dashboard-providers'].map(fromConfigMap),
    ),
  ];
}

/**
 * What a test run reads, on a volume: the scenarios (real k6 runners load them from it) and a
 * data set, generated by a Job that then seeds the nodes with its parties (`cats-stress seed`).
 */
function dataSet(): Obj[] {
  const countries = COUNTRIES.join(',');
  const script = [
    'set -e',
    'cp -r /app/scenarios /data/',
    `node /app/bin/cats-stress.js generate --movements 20000 --seed k8s --profile peak-day --countries ${countries} --out /data/data-set`,
    'until node /app/bin/cats-stress.js seed --deployment /deployment/deployment.json --data-set /data/data-set; do sleep 5; done',
  ].join('\n');
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(DATA_VOLUME),
      // Written once by the Job, read by every runner pod.
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('cats-data-set'),
      spec: {
        backoffLimit: 3,
        template: {
          metadata: { labels: labels('cats-data-set') },
          spec: {
            restartPolicy: 'OnFailure',
            containers: [
              {
                name: 'data-set',
                image: IMAGE,
                command: ['sh', '-c', script],
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'deployment', mountPath: '/deployment' },
                ],
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: DATA_VOLUME } },
              { name: 'deployment', configMap: { name: 'cats-deployment' } },
            ],
          },
        },
      },
    },
  ];
}

/** Every object of the reference deployment, in the order `kubectl apply -f` should create them. */
export function referenceManifests(): Obj[] {
  const creds = placeholderCredentials();
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: labels(NAMESPACE) } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(SECRET),
      type: 'Opaque',
      stringData: {
        'postgres-password': creds.postgresPassword,
        'auditor-token': creds.auditorToken,
        ...Object.fromEntries(COUNTRIES.map((c) => [`admin-token-${lower(c)}`, creds.adminTokens[c]!])),
        ...Object.fromEntries(COUNTRIES.map((c) => [`ice-token-${lower(c)}`, creds.iceTokens[c]!])),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('cats-deployment'),
      data: { 'deployment.json': `${JSON.stringify(clusterDeployment(), null, 2)}\n` },
    },
    ...ice(),
    ...COUNTRIES.flatMap(node),
    ...observability(),
    ...dataSet(),
  ];
}

/**
 * A k6-operator TestRun (k6.io/v1alpha1 as of k6-operator v1.6.0) of scenarios/ctd-peak.js
 * against the cluster's reference, split over `parallelism` runners. Real k6 loads the
 * scenario from the data volume; the project's image has it, and its `k6` command is the engine.
 */
export function testRun(runner: 'k6' | 'engine', parallelism = 4): Obj {
  const engine = runner === 'engine';
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(`ctd-peak-${runner}`, 'ctd-peak'),
    spec: {
      parallelism,
      script: engine
        ? { localFile: '/app/scenarios/ctd-peak.js' }
        : { volumeClaim: { name: DATA_VOLUME, file: 'scenarios/ctd-peak.js', readOnly: true } },
      arguments: [
        '-e DEPLOYMENT=/deployment/deployment.json',
        // The operator mounts a volumeClaim script's claim at /test.
        `-e DATASET=${engine ? '/data' : '/test'}/data-set`,
        '--out experimental-prometheus-rw',
        '--tag testid=ctd-peak-k8s',
      ].join(' '),
      runner: {
        image: engine ? IMAGE : IMAGES.k6,
        env: [
          {
            name: 'K6_PROMETHEUS_RW_SERVER_URL',
            value: `http://prometheus.${NAMESPACE}.svc:${PORTS.prometheus}/api/v1/write`,
          },
          { name: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', value: 'true' },
        ],
        volumes: [
          { name: 'deployment', configMap: { name: 'cats-deployment' } },
          // The engine reads the data set from the claim real k6 loads its script from.
          ...(engine ? [{ name: 'data', persistentVolumeClaim: { claimName: DATA_VOLUME, readOnly: true } }] : []),
        ],
        volumeMounts: [
          { name: 'deployment', mountPath: '/deployment' },
          ...(engine ? [{ name: 'data', mountPath: '/data', readOnly: true }] : []),
        ],
      },
    },
  };
}

/** The files under deploy/k8s, by path from the repository root. */
export function k8sFiles(): Map<string, string> {
  const header = (what: string) =>
    `# ${what}\n# Generated by dashboards/build.ts from deploy/k8s/manifests.ts: edit that, not this file.\n`;
  const docs = (objects: Obj[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  return new Map([
    [
      'deploy/k8s/reference.yaml',
      header('The reference CATS/ICE (see deploy/k8s/README.md).') + docs(referenceManifests()),
    ],
    ['deploy/k8s/testrun-k6.yaml', header('ctd-peak with real k6 runners (k6-operator).') + docs([testRun('k6')])],
    [
      'deploy/k8s/testrun-engine.yaml',
      header("ctd-peak with the project's engine as the runner image (k6-operator).") + docs([testRun('engine')]),
    ],
  ]);
}
