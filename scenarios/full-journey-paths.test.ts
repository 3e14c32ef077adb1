// Every path a movement can take once released, played by full-journey across the
// corridor's spine (KZ, AZ, GE through ICE) on a business clock running one day per
// real second: each labelled movement reaches the end state of its path, counted per path.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MovementPathKinds } from '../generators/movement-path.ts';
import { officeByReference } from '../reference/spec/reference-data/offices.ts';
import { runScenario, SPINE, startSeededReference, type SeededReference } from './testing/seeded-reference.ts';
import { labelEveryPath } from './testing/every-path.ts';

/** One business day per real second: a 17-day limit in 17 s, the 28-day enquiry period in 28 s. */
const TIME_FACTOR = 86_400;
const served = (office: string) => SPINE.includes(officeByReference.get(office)!.country);

let seeded: SeededReference;

beforeAll(async () => {
  seeded = await startSeededReference(
    'paths',
    { seed: 'fj-paths-3', movements: 120, profile: 'weekday', defects: 0 },
    { clock: { epochMs: Date.now(), factor: TIME_FACTOR } },
  );
  await labelEveryPath(seeded.dataDir, served);
}, 180_000);

afterAll(async () => {
  await seeded?.stop();
});

it('plays the first movement of every path to its end state: each counted, none stuck or skipped', async () => {
  const records = (await readFile(path.join(seeded.dataDir, 'ctds.ndjson'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { defect: unknown; path: { kind: string }; ctd: { offices: Record<string, any> } });
  const kinds = new Set(
    records
      .filter(
        (r) =>
          !r.defect && [r.ctd.offices.departure, ...r.ctd.offices.transit, r.ctd.offices.destination].every(served),
      )
      .map((r) => r.path.kind),
  );
  expect([...kinds].sort()).toEqual([...MovementPathKinds].sort());

  const { result, log } = await runScenario('full-journey', {
    ...seeded.env,
    PER_PATH: '1',
    VUS: String(MovementPathKinds.length),
    PATH_WAIT_S: '150',
    STEP_TIMEOUT_MS: '30000',
    SLO_E2E_P95_MS: '60000',
    SLO_ICE_P95_MS: '30000',
  });
  expect(result.exitCode, log).toBe(0);
  const metrics = result.summaryData?.metrics ?? {};
  const count = (name: string) => metrics[name]?.values.count ?? 0;
  const perPath = Object.fromEntries(
    MovementPathKinds.map((k) => [
      k,
      [
        count(`movement_path_planned{path:${k}}`),
        count(`movement_path_completed{path:${k}}`),
        count(`movement_path_stuck{path:${k}}`),
      ],
    ]),
  );
  expect(perPath).toEqual(Object.fromEntries(MovementPathKinds.map((k) => [k, [1, 1, 0]])));
  expect(count('movement_path_skipped')).toBe(0);
  expect(count('diversions_handled')).toBe(2);
  expect(count('incidents_recorded')).toBe(1);
  expect(metrics['enquiry_duration']?.values.count).toBe(2);
  expect(metrics['recovery_duration']?.values.count).toBe(2);
  expect(metrics['checks']?.values.fails, log).toBe(0);
}, 300_000);
