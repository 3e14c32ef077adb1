// `cats-stress observe`: Prometheus on loopback for a running deployment,
// scraping every node and ICE in its deployment file and receiving the runs'
// remote write, until Ctrl-C. Follows changes of the deployment file.
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { scrapeTargets } from '../../dashboards/prometheus-config.ts';
import { startPrometheus } from '../../dashboards/prometheus.ts';
import type { Command } from '../cli.ts';
import { parseFlags, portFlag, UsageError } from '../flags.ts';
import { readDeploymentFile } from '../deploy/deployment-file.ts';

const usage = `usage: cats-stress observe [options]

Starts Prometheus (the system's prometheus binary, Debian package 'prometheus') on
127.0.0.1 for a running deployment: it scrapes every node and ICE listed in the
deployment file and receives runs by remote write (cats-stress run --out
experimental-prometheus-rw, or real k6 with the same flag). Stops on Ctrl-C.
Grafana: see dashboards/README.md.

options:
  --deployment FILE      deployment file (default .cats-stress/deployment.json)
  --port N               port on 127.0.0.1 (default 9090, where k6's output writes
                         by default; 0 picks a free port)
  --data-dir DIR         Prometheus config and data (default .cats-stress/prometheus)
  --scrape-interval D    how often to scrape, e.g. 5s (default 5s)
  --retention D          how long to keep samples, e.g. 15d (default 15d)`;

export const command: Command = {
  name: 'observe',
  summary: 'start Prometheus on loopback for a deployment (scrapes it, receives runs by remote write)',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        deployment: { type: 'string', default: '.cats-stress/deployment.json' },
        port: { type: 'string', default: '9090' },
        'data-dir': { type: 'string', default: '.cats-stress/prometheus' },
        'scrape-interval': { type: 'string', default: '5s' },
        retention: { type: 'string', default: '15d' },
      },
    });
    const port = portFlag(values.port)!;
    for (const flag of ['scrape-interval', 'retention'] as const)
      if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(values[flag]!))
        throw new UsageError(`--${flag} must be a Prometheus duration like 5s or 15d, got '${values[flag]}'`);
    const file = values.deployment!;
    if (!existsSync(file)) {
      console.error(
        `cats-stress observe: no deployment file ${file}: start a deployment with 'cats-stress up', or name its file with --deployment`,
      );
      return 1;
    }
    const deployment = await readDeploymentFile(file);
    const describe = (d: typeof deployment) =>
      scrapeTargets(d)
        .map((t) =>
          t.job === 'cats-node'
            ? `${t.labels.country} ${t.address}`
            : `${t.job === 'ice' ? 'ICE' : 'supervisor'} ${t.address}`,
        )
        .join(', ');
    const targets = describe(deployment);
    const prometheus = await startPrometheus({
      deployment,
      port,
      dataDir: values['data-dir']!,
      scrapeInterval: values['scrape-interval'],
      retention: values.retention,
      log: (line) => {
        if (/level=(error|warn)/.test(line) && !/Received SIGTERM/.test(line)) console.error(`prometheus: ${line}`);
      },
    });
    console.log(`Prometheus ${prometheus.url} scraping ${targets}`);
    console.log(`remote write: K6_PROMETHEUS_RW_SERVER_URL=${prometheus.remoteWriteUrl}`);
    console.log('Ctrl-C to stop.');

    // The deployment may change while Prometheus runs (nodes added, restarted on other ports).
    watchFile(file, { interval: 2000 }, async () => {
      try {
        const next = await readDeploymentFile(file);
        await prometheus.reload(next);
        console.log(`deployment changed: now scraping ${describe(next)}`);
      } catch (err) {
        console.error(`cats-stress observe: kept the previous targets: ${(err as Error).message}`);
      }
    });

    const signalled = new Promise<'signal'>((resolve) => {
      process.once('SIGINT', () => resolve('signal'));
      process.once('SIGTERM', () => resolve('signal'));
    });
    const outcome = await Promise.race([signalled, prometheus.exited.then(() => 'exited' as const)]);
    unwatchFile(file);
    if (outcome === 'exited') {
      console.error('cats-stress observe: prometheus stopped on its own');
      return 1;
    }
    await prometheus.stop();
    return 0;
  },
};
