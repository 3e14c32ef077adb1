// Seeding a node with parties and guarantees: bodies for its admin fixture route
// (spec v0 `POST /v1/admin/fixtures`, an idempotent upsert), applied in order so
// operators come before the guarantees they hold. A generated data set holds one
// body a line in fixtures.<CC>.ndjson; without a data set, `up` seeds its default fixture.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { FILES } from '../../generators/write-dataset.ts';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import type { DeploymentFile } from './deployment-file.ts';

export interface SeedTarget {
  country: string;
  url: string;
  adminToken: string;
}

export interface SeedCounts {
  operators: number;
  officers: number;
  guarantees: number;
}

/** Posts each body to the node in turn; `applied` sees each body the node took. */
export async function seedNode(
  node: SeedTarget,
  bodies: Iterable<Fixtures> | AsyncIterable<Fixtures>,
  applied?: (body: Fixtures) => void,
): Promise<SeedCounts> {
  const total: SeedCounts = { operators: 0, officers: 0, guarantees: 0 };
  for await (const body of bodies) {
    const res = await fetch(`${node.url.replace(/\/+$/, '')}/v1/admin/fixtures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${node.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200)
      throw new Error(`seeding ${node.country} at ${node.url} failed: ${res.status} ${text.slice(0, 500)}`);
    const counts = JSON.parse(text) as SeedCounts;
    total.operators += counts.operators;
    total.officers += counts.officers;
    total.guarantees += counts.guarantees;
    applied?.(body);
  }
  return total;
}

/** The data set's fixture file of `country`, or undefined when the data set has none. */
export async function dataSetFixtureFile(dataSet: string, country: string): Promise<string | undefined> {
  const file = path.resolve(dataSet, FILES.fixtures(country));
  return access(file).then(
    () => file,
    () => undefined,
  );
}

/** The bodies of a fixture file, one a line, read as they are posted. */
export async function* fixtureBodies(file: string): AsyncGenerator<Fixtures> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity }))
    if (line.trim()) yield JSON.parse(line) as Fixtures;
}

/** Seeds every node of a deployment that the data set has a fixture file for. */
export async function seedFromDataSet(
  deployment: DeploymentFile,
  dataSet: string,
): Promise<(SeedCounts & { country: string })[]> {
  const seeded: (SeedCounts & { country: string })[] = [];
  for (const [country, node] of Object.entries(deployment.nodes)) {
    const file = await dataSetFixtureFile(dataSet, country);
    if (!file) continue;
    if (!node.adminToken)
      throw new Error(`cannot seed ${country}: the deployment file has no admin token for its node`);
    const target = { country, url: node.url, adminToken: node.adminToken };
    seeded.push({ country, ...(await seedNode(target, fixtureBodies(file))) });
  }
  return seeded;
}
