// A small data set that takes every path: the generator draws the rare ones (0.1 %)
// only in thousands of movements, so a test labels the first movement of each route
// able to take a path it lacks with that path, as the generator would have drawn it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { routeById } from '../../generators/corridor/routes.ts';
import { MovementPathKinds, pathOfKind, type MovementPath } from '../../generators/movement-path.ts';
import { Random } from '../../generators/random.ts';

interface Labelled {
  defect: unknown;
  route: string;
  path: MovementPath | null;
  ctd: { offices: { departure: string; transit: string[]; destination: string } };
}

/** Labels movements of the data set in `dataDir` so each path is taken at least once by one whose offices `served` accepts. */
export async function labelEveryPath(dataDir: string, served: (office: string) => boolean): Promise<void> {
  const file = path.join(dataDir, 'ctds.ndjson');
  const records = (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Labelled);
  const playable = (r: Labelled) =>
    !r.defect && [r.ctd.offices.departure, ...r.ctd.offices.transit, r.ctd.offices.destination].every(served);
  for (const kind of MovementPathKinds) {
    if (records.some((r) => playable(r) && r.path?.kind === kind)) continue;
    const random = new Random('every-path', kind);
    for (const r of records) {
      if (!playable(r) || r.path?.kind !== 'as-declared') continue;
      const p = pathOfKind(routeById.get(r.route)!, kind, random);
      if (!p || (p.office && !served(p.office)) || (p.incident && !served(p.incident.office))) continue;
      r.path = p;
      break;
    }
    if (!records.some((r) => playable(r) && r.path?.kind === kind))
      throw new Error(`no movement of the data set can take the path ${kind}`);
  }
  await writeFile(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
