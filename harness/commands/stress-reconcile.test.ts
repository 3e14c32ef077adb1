// `stress --reconcile` against a deliberately broken deployment: its nodes
// acknowledge every anticipated arrival and transit record (IE001, IE050) to ICE
// without applying it, as a lossy implementation would. The run itself goes well; the
// reconciliation finds the lost messages and the missing destination copies,
// names their MRNs, and the command exits 12.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { startInProcessReference, type InProcessReference } from '../testing/in-process-reference.ts';
import { stressCli } from '../testing/stress-cli.ts';
import { RECONCILIATION_FAILED_EXIT, type ReconciliationVerdict } from '../reconcile/verdict.ts';

let dir: string;
let reference: InProcessReference;
let deploymentFile: string;

beforeAll(async () => {
  process.env.CATS_NODE_TEST_DROP_INBOUND = 'IE001,IE050';
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-stress-broken-'));
  reference = await startInProcessReference({
    countries: ['KZ', 'AZ', 'GE'],
    databaseUrl: (c) => createTestDatabase(`broken_${c}`),
    iceDatabaseUrl: await createTestDatabase('broken_ice'),
  });
  deploymentFile = path.join(dir, 'deployment.json');
  await writeFile(deploymentFile, JSON.stringify(reference.deployment));
}, 120_000);

afterAll(async () => {
  delete process.env.CATS_NODE_TEST_DROP_INBOUND;
  await reference?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('stress --reconcile against a node that drops inbound messages', () => {
  it('fails the reconciliation with exit 12, over failed thresholds, and names the MRNs whose messages were lost', async () => {
    const { code, stdout, stderr } = await stressCli(
      { results: path.join(dir, 'results'), state: path.join(dir, 'state') },
      [
        '--target',
        deploymentFile,
        '--countries',
        'KZ,AZ,GE',
        '--seed',
        'broken-double',
        '--movements',
        '300',
        '--duration',
        '4s',
        '--rate',
        '5',
        '-e',
        'THINK=0.1',
        '-e',
        'OFFICERS=1',
        '--reconcile',
      ],
    );
    expect(code, `${stdout}\n${stderr}`).toBe(RECONCILIATION_FAILED_EXIT);
    expect(stdout).toMatch(/^FAIL {2}reconciliation/m);

    const [runId] = await readdir(path.join(dir, 'results'));
    const run = path.join(dir, 'results', runId!);
    const verdict: ReconciliationVerdict = JSON.parse(await readFile(path.join(run, 'reconciliation.json'), 'utf8'));
    const check = (id: string) => verdict.checks.find((c) => c.id === id)!;
    expect(verdict).toMatchObject({ passed: false, journal: 'per-mrn', drain: { drained: true } });
    // What the run itself saw is all there: the departure nodes hold every CTD, the balances add up.
    expect(check('ctd-at-departure')).toMatchObject({ status: 'pass', discrepancies: 0 });
    expect(check('ctd-at-departure').checked).toBeGreaterThan(0);
    expect(check('guarantee-balances').status).toBe('pass');
    // Every anticipated record was lost, and with it the copies at transit and destination.
    const c2c = check('c2c-exactly-once');
    expect(c2c.status).toBe('fail');
    expect(c2c.counts.lost).toBeGreaterThan(0);
    expect(c2c.first.every((d) => /^IE0(01|50) /.test(d.problem))).toBe(true);
    const copies = check('cross-border-copies');
    expect(copies.status, JSON.stringify(verdict.checks, null, 1)).toBe('fail');
    expect(copies.counts.missing).toBeGreaterThan(0);
    // One copy per movement and country; a country both of transit and of destination gets two records.
    expect(copies.counts.missing).toBeLessThanOrEqual(c2c.counts.lost!);

    // The MRN named is one the run lodged, and the destination node indeed does not hold it.
    const lost = copies.first[0]!;
    expect(stdout).toContain(`MRN ${lost.mrn}`);
    const journal = await readFile(path.join(run, 'journal.ndjson'), 'utf8');
    expect(journal).toContain(`"mrn":"${lost.mrn}"`);
    const node = reference.deployment.nodes[lost.node!]!;
    const res = await fetch(`${node.url}/v1/declarations/${lost.mrn}`, {
      headers: { authorization: `Bearer ${node.adminToken}` },
    });
    expect(res.status).toBe(404);

    // The verdict is in summary.json and in the report.
    const summary = JSON.parse(await readFile(path.join(run, 'summary.json'), 'utf8'));
    expect(summary.reconciliation).toEqual(verdict);
    const html = await readFile(path.join(run, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Reconciliation</h2>');
    expect(html).toContain(lost.mrn);
    expect(existsSync(path.join(run, 'report.html'))).toBe(true);
  }, 240_000);
});
