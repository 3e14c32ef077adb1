// A generated data set against real reference nodes: one node per pilot
// country on its own database, seeded from the data set's fixture files; every
// CTD is lodged at its country's node in replay order. Valid CTDs are
// accepted; each defective one is rejected with the code it is labelled with.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type RunningNode } from '../reference/cats/start.ts';
import { createTestDatabase } from '../test/support/database.ts';
import { PILOT_COUNTRIES, type CtdRecord, type DatasetOptions } from './dataset.ts';
import { defectKinds } from './defects.ts';
import { dataSetFixtureFile, fixtureBodies, seedNode } from '../harness/deploy/seed.ts';
import { writeDataset, type Manifest } from './write-dataset.ts';

const ADMIN = 'generator-acceptance-admin-token';
const options: DatasetOptions = {
  seed: 'acceptance',
  movements: 360,
  profile: 'weekday',
  defects: 0.15,
  countries: [...PILOT_COUNTRIES],
  year: 2026,
};

async function post(node: RunningNode, path: string, token: string, body: string) {
  const res = await fetch(node.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as { code?: string; state?: string; replayed?: boolean } };
}

const readLines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((l) => l.length > 0);

describe('a generated data set on real nodes', () => {
  let dir: string;
  let manifest: Manifest;
  const nodes = new Map<string, RunningNode>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cats-generate-acceptance-'));
    manifest = await writeDataset(options, dir);
    for (const country of options.countries) {
      const node = await startNode({
        country,
        databaseUrl: await createTestDatabase(`gen_${country}`),
        adminToken: ADMIN,
        port: 0,
        poolSize: 4,
      });
      nodes.set(country, node);
      const file = await dataSetFixtureFile(dir, country);
      const seeded = await seedNode({ country, url: node.url, adminToken: ADMIN }, fixtureBodies(file!));
      expect(seeded.operators).toBe(manifest.counts.operatorsByCountry[country]);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...nodes.values()].map((n) => n.close()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts every valid CTD and rejects every defective one with its labelled code', async () => {
    const outcomes: string[] = [];
    const kinds = new Set<string>();
    let valid = 0;
    let defective = 0;
    for (const line of await readLines(join(dir, 'ctds.ndjson'))) {
      const record = JSON.parse(line) as CtdRecord;
      const reply = await post(
        nodes.get(record.country)!,
        '/v1/declarations',
        record.token,
        JSON.stringify(record.ctd),
      );
      if (record.defect) {
        defective++;
        kinds.add(record.defect.kind);
        if (reply.status < 400 || reply.body.code !== record.defect.code)
          outcomes.push(
            `#${record.seq} ${record.defect.kind}: expected ${record.defect.code}, got ${reply.status} ${JSON.stringify(reply.body)}`,
          );
      } else {
        valid++;
        if (reply.status !== 201)
          outcomes.push(`#${record.seq} valid (${record.route}): got ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(valid).toBeGreaterThan(250);
    expect(defective).toBe(54);
    expect([...kinds].sort()).toEqual([...defectKinds].sort());
  }, 240_000);
});
