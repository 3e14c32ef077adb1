// What the container deployments of the reference share (deploy/compose.yaml and deploy/k8s/):
// the images, how Prometheus runs, and the one-off job that writes a data set and seeds the nodes.

/** The project's image, built from deploy/Dockerfile (tagged with the package version). */
export const IMAGE = 'cats-stress:0.1.0';

export const IMAGES = {
  postgres: 'postgres:16-alpine',
  prometheus: 'prom/prometheus:v2.55.1',
  grafana: 'grafana/grafana:11.3.0',
  k6: 'grafana/k6:0.49.0',
} as const;

/** As `cats-stress observe` starts it: runs arrive by remote write, trends as native histograms. */
export const PROMETHEUS_FLAGS = [
  '--config.file=/etc/prometheus/prometheus.yml',
  '--web.enable-remote-write-receiver',
  '--enable-feature=native-histograms',
] as const;

/**
 * The shell script of the data-set job (in the project's image): a peak-day data set for
 * `countries` in `dir`, whose parties it then registers at every node of `deployment`,
 * retrying until the nodes answer.
 */
export function dataSetScript(o: {
  countries: readonly string[];
  dir: string;
  deployment: string;
  seed: string;
  /** Commands to run first. */
  before?: string[];
}): string {
  return [
    'set -e',
    ...(o.before ?? []),
    `node /app/bin/cats-stress.js generate --movements 20000 --seed ${o.seed} --profile peak-day --countries ${o.countries.join(',')} --out ${o.dir}`,
    `until node /app/bin/cats-stress.js seed --deployment ${o.deployment} --data-set ${o.dir}; do sleep 5; done`,
  ].join('\n');
}
