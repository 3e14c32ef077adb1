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
import { dataSetScript, IMAGE, IMAGES, PROMETHEUS_FLAGS } from '../stack.ts';
import { iceCommand, nodeCommand, type PartCommand } from '../../harness/deploy/part-command.ts';

export const NAMESPACE = 'cats-stress';
export const COUNTRIES = ['GE', 'AZ', 'KZ', 'UZ', 'KG', 'PK'] as const;
const PORTS = { node: 8080, ice: 8090, postgres: 5432, prometheus: 9090, grafana: 3000 } as const;
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

/**
 * A Deployment of one part running the command `up` would run (part-command.ts), listening on
 * every address; `secrets` are the Secret's keys it gets as variables its command's `$(VAR)`s expand.
 */
function part(name: string, command: PartCommand, secrets: Record<string, string>, port: number): Obj[] {
  const probe = (path: string) => ({ httpGet: { path, port }, periodSeconds: 5 });
  const env = [
    ...Object.entries(secrets).map(([variable, key]) => secretEnv(variable, key)),
    ...Object.entries(command.env).map(([variable, value]) => ({ name: variable, value })),
  ];
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
                args: command.args,
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

const databaseUrl = (part: string, database: string) =>
  `postgres://cats:$(POSTGRES_PASSWORD)@postgres-${part}:${PORTS.postgres}/${database}`;

function ice(): Obj[] {
  return [
    ...postgres('ice', 'ice'),
    ...part(
      'cats-ice',
      iceCommand({
        host: '0.0.0.0',
        port: PORTS.ice,
        databaseUrl: databaseUrl('ice', 'ice'),
        nodeTokens: Object.fromEntries(COUNTRIES.map((c) => [c, `$(ICE_TOKEN_${c})`])),
        auditorToken: '$(AUDITOR_TOKEN)',
      }),
      {
        POSTGRES_PASSWORD: 'postgres-password',
        AUDITOR_TOKEN: 'auditor-token',
        ...Object.fromEntries(COUNTRIES.map((c) => [`ICE_TOKEN_${c}`, `ice-token-${lower(c)}`])),
      },
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
      nodeCommand({
        country: c,
        host: '0.0.0.0',
        port: PORTS.node,
        serverUrl: databaseUrl(lower(c), db),
        adminToken: '$(ADMIN_TOKEN)',
        auditorToken: '$(AUDITOR_TOKEN)',
        ice: { url: `ws://${iceHost}:${PORTS.ice}/v1/ice`, token: '$(ICE_TOKEN)' },
      }),
      {
        POSTGRES_PASSWORD: 'postgres-password',
        ADMIN_TOKEN: `admin-token-${lower(c)}`,
        AUDITOR_TOKEN: 'auditor-token',
        ICE_TOKEN: `ice-token-${lower(c)}`,
      },
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
        args: [...PROMETHEUS_FLAGS],
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
  const script = dataSetScript({
    countries: COUNTRIES,
    dir: '/data/data-set',
    deployment: '/deployment/deployment.json',
    seed: 'k8s',
    before: ['cp -r /app/scenarios /data/'],
  });
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
