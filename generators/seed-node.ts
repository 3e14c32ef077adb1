// Seeds a running node with a data set's fixtures: posts each line of
// fixtures.<COUNTRY>.ndjson to the node's admin fixture route, in order (the
// operators before the guarantees they hold). Idempotent, like the route.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FILES } from './write-dataset.ts';

export interface SeedTarget {
  /** Base URL of the node, e.g. http://127.0.0.1:4100 */
  url: string;
  adminToken: string;
  /** Country of the node: its fixture file is the one seeded. */
  country: string;
}

export interface Seeded {
  requests: number;
  operators: number;
  officers: number;
  guarantees: number;
}

export async function seedNode(datasetDir: string, target: SeedTarget): Promise<Seeded> {
  const file = join(datasetDir, FILES.fixtures(target.country));
  const seeded: Seeded = { requests: 0, operators: 0, officers: 0, guarantees: 0 };
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    const res = await fetch(new URL('/v1/admin/fixtures', target.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
      body: line,
    });
    const body = (await res.json()) as Partial<Seeded> & { code?: string; message?: string };
    if (res.status !== 200)
      throw new Error(
        `seeding ${target.country} at ${target.url}: ${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim(),
      );
    seeded.requests++;
    seeded.operators += body.operators ?? 0;
    seeded.officers += body.officers ?? 0;
    seeded.guarantees += body.guarantees ?? 0;
  }
  return seeded;
}
