// Faults on a real deployment (`up`: ICE, three nodes and PostgreSQL as
// processes under the supervisor), each during a run of `cats-stress run
// --faults … --deployment FILE`, each ending with a reconciliation through the
// deployment's API that finds nothing lost and nothing applied twice: ICE
// SIGKILLed during a burst of a thousand CTDs, a node SIGKILLed while CTDs are
// lodged at it, the PostgreSQL server paused.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, deploymentWorkspace, type DeploymentWorkspace } from '../testing/deployment-cli.ts';
import type { ReconciliationVerdict } from '../reconcile/verdict.ts';

const CTD_PEAK = fileURLToPath(new URL('../../scenarios/ctd-peak.js', import.meta.url));

let w: DeploymentWorkspace;
let file: string;
let data: string;

beforeAll(async () => {
  w = await deploymentWorkspace('cats-stress-reconcile');
  file = w.file;
  data = path.join(w.dir, 'data');
  const generated = await cli([
    'generate',
    '--movements',
    '2500',
    '--seed',
    'reconcile-faults',
    '--profile',
    'peak-day',
    '--countries',
    'KZ,AZ,GE',
    '--out',
    data,
  ]);
  expect(generated.code, generated.out).toBe(0);
  const up = await w.up(['--countries', 'KZ,AZ,GE', '--data-set', data, '--restart-limit', '5/10m']);
  expect(up.code, up.out).toBe(0);
}, 240_000);

afterAll(() => w?.remove(), 60_000);

/** ctd-peak at a flat RATE for DURATION with the faults, reconciled after; the run folder's files. */
async function runWithFaults(name: string, faults: string, rate: number, duration: string) {
  const out = path.join(w.dir, name);
  await mkdir(out);
  const { code, out: output } = await cli([
    'run',
    CTD_PEAK,
    '-e',
    `DEPLOYMENT=${file}`,
    '-e',
    `DATASET=${data}`,
    '-e',
    `DURATION=${duration}`,
    '-e',
    `RATE=${rate}`,
    '-e',
    `START_RATE=${rate}`,
    '-e',
    'THINK=0.1',
    '-e',
    'OFFICERS=2',
    '--deployment',
    file,
    '--faults',
    faults,
    '-o',
    `timeseries=${path.join(out, 'timeseries.ndjson')}`,
    '--summary-export',
    path.join(out, 'summary-export.json'),
  ]);
  const read = async (f: string) => JSON.parse(await readFile(path.join(out, f), 'utf8'));
  const verdict: ReconciliationVerdict = await read('reconciliation.json');
  const accepted: number = (await read('summary-export.json')).metrics.ctd_accepted?.count ?? 0;
  return { code, output, verdict, accepted, faults: await read('faults.json') };
}

function expectClean(r: Awaited<ReturnType<typeof runWithFaults>>) {
  // The SLOs may break while a part is down; nothing may be lost.
  expect([0, 99], r.output).toContain(r.code);
  expect(r.output).toMatch(/^PASS {2}reconciliation/m);
  const byId = Object.fromEntries(r.verdict.checks.map((c) => [c.id, c]));
  expect(r.verdict).toMatchObject({ passed: true, journal: 'per-mrn', drain: { drained: true } });
  for (const c of r.verdict.checks) expect(c.status, JSON.stringify(c)).toBe('pass');
  // Every CTD the run saw accepted was accounted for, by its MRN (and those of earlier runs its officers released).
  expect(byId['ctd-at-departure']!.checked).toBeGreaterThanOrEqual(r.accepted);
  expect(r.accepted).toBeGreaterThan(0);
  expect(byId['c2c-exactly-once']!.checked).toBeGreaterThan(0);
  expect(byId['cross-border-copies']!.checked).toBeGreaterThan(0);
  return byId;
}

describe('a clean reconciliation after each fault on a real deployment', () => {
  it('ICE SIGKILLed during a burst of a thousand CTDs, restarted by the supervisor', async () => {
    const r = await runWithFaults('ice-kill', 'kill:ice@2s', 100, '10s');
    expectClean(r);
    expect(r.faults.recovery).toMatchObject([{ fault: 'kill', target: 'ice', applied: true, restarts: 1 }]);
  }, 240_000);

  it('a node SIGKILLed while CTDs are lodged at it', async () => {
    const r = await runWithFaults('node-kill', 'kill:node/KZ@1s', 20, '6s');
    expectClean(r);
    expect(r.faults.recovery).toMatchObject([{ fault: 'kill', target: 'node/KZ', applied: true, restarts: 1 }]);
  }, 240_000);

  it('the PostgreSQL server paused', async () => {
    const r = await runWithFaults('db-pause', 'pause:db@1s+2s', 20, '6s');
    expectClean(r);
    expect(r.faults.recovery).toMatchObject([{ fault: 'pause', target: 'db', applied: true }]);
  }, 240_000);
});
