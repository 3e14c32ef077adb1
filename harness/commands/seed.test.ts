// `cats-stress seed` against running nodes: a data set's parties registered through
// the admin route, once however often it runs; bad input changes nothing.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDataset } from '../../generators/write-dataset.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { writeDeploymentFile } from '../deploy/deployment-file.ts';
import { startInProcessReference, type InProcessReference } from '../testing/in-process-reference.ts';
import { bin } from '../testing/deployment-cli.ts';

let dir: string;
let reference: InProcessReference;

function seed(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'seed', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.once('close', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-seed-'));
  reference = await startInProcessReference({ countries: ['GE'], databaseUrl: (c) => createTestDatabase(`seed_${c}`) });
  await writeDeploymentFile(path.join(dir, 'deployment.json'), reference.deployment);
  await writeDataset(
    { seed: 'seed-cli', movements: 30, profile: 'peak-day', defects: 0, countries: ['GE'], year: 2026 },
    path.join(dir, 'data'),
  );
});
afterAll(async () => {
  await reference?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("registers a data set's parties at each node once, however often it runs", async () => {
  const args = ['--deployment', path.join(dir, 'deployment.json'), '--data-set', path.join(dir, 'data')];
  const first = await seed(args);
  expect(first.code, first.out).toBe(0);
  const counts = /seeded GE: (\d+) operators, (\d+) officers, (\d+) guarantees/.exec(first.out);
  expect(counts, first.out).not.toBeNull();
  expect(Number(counts![1])).toBeGreaterThan(0);
  const operators = async () =>
    (await reference.nodes[0]!.context.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM operators')).rows[0]!
      .n;
  const registered = await operators();
  expect(registered).toBeGreaterThanOrEqual(Number(counts![1]));
  const again = await seed(args);
  expect(again.code, again.out).toBe(0);
  expect(await operators()).toBe(registered);
});

it('refuses missing flags with usage, and a data set without fixtures for the nodes with exit 1', async () => {
  expect((await seed([])).code).toBe(2);
  const empty = await mkdtemp(path.join(dir, 'empty-'));
  const none = await seed(['--deployment', path.join(dir, 'deployment.json'), '--data-set', empty]);
  expect(none.code).toBe(1);
  expect(none.out).toContain('nothing seeded');
});
