// A load scenario that outgrows its data set relodges CTDs whose guarantees are
// already reserved: the node refuses them with GUARANTEE_INSUFFICIENT. That is a
// business refusal, not a failing system: it must break no error SLO and stay
// apart from failures in the summary, the verdict and the capacity figure.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../test/support/database.ts';
import { runScript } from '../harness/engine/run.ts';
import { writeDataset } from '../generators/write-dataset.ts';
import { startInProcessReference, type InProcessReference } from '../harness/testing/in-process-reference.ts';
import { seedFromDataSet } from '../harness/deploy/seed.ts';
import { writeDeploymentFile } from '../harness/deploy/deployment-file.ts';
import { readRunFolder } from '../harness/report/run-folder.ts';
import { capacityOf } from '../harness/report/capacity-model.ts';
import { verdictOf } from '../harness/stress/verdict.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const COUNTRIES = ['KZ', 'AZ', 'GE'];

let dir: string;
let reference: InProcessReference;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-refusals-'));
  const dataDir = path.join(dir, 'data');
  // Far fewer CTDs than the run submits: the run lodges each several times.
  await writeDataset(
    { seed: 'refusals', movements: 40, profile: 'peak-day', defects: 0, countries: COUNTRIES, year: 2026 },
    dataDir,
  );
  reference = await startInProcessReference({
    countries: COUNTRIES,
    databaseUrl: (c) => createTestDatabase(`refusals_${c}`),
    iceDatabaseUrl: await createTestDatabase('refusals_ice'),
    poolSize: 5,
  });
  await seedFromDataSet(reference.deployment, dataDir);
  const deploymentFile = path.join(dir, 'deployment.json');
  await writeDeploymentFile(deploymentFile, reference.deployment);
  env = { DEPLOYMENT: deploymentFile, DATASET: dataDir };
});

afterAll(async () => {
  await reference?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const silent = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

it('refusals for want of guarantee are counted apart and break no error SLO, verdict or capacity', async () => {
  const runDir = path.join(dir, 'run');
  const result = await runScript(path.join(here, 'ctd-peak.js'), {
    env: { ...env, RATE: '40', START_RATE: '40', DURATION: '6s', THINK: '0.2', SLO_P95_MS: '4000', SLO_P99_MS: '8000' },
    workers: 1,
    quiet: true,
    stdout: silent(),
    stderr: silent(),
    outputs: [`timeseries=${path.join(runDir, 'timeseries.ndjson')}`],
  });
  const m = result.summaryData!.metrics;
  const refused = m['ctd_refused{code:GUARANTEE_INSUFFICIENT}']?.values.count ?? 0;
  expect(refused).toBeGreaterThan(0);
  expect(m['ctd_rejected{code:GUARANTEE_INSUFFICIENT}']?.values.count ?? 0).toBe(0);
  expect(m['ctd_rejected{code:GUARANTEE_ALREADY_USED}']?.values.count ?? 0).toBe(0);
  expect(m['http_req_failed{operation:ctd_submit}']!.values.passes).toBe(0);
  expect(m['http_req_failed{operation:ctd_submit}']!.thresholds!['rate<0.01']!.ok).toBe(true);
  expect(result.exitCode).toBe(0);

  const verdict = verdictOf({ summary: result.summaryData!, scenario: 'ctd-peak', resultsDir: runDir });
  expect(verdict.passed).toBe(true);
  expect(verdict.lines.join('\n')).toMatch(/CTDs refused +\d+ by the business rules \(GUARANTEE_INSUFFICIENT/);

  await writeFile(path.join(runDir, 'summary.json'), JSON.stringify(result.summaryData));
  const capacity = capacityOf([await readRunFolder(runDir)], {
    windowSeconds: 2,
    slo: { p95: 4000, p99: 8000, errorRate: 0.01 },
  });
  expect(capacity.refused).toBe(m['ctd_refused']!.values.count);
  expect(capacity.steps.length).toBeGreaterThan(0);
  // Refused windows count as served within the error SLO, not as failures.
  expect(capacity.steps.every((s) => s.errorRate === 0)).toBe(true);
  expect(capacity.steps.some((s) => s.refused > 0)).toBe(true);
  expect(capacity.notes.join('\n')).toMatch(/refused by the business rules/);
});
