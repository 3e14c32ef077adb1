// A seeded day on the corridor's spine, played through to its end: every movement
// of a generated weekday departing from Kazakhstan, Azerbaijan or Georgia whose
// offices the deployment's nodes serve is lodged once, carried across borders
// through ICE and written off at its office of destination. None is left open
// because it ends outside CATS: every route of the day ends at an office of a
// CATS country (those bound for Uzbekistan or the Kyrgyz Republic need nodes this
// deployment leaves out).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countries } from '../reference/spec/reference-data/countries.ts';
import { officeByReference } from '../reference/spec/reference-data/offices.ts';
import { runScenario, SPINE, startSeededReference, type SeededReference } from './testing/seeded-reference.ts';

let seeded: SeededReference;

beforeAll(async () => {
  seeded = await startSeededReference('day', {
    seed: 'full-journey-day',
    movements: 250,
    profile: 'weekday',
    defects: 0,
  });
}, 120_000);

afterAll(async () => {
  await seeded?.stop();
});

it('plays a seeded day of a few hundred movements to their planned end: all written off, none left open', async () => {
  // The day's plan: each movement ends at an office of a country with a CATS node.
  const records = (await readFile(path.join(seeded.dataDir, 'ctds.ndjson'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ctd: { offices: { departure: string; transit: string[]; destination: string } } });
  expect(records).toHaveLength(seeded.manifest.counts.ctds);
  const countryOf = (office: string) => officeByReference.get(office)!.country;
  const pilot = new Set(countries.filter((c) => c.pilot).map((c) => c.code));
  for (const r of records) expect(pilot.has(countryOf(r.ctd.offices.destination))).toBe(true);
  const served = records.filter(({ ctd: { offices: o } }) =>
    [o.departure, ...o.transit, o.destination].every((office) => SPINE.includes(countryOf(office))),
  ).length;
  expect(served).toBeGreaterThanOrEqual(150);

  const { result, log } = await runScenario('full-journey', {
    ...seeded.env,
    DAY: '1',
    VUS: '24',
    SLO_E2E_P95_MS: '60000',
    SLO_ICE_P95_MS: '30000',
    STEP_TIMEOUT_MS: '30000',
  });
  expect(result.exitCode, log).toBe(0);
  const metrics = result.summaryData?.metrics ?? {};
  expect(metrics['iterations']?.values.count).toBe(served);
  // Each to the end of its path; on this real-time clock those that need business time to pass are not played.
  const count = (name: string) => metrics[name]?.values.count ?? 0;
  expect(count('movement_path_completed') + count('movement_path_skipped')).toBe(served);
  expect(count('movement_path_stuck')).toBe(0);
  expect(metrics['checks']?.values.fails).toBe(0);
}, 600_000);
