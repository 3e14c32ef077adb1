// What the scenario tests share: a generated data set, the reference on the corridor's
// spine (KZ, AZ, GE, linked through ICE) seeded from it, the deployment file the
// scripts read, and a run of one script with its log kept for the failure message.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../../test/support/database.ts';
import { runScript, type RunScriptOptions, type RunResult } from '../../harness/engine/run.ts';
import { writeDataset, type Manifest } from '../../generators/write-dataset.ts';
import type { DatasetOptions } from '../../generators/dataset.ts';
import { startInProcessReference, type InProcessReference } from '../../harness/testing/in-process-reference.ts';
import { seedFromDataSet } from '../../harness/deploy/seed.ts';
import { writeDeploymentFile } from '../../harness/deploy/deployment-file.ts';

const scenarios = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// The corridor's spine: movements from Kazakhstan cross Azerbaijan into Georgia through ICE.
export const SPINE = ['KZ', 'AZ', 'GE'];

export interface SeededReference {
  dir: string;
  dataDir: string;
  manifest: Manifest;
  reference: InProcessReference;
  /** DEPLOYMENT and DATASET, as every scenario reads them. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSeededReference(
  name: string,
  dataset: Omit<DatasetOptions, 'countries' | 'year'>,
  opts: { iceLoadCountries?: string[]; poolSize?: number; timeFactor?: number } = {},
): Promise<SeededReference> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `cats-${name}-`));
  const dataDir = path.join(dir, 'data');
  const manifest = await writeDataset({ ...dataset, countries: SPINE, year: 2026 }, dataDir);
  const reference = await startInProcessReference({
    countries: SPINE,
    databaseUrl: (c) => createTestDatabase(`${name}_${c}`),
    iceDatabaseUrl: await createTestDatabase(`${name}_ice`),
    iceLoadCountries: opts.iceLoadCountries,
    poolSize: opts.poolSize ?? 10,
    timeFactor: opts.timeFactor,
  });
  await seedFromDataSet(reference.deployment, dataDir);
  const deploymentFile = path.join(dir, 'deployment.json');
  await writeDeploymentFile(deploymentFile, reference.deployment);
  return {
    dir,
    dataDir,
    manifest,
    reference,
    env: { DEPLOYMENT: deploymentFile, DATASET: dataDir },
    async stop() {
      await reference.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs scenarios/<name>.js on one engine thread, quietly; the script's log comes back for failure messages. */
export async function runScenario(
  name: string,
  env: Record<string, string>,
  opts: Pick<RunScriptOptions, 'outputs'> = {},
): Promise<{ result: RunResult; log: string }> {
  let log = '';
  const result = await runScript(path.join(scenarios, `${name}.js`), {
    env,
    workers: 1,
    quiet: true,
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({
      write: (c, _e, done) => {
        log += String(c);
        done();
      },
    }),
    ...opts,
  });
  return { result, log };
}
