// A seeded day on the corridor's spine, played through to its end: every movement
// of a generated weekday departing from Kazakhstan, Azerbaijan or Georgia whose
// offices the deployment's nodes serve is lodged once, carried across borders
// through ICE and written off at its office of destination. None is left open
// because it ends outside CATS: every route of the day ends at an office of a
// CATS country (those bound for Uzbekistan or the Kyrgyz Republic need nodes this
// deployment leaves out).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../test/support/database.ts';
import { runScript } from '../harness/engine/run.ts';
import { writeDataset, type Manifest } from '../generators/write-dataset.ts';
import { startInProcessReference, type InProcessReference } from '../harness/testing/in-process-reference.ts';
import { seedFromDataSet } from '../harness/deploy/seed.ts';
import { writeDeploymentFile } from '../harness/deploy/deployment-file.ts';
import { countries } from '../reference/spec/reference-data/countries.ts';
import { officeByReference } from '../reference/spec/reference-data/offices.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const COUNTRIES = ['KZ', 'AZ', 'GE'];

let dir: string;
let dataDir: string;
let reference: InProcessReference;
let manifest: Manifest;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-day-'));
  dataDir = path.join(dir, 'data');
  manifest = await writeDataset(
    { seed: 'full-journey-day', movements: 250, profile: 'weekday', defects: 0, countries: COUNTRIES, year: 2026 },
    dataDir,
  );
  reference = await startInProcessReference({
    countries: COUNTRIES,
    databaseUrl: (c) => createTestDatabase(`day_${c}`),
    iceDatabaseUrl: await createTestDatabase('day_ice'),
    poolSize: 10,
  });
  await seedFromDataSet(reference.deployment, dataDir);
}, 120_000);

afterAll(async () => {
  await reference?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('plays a seeded day of a few hundred movements to their planned end: all written off, none left open', async () => {
  // The day's plan: each movement ends at an office of a country with a CATS node.
  const records = (await readFile(path.join(dataDir, 'ctds.ndjson'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { ctd: { offices: { departure: string; transit: string[]; destination: string } } });
  expect(records).toHaveLength(manifest.counts.ctds);
  const countryOf = (office: string) => officeByReference.get(office)!.country;
  const pilot = new Set(countries.filter((c) => c.pilot).map((c) => c.code));
  for (const r of records) expect(pilot.has(countryOf(r.ctd.offices.destination))).toBe(true);
  const served = records.filter(({ ctd: { offices: o } }) =>
    [o.departure, ...o.transit, o.destination].every((office) => COUNTRIES.includes(countryOf(office))),
  ).length;
  expect(served).toBeGreaterThanOrEqual(150);

  const deploymentFile = path.join(dir, 'deployment.json');
  await writeDeploymentFile(deploymentFile, reference.deployment);
  let log = '';
  const result = await runScript(path.join(here, 'full-journey.js'), {
    env: {
      DEPLOYMENT: deploymentFile,
      DATASET: dataDir,
      DAY: '1',
      VUS: '24',
      SLO_E2E_P95_MS: '60000',
      SLO_ICE_P95_MS: '30000',
      STEP_TIMEOUT_MS: '30000',
    },
    workers: 1,
    quiet: true,
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({
      write: (c, _e, done) => {
        log += String(c);
        done();
      },
    }),
  });
  expect(result.exitCode, log).toBe(0);
  const metrics = result.summaryData?.metrics ?? {};
  expect(metrics['iterations']?.values.count).toBe(served);
  expect(metrics['movements_written_off']?.values.count).toBe(served);
  expect(metrics['checks']?.values.fails).toBe(0);
}, 600_000);
