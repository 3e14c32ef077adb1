// `cats-stress up`: the reference deployment (ICE and one node per country on
// loopback, each with its own database), seeded and ready, in the background.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../cli.ts';
import { DEFAULT_DEPLOYMENT_FILE, readDeployment, type Deployment } from '../deploy/deployment-file.ts';
import { isAlive, stopDeployment } from '../deploy/stop.ts';
import { numberFlag, parseFlags, portFlag, UsageError } from '../flags.ts';
import { DEFAULT_RESTART_POLICY, parseRestartLimit } from '../deploy/restart-policy.ts';
import { superviseDeployment } from '../deploy/supervisor.ts';
import { parseLink, partLinkProblem } from '../faults/schedule.ts';
import { serveLinkControl } from '../faults/link-control.ts';
import { findPrometheus } from '../../dashboards/prometheus.ts';
import { countries as referenceCountries, countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { offices } from '../../reference/spec/reference-data/offices.ts';

const DEFAULT_COUNTRIES = 'GE,AZ,KZ,UZ,KG,PK';

const hasOffice = (country: string) => offices.some((o) => o.country === country);
// Load identities speak for countries outside the exchange: no node sends them
// C2C messages, so load clients receive only their own traffic.
const loadCandidates = referenceCountries.filter((c) => !c.pilot && hasOffice(c.code)).map((c) => c.code);

const usage = `usage: cats-stress up [options]

Starts ICE and one national node per country as separate processes on
127.0.0.1, each with its own database (one embedded PostgreSQL, or
DATABASE_URL), seeds them, waits until every part is ready, prints the
endpoints and writes them with the seeded credentials to the deployment file.
'cats-stress down' stops it all.

options:
  --countries LIST      node countries (default ${DEFAULT_COUNTRIES})
  --deployment FILE     deployment file to write (default ${DEFAULT_DEPLOYMENT_FILE})
  --ice-load-countries LIST
                        countries without a node given ICE credentials for load clients
                        (ice.loadIdentities in the deployment file; ice-burst needs two);
                        default: every non-pilot country with a customs office
                        (${loadCandidates.join(',')}) minus --countries; '' for none
  --data-set DIR        seed from a generated data set's fixtures.<CC>.ndjson
                        (default: the built-in fixture: per country an officer for every
                        office and one for all, 3 operators, a guarantee each)
  --logs DIR            log folder (default results/deploy-logs)
  --state-dir DIR       folder for the embedded PostgreSQL (default .cats-stress)
  --database-url URL    external PostgreSQL server (default DATABASE_URL); its databases
                        cats_ice and cats_<cc> are dropped and created afresh
  --observability       also start Prometheus (Debian package prometheus) on 127.0.0.1,
                        scraping ICE and every node and receiving runs by remote write
                        (cats-stress run -o experimental-prometheus-rw); see dashboards/README.md
  --prometheus-port N   its port (default 9090, where k6's remote-write output writes by default)
  --restart-limit N/DURATION
                        a part that dies is started again (same port and data) after
                        0.2 s, doubling to 5 s; one needing more than N restarts within
                        DURATION is reported failed and left stopped (default 5/60s)
  --fault-links LIST    fault proxies on links between parts, e.g. GE-ice,KZ-db,ice-db: the
                        part on the left connects through a loopback proxy that a run's
                        --faults can cut, slow or hold (harness/faults/README.md); a
                        country's CC-db link also serves pause:db/CC. Default: none, every
                        part connects directly
  --time-factor N       run business time N times faster than real time in every part
                        (limit dates, enquiry and recovery periods; protocol timers stay
                        real), from one epoch recorded in the deployment file (default 1)
  --attach              run in the foreground; Ctrl-C stops everything`;

const bin = fileURLToPath(new URL('../../bin/cats-stress.js', import.meta.url));

function summary(d: Deployment, file: string): string {
  const load = d.ice.loadIdentities.map((i) => i.country);
  const lines = [
    `ICE      ${d.ice.url}  (metrics ${d.ice.httpUrl}/metrics${load.length ? `; load identities ${load.join(', ')}` : ''})`,
  ];
  for (const n of Object.values(d.nodes)) {
    lines.push(
      `node ${n.country}  ${n.url}  (${n.seeded.operators} operators, ${n.seeded.officers} officers, ${n.seeded.guarantees} guarantees)`,
    );
  }
  if (d.clock) lines.push(`business clock ×${d.clock.factor} from ${d.clock.epoch} (GET /v1/clock on every part)`);
  if (d.prometheus) lines.push(`Prometheus ${d.prometheus.url}  (remote write ${d.prometheus.remoteWriteUrl})`);
  if (d.supervisor.metricsUrl) {
    lines.push(
      `supervisor ${d.supervisor.pid}  restarts a part that dies; restarts and status: ${d.supervisor.metricsUrl}`,
    );
  }
  lines.push(`deployment file ${path.resolve(file)} (credentials inside); logs in ${path.dirname(d.supervisor.log)}`);
  lines.push(`stop with: cats-stress down${file === DEFAULT_DEPLOYMENT_FILE ? '' : ` --deployment ${file}`}`);
  return lines.join('\n');
}

export const command: Command = {
  name: 'up',
  summary: 'start the reference deployment: ICE + one node per country, seeded',
  usage,
  async run(argv) {
    const { values } = parseFlags({
      args: argv,
      options: {
        countries: { type: 'string', default: DEFAULT_COUNTRIES },
        'ice-load-countries': { type: 'string' },
        deployment: { type: 'string', default: DEFAULT_DEPLOYMENT_FILE },
        'data-set': { type: 'string' },
        logs: { type: 'string', default: 'results/deploy-logs' },
        'state-dir': { type: 'string', default: '.cats-stress' },
        'database-url': { type: 'string' },
        attach: { type: 'boolean', default: false },
        observability: { type: 'boolean', default: false },
        'prometheus-port': { type: 'string', default: '9090' },
        'restart-limit': { type: 'string', default: '5/60s' },
        'fault-links': { type: 'string' },
        'time-factor': { type: 'string', default: '1' },
      },
    });
    const countries = [
      ...new Set(
        (values.countries ?? '')
          .split(',')
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean),
      ),
    ];
    const unknown = countries.filter((c) => !hasOffice(c));
    if (countries.length === 0 || unknown.length > 0)
      throw new UsageError(
        `--countries must list countries with customs offices in the reference data; unknown: ${unknown.join(', ') || '(none given)'}`,
      );
    const iceLoadCountries =
      values['ice-load-countries'] === undefined
        ? loadCandidates.filter((c) => !countries.includes(c))
        : [
            ...new Set(
              values['ice-load-countries']
                .split(',')
                .map((c) => c.trim().toUpperCase())
                .filter(Boolean),
            ),
          ];
    const unfit = iceLoadCountries.filter((c) => !loadCandidates.includes(c) || countries.includes(c));
    if (unfit.length > 0) {
      const why = (c: string) =>
        countries.includes(c)
          ? 'has a node'
          : countryByCode.get(c)?.pilot
            ? 'is in the exchange'
            : 'has no customs office';
      throw new UsageError(
        `--ice-load-countries: ${unfit.map((c) => `${c} ${why(c)}`).join(', ')}; choose from ${loadCandidates.join(', ')} without a node`,
      );
    }
    if (
      values['data-set'] &&
      !(await stat(values['data-set']).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      throw new UsageError(`--data-set ${values['data-set']} is not a folder`);
    let restartLimit: ReturnType<typeof parseRestartLimit>;
    try {
      restartLimit = parseRestartLimit(values['restart-limit'] as string);
    } catch (err) {
      throw new UsageError((err as Error).message, { cause: err });
    }
    const faultLinks = faultLinksFlag(values['fault-links'], countries);
    const timeFactor = numberFlag(values['time-factor'], '--time-factor', { above: 0 })!;
    const file = values.deployment as string;
    const logDir = path.resolve(values.logs as string);
    const options = {
      countries,
      iceLoadCountries,
      deploymentFile: file,
      dataSet: values['data-set'],
      logDir,
      stateDir: values['state-dir'] as string,
      databaseUrl: values['database-url'] ?? process.env.DATABASE_URL,
      prometheusPort: values.observability ? portFlag(values['prometheus-port'], '--prometheus-port') : undefined,
      restartPolicy: { ...DEFAULT_RESTART_POLICY, ...restartLimit },
      faultLinks: faultLinks.length ? { names: faultLinks, serve: serveLinkControl } : undefined,
      timeFactor,
    };
    if (values.observability && !findPrometheus()) {
      console.error(
        'cats-stress up: --observability needs Prometheus: apt-get install prometheus, or set PROMETHEUS_BIN',
      );
      return 2;
    }

    const existing = await readDeployment(file);
    if (existing && isAlive(existing.supervisor.pid) && existing.supervisor.pid !== process.pid) {
      console.error(
        `cats-stress up: a deployment is already up (${path.resolve(file)}); stop it with cats-stress down`,
      );
      return 1;
    }
    if (existing) await stopDeployment(existing, file, (l) => console.log(`clearing a stale deployment: ${l}`));

    if (values.attach) return superviseDeployment(options);

    await mkdir(logDir, { recursive: true });
    const supervisorLog = path.join(logDir, 'supervisor.log');
    const fd = openSync(supervisorLog, 'w');
    const supervisor = spawn(process.execPath, [bin, 'up', ...argv.filter((a) => a !== '--attach'), '--attach'], {
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    supervisor.unref();
    const pid = supervisor.pid as number;
    console.log(`starting ${countries.join(', ')} and ICE (supervisor ${pid}, log ${supervisorLog})`);

    let interrupted = false;
    const onInterrupt = () => (interrupted = true);
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    let shown = 0;
    const showProgress = async () => {
      const text = await readFile(supervisorLog, 'utf8').catch(() => '');
      const complete = text.slice(shown, text.lastIndexOf('\n') + 1);
      if (complete) process.stdout.write(complete.replace(/^\S+ /gm, '  '));
      shown += complete.length;
    };
    try {
      for (;;) {
        await new Promise((r) => setTimeout(r, 200));
        await showProgress();
        if (interrupted) {
          console.log('interrupted: stopping everything…');
          const d = (await readDeployment(file)) ?? partialDeployment(pid, supervisorLog);
          await stopDeployment(d, file, (l) => console.log(`  ${l}`));
          return 130;
        }
        if (!isAlive(pid)) {
          await showProgress();
          console.error(`cats-stress up: the deployment did not start (see ${supervisorLog}); nothing is left running`);
          return 1;
        }
        const d = await readDeployment(file);
        if (d?.supervisor.pid === pid) {
          console.log(summary(d, file));
          return 0;
        }
      }
    } finally {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    }
  },
};

/** `--fault-links GE-ice,KZ-db,ice-db`: links between parts of this deployment, each once. */
function faultLinksFlag(arg: string | undefined, countries: string[]): string[] {
  if (!arg) return [];
  const names = [
    ...new Set(
      arg
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
  const problems: string[] = [];
  for (const name of names) {
    const link = parseLink(name);
    const why = !link
      ? 'not a link CLIENT-SERVER between parts (CC-ice, CC-db, ice-db)'
      : link.client === 'clients'
        ? "load clients' links are placed by the run itself (--faults)"
        : (partLinkProblem(link) ??
          [link.client, link.server]
            .filter((end) => /^[A-Z]{2}$/.test(end) && !countries.includes(end))
            .map((end) => `no node ${end} in --countries`)[0]);
    if (why) problems.push(`${name}: ${why}`);
  }
  if (problems.length) throw new UsageError(`--fault-links: ${problems.join('; ')}`);
  return names.sort();
}

/** What is known of a deployment still starting: its supervisor, which stops whatever it started. */
function partialDeployment(pid: number, log: string): Deployment {
  return {
    createdAt: new Date().toISOString(),
    countries: [],
    supervisor: { pid, log },
    postgres: { embedded: false, pid: null, dataDir: null, databases: [] },
    ice: { pid: 0, log: '', url: '', httpUrl: '', loadIdentities: [] },
    nodes: {},
    fixture: { kind: 'default' },
  };
}
