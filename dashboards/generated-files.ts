// Every file `dashboards/build.ts` writes, by path from the repository root:
// the dashboards, Grafana's provisioning, the compose deployment (its compose file,
// Prometheus config and deployment file) and the Kubernetes manifests. A test keeps
// the committed copies equal to these.
import { allDashboards } from './dashboards.ts';
import { DEFAULT_SCRAPE_INTERVAL, toYaml } from './prometheus-config.ts';
import { composeFiles } from '../deploy/compose.ts';
import { k8sFiles } from '../deploy/k8s/manifests.ts';

export const DATASOURCE_UID = 'cats-stress-prometheus';

/** Grafana's datasource provisioning: the deployment's Prometheus. */
export function datasourcesProvisioning() {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'cats-stress Prometheus',
        uid: DATASOURCE_UID,
        type: 'prometheus',
        access: 'proxy',
        url: '${PROMETHEUS_URL}',
        isDefault: true,
        editable: false,
        // Equal to the scrape interval, so $__rate_interval always spans enough scrapes.
        jsonData: { timeInterval: DEFAULT_SCRAPE_INTERVAL, prometheusType: 'Prometheus', httpMethod: 'POST' },
      },
    ],
  };
}

/** Grafana's dashboard provisioning: the dashboards folder. */
export function dashboardProvisioning() {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'cats-stress',
        folder: 'cats-stress',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: '${CATS_STRESS_DASHBOARDS}', foldersFromFilesStructure: false },
      },
    ],
  };
}

export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, d] of allDashboards()) files.set(`dashboards/grafana/${name}`, `${JSON.stringify(d, null, 2)}\n`);
  files.set(
    'dashboards/provisioning/datasources/cats-stress.yaml',
    `# Grafana datasource provisioning. PROMETHEUS_URL: the Prometheus of the deployment\n# (cats-stress observe prints it; in deploy/compose.yaml it is http://127.0.0.1:9090).\n${toYaml(datasourcesProvisioning())}`,
  );
  files.set(
    'dashboards/provisioning/dashboards/cats-stress.yaml',
    `# Grafana dashboard provisioning. CATS_STRESS_DASHBOARDS: absolute path of dashboards/grafana.\n${toYaml(dashboardProvisioning())}`,
  );
  for (const [file, content] of [...composeFiles(), ...k8sFiles()]) files.set(file, content);
  return files;
}
