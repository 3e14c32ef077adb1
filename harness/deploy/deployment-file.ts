// The deployment file: what scenarios read (DeploymentFile, scenarios/lib/deployment.js:
// every node's endpoint and admin credential, ICE when present, the seeded parties'
// credentials), and what `cats-stress up` writes on top of it for `down` (Deployment:
// the processes, their logs, the database).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import { offices } from '../../reference/spec/reference-data/offices.ts';

export const DEFAULT_DEPLOYMENT_FILE = '.cats-stress/deployment.json';

export interface DeploymentNode {
  url: string;
  adminToken?: string;
}

/** An ICE credential for a country without a node, which load clients (ice-burst) speak for. */
export interface IceLoadIdentity {
  country: string;
  /** A customs office of that country, used as sender and recipient office. */
  office: string;
  token: string;
}

/** The load identity of `country`, speaking for its first customs office of the reference data. */
export function iceLoadIdentity(country: string, token: string): IceLoadIdentity {
  const office = offices.find((o) => o.country === country);
  if (!office) throw new Error(`no customs office in ${country} for an ICE load identity`);
  return { country, office: office.referenceNumber, token };
}

export interface DeploymentFile {
  nodes: Record<string, DeploymentNode>;
  /** `httpUrl`: ICE's /metrics and health endpoints, when it publishes them. */
  ice?: { url: string; httpUrl?: string; loadIdentities?: IceLoadIdentity[] };
  operators?: { tin: string; token: string; country?: string }[];
  officers?: { id: string; token: string; offices: string[] }[];
  guarantees?: { grn: string; accessCode: string; holderTin: string }[];
  /** A Prometheus scraping the parts and receiving runs by remote write (`up --observability`). */
  prometheus?: { url: string; remoteWriteUrl: string };
  /** The deployment's auditor: a bearer token every node and ICE take on their /v1/audit routes (reconciliation). */
  auditor?: { token: string };
  /**
   * The business clock every part runs on (`up --time-factor`): business time = epoch + (real time − epoch) × factor.
   * Absent: real time (a target's own clock is read from its GET /v1/clock).
   */
  clock?: { factor: number; epoch: string };
}

export async function readDeploymentFile(file: string): Promise<DeploymentFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read deployment file ${file}: ${(err as Error).message}`);
  }
  const d = raw as DeploymentFile;
  if (!d || typeof d !== 'object' || !d.nodes || typeof d.nodes !== 'object' || Object.keys(d.nodes).length === 0)
    throw new Error(`deployment file ${file} lists no nodes`);
  for (const [country, node] of Object.entries(d.nodes))
    if (!node || typeof node.url !== 'string') throw new Error(`deployment file ${file}: node ${country} has no url`);
  return d;
}

/** Written whole or not at all (a reader never sees half a file); mode 600, it holds credentials. */
export async function writeDeploymentFile(file: string, d: DeploymentFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(d, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

export interface ProcessInfo {
  pid: number;
  log: string;
}

/** What the supervisor keeps running: status and restarts since `up` (absent in files of other deployments). */
export interface PartHealth {
  /** `failed`: it died too often and is no longer restarted. */
  status?: 'running' | 'restarting' | 'failed' | 'stopped';
  restarts?: number;
}

export interface NodeEndpoint extends ProcessInfo, PartHealth {
  country: string;
  url: string;
  adminToken: string;
  /** Seeded parties: the whole default fixture, or the officers of a data set (its operators and guarantees stay in the data set's files). */
  officers: NonNullable<Fixtures['officers']>;
  operators: NonNullable<Fixtures['operators']>;
  guarantees: NonNullable<Fixtures['guarantees']>;
  seeded: { operators: number; officers: number; guarantees: number };
}

/** What `up` writes: the file any scenario reads (DeploymentFile), plus what `down` needs. */
export interface Deployment extends DeploymentFile {
  createdAt: string;
  countries: string[];
  /** Process that started and watches every part; stopping it stops them all. metricsUrl: its /metrics (restarts and status of every part). */
  supervisor: ProcessInfo & { metricsUrl?: string };
  postgres: PartHealth & { embedded: boolean; pid: number | null; dataDir: string | null; databases: string[] };
  /** loadIdentities: ICE credentials of countries outside the exchange, which load clients speak for (ice-burst). */
  ice: ProcessInfo & PartHealth & { url: string; httpUrl: string; loadIdentities: IceLoadIdentity[] };
  nodes: Record<string, NodeEndpoint>;
  fixture: { kind: 'default' } | { kind: 'data-set'; dir: string };
  /** With --observability: Prometheus scraping every part and receiving runs by remote write. */
  prometheus?: { pid: number; url: string; remoteWriteUrl: string };
  /** With --fault-links: the fault proxies on links between parts, and the loopback API that drives them. */
  faultLinks?: { url: string; token: string; links: Record<string, { port: number; upstream: string }> };
}

/** The deployment `up` recorded in `file`, or undefined when there is none. */
export async function readDeployment(file: string): Promise<Deployment | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Deployment;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read deployment file ${file}: ${(err as Error).message}`);
  }
}

export async function removeDeployment(file: string): Promise<void> {
  await rm(file, { force: true });
}
