// Seeds a deployment with a data set's parties: each line of the data set's
// `fixtures.CC.ndjson` is one body for the admin fixture route (spec v0
// `POST /v1/admin/fixtures`, an idempotent upsert) of country CC's node.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { DeploymentFile } from '../deploy/deployment-file.ts';

export interface SeedCounts {
  country: string;
  operators: number;
  officers: number;
  guarantees: number;
}

/** Seeds every country of `fixtureFiles` (country → file name in the data set) that has a node. */
export async function seedFromDataset(
  deployment: DeploymentFile,
  datasetDir: string,
  fixtureFiles: Record<string, string>,
): Promise<SeedCounts[]> {
  const applied: SeedCounts[] = [];
  for (const [country, file] of Object.entries(fixtureFiles)) {
    const node = deployment.nodes[country];
    if (!node) continue;
    if (!node.adminToken)
      throw new Error(`cannot seed ${country}: the deployment file has no admin token for its node`);
    const total: SeedCounts = { country, operators: 0, officers: 0, guarantees: 0 };
    const lines = createInterface({ input: createReadStream(path.join(datasetDir, file)), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const res = await fetch(`${node.url}/v1/admin/fixtures`, {
        method: 'POST',
        headers: { authorization: `Bearer ${node.adminToken}`, 'content-type': 'application/json' },
        body: line,
      });
      const text = await res.text();
      if (res.status !== 200)
        throw new Error(`seeding ${country} at ${node.url} failed: ${res.status} ${text.slice(0, 500)}`);
      const counts = JSON.parse(text) as Omit<SeedCounts, 'country'>;
      total.operators += counts.operators;
      total.officers += counts.officers;
      total.guarantees += counts.guarantees;
    }
    applied.push(total);
  }
  return applied;
}
