// Who is registered with CATS: the operators a TIR holder maps to, the officers
// who act at each office, and the guarantors standing behind guarantees, read
// from a generated data set (operators.ndjson, officers.ndjson, guarantees.ndjson).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ctd } from '../../reference/spec/ctd.ts';
import type { Fixtures } from '../../reference/spec/fixtures.ts';
import { FILES } from '../../generators/write-dataset.ts';

export interface RegisteredOperator {
  tin: string;
  name: string;
  country: string;
  aeo: boolean;
  token: string;
  address: Ctd['holder']['address'];
}

export interface RegisteredOfficer {
  id: string;
  token: string;
  offices: string[];
}

export type Guarantor = NonNullable<Fixtures['guarantees']>[number]['guarantor'];

export interface Registry {
  operators: ReadonlyMap<string, RegisteredOperator>;
  officers: readonly RegisteredOfficer[];
  /** A guarantor of each country (the first the data set names). */
  guarantors: ReadonlyMap<string, Guarantor>;
}

async function lines<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export async function readRegistry(dataSetDir: string): Promise<Registry> {
  const operators = await lines<RegisteredOperator>(path.join(dataSetDir, FILES.operators));
  const officers = await lines<RegisteredOfficer>(path.join(dataSetDir, FILES.officers));
  const guarantees = await lines<{ country: string; guarantor: Guarantor }>(path.join(dataSetDir, FILES.guarantees));
  const guarantors = new Map<string, Guarantor>();
  for (const g of guarantees) if (!guarantors.has(g.country)) guarantors.set(g.country, g.guarantor);
  return {
    operators: new Map(operators.map((o) => [o.tin, o])),
    officers,
    guarantors,
  };
}

/** The token of an officer acting at `office`. */
export function officerTokenFor(registry: Registry, office: string): string | undefined {
  return registry.officers.find((o) => o.offices.includes(office))?.token;
}
