// The deployment file `cats-stress up` writes and scenarios and `down` read:
// every endpoint, the credentials of what was seeded, the processes and logs.
import { readFile, rm } from 'node:fs/promises';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import type { DeploymentFile, IceLoadIdentity } from '../stress/deployment-file.ts';

export const DEFAULT_DEPLOYMENT_FILE = '.cats-stress/deployment.json';

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
}

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

export function isAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
