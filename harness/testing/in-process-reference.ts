// The reference run inside this process: one national node per country, each on
// its own database, and optionally ICE on its own database with the nodes
// linked to it. The scenario and report tests run against it.
import { randomBytes } from 'node:crypto';
import { startNode, type RunningNode } from '../../reference/cats/start.ts';
import { startIce, type IceServer } from '../../reference/ice/server.ts';
import type { ClockAnchor } from '../../reference/domain/business-clock.ts';
import { iceLoadIdentity, type DeploymentFile, type IceLoadIdentity } from '../deploy/deployment-file.ts';

export interface InProcessReference {
  deployment: DeploymentFile;
  nodes: RunningNode[];
  stop(): Promise<void>;
}

export async function startInProcessReference(opts: {
  countries: string[];
  /** Database URL of each country's node (created and migrated on start). */
  databaseUrl: (country: string) => Promise<string> | string;
  /** ICE's database; without it the nodes run unlinked (no cross-border traffic). */
  iceDatabaseUrl?: string;
  /** Countries without a node whose ICE credentials load clients may use (ice-burst). */
  iceLoadCountries?: string[];
  poolSize?: number;
  /** The business clock of every part (`up --time-factor`); real time when absent. */
  clock?: ClockAnchor;
}): Promise<InProcessReference> {
  const loadCountries = opts.iceLoadCountries ?? [];
  const clash = loadCountries.filter((c) => opts.countries.includes(c));
  if (clash.length) throw new Error(`ICE load countries must not have a node: ${clash.join(', ')}`);
  const nodeTokens = Object.fromEntries(
    [...opts.countries, ...loadCountries].map((c) => [c, randomBytes(24).toString('base64url')]),
  );
  // The deployment's auditor, as `up` gives it to every part.
  const auditorToken = randomBytes(24).toString('base64url');
  const loadIdentities: IceLoadIdentity[] = loadCountries.map((country) =>
    iceLoadIdentity(country, nodeTokens[country]!),
  );

  const nodes: RunningNode[] = [];
  let ice: IceServer | undefined;
  const stop = async () => {
    await Promise.allSettled(nodes.map((n) => n.close()));
    await ice?.close();
  };
  try {
    if (opts.iceDatabaseUrl)
      ice = await startIce({ databaseUrl: opts.iceDatabaseUrl, nodeTokens, auditorToken, clock: opts.clock });
    for (const country of opts.countries) {
      nodes.push(
        await startNode({
          country,
          databaseUrl: await opts.databaseUrl(country),
          poolSize: opts.poolSize,
          auditorToken,
          clock: opts.clock,
          ice: ice && { url: ice.url, token: nodeTokens[country]! },
        }),
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const deployment: DeploymentFile = {
    nodes: Object.fromEntries(nodes.map((n) => [n.country, { url: n.url, adminToken: n.adminToken }])),
    ...(ice
      ? { ice: { url: ice.url, httpUrl: ice.httpUrl, ...(loadIdentities.length ? { loadIdentities } : {}) } }
      : {}),
    auditor: { token: auditorToken },
    ...(opts.clock ? { clock: { factor: opts.clock.factor, epoch: new Date(opts.clock.epochMs).toISOString() } } : {}),
  };
  return { deployment, nodes, stop };
}
