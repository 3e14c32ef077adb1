// Every file `dashboards/build.ts` writes, by path from the repository root:
// the dashboards, Grafana's provisioning, and the compose deployment's
// Prometheus config and deployment file. A test keeps the committed copies equal
// to these.
import { allDashboards } from './dashboards.ts';
import { composeDeployment } from './compose-deployment.ts';
import { DEFAULT_SCRAPE_INTERVAL, prometheusConfig } from './prometheus-config.ts';
import { toYaml } from './yaml.ts';

export const DATASOURCE_UID = 'cats-stress-prometheus';

function datasources(): string {
  return `# Grafana datasource provisioning. PROMETHEUS_URL: the Prometheus of the deployment\n# (cats-stress observe prints it; in deploy/compose.yaml it is http://127.0.0.1:9090).\n${toYaml(
    {
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
    },
  )}`;
}

function dashboardProvider(): string {
  return `# Grafana dashboard provisioning. CATS_STRESS_DASHBOARDS: absolute path of dashboards/grafana.\n${toYaml({
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
  })}`;
}

export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, d] of allDashboards()) files.set(`dashboards/grafana/${name}`, `${JSON.stringify(d, null, 2)}\n`);
  files.set('dashboards/provisioning/datasources/cats-stress.yaml', datasources());
  files.set('dashboards/provisioning/dashboards/cats-stress.yaml', dashboardProvider());
  files.set('deploy/prometheus.yml', prometheusConfig(composeDeployment, { scrapeInterval: DEFAULT_SCRAPE_INTERVAL }));
  files.set('deploy/deployment.json', `${JSON.stringify(composeDeployment, null, 2)}\n`);
  return files;
}
