// `cats-stress parallel` end to end against a real reference (three nodes and
// ICE): out of the box it generates a TIR log, mirrors it and writes the
// comparison, whose page opens in Chromium; a team's own log with records CATS
// cannot take gets them reported with their reasons.
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../cli.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { startInProcessReference, type InProcessReference } from '../testing/in-process-reference.ts';
import { writeDeploymentFile } from '../deploy/deployment-file.ts';
import { inChromium } from '../report/testing/browser.ts';
import type { Comparison } from '../parallel/comparison.ts';
import type { TirMovement } from '../../generators/tir-log.ts';

const COUNTRIES = ['KZ', 'AZ', 'GE'];
let dir: string;
let reference: InProcessReference;
let deploymentFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-parallel-'));
  reference = await startInProcessReference({
    countries: COUNTRIES,
    databaseUrl: (c) => createTestDatabase(`parallel_cli_${c}`),
    iceDatabaseUrl: await createTestDatabase('parallel_cli_ice'),
    poolSize: 5,
  });
  deploymentFile = path.join(dir, 'deployment.json');
  await writeDeploymentFile(deploymentFile, reference.deployment);
}, 120_000);

afterAll(async () => {
  await reference?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function runFolder(results: string): Promise<string> {
  const [run] = await readdir(results);
  return path.join(results, run!);
}

type Report = Comparison & { run: { speed: number; clock: string } };

it('generates a TIR log, mirrors it through the deployment and writes a comparison that opens in Chromium', async () => {
  const results = path.join(dir, 'out-of-the-box');
  const code = await main([
    'parallel',
    '--deployment',
    deploymentFile,
    '--countries',
    COUNTRIES.join(','),
    '--movements',
    '30',
    '--seed',
    'parallel-cli',
    '--speed',
    '40000',
    '--results',
    results,
  ]);
  expect(code).toBe(0);
  const run = await runFolder(results);
  expect((await readdir(run)).sort()).toEqual(
    ['dataset', 'observations.ndjson', 'parallel.html', 'parallel.json', 'run.json', 'tir-log.ndjson'].sort(),
  );
  const report = JSON.parse(await readFile(path.join(run, 'parallel.json'), 'utf8')) as Report;
  const logLines = (await readFile(path.join(run, 'tir-log.ndjson'), 'utf8')).trim().split('\n');
  const m = report.movements;
  expect(m.inLog).toBe(logLines.length);
  expect(m.unmappable).toBe(0);
  expect(m.mirrored + m.refused + m.notServed).toBe(m.mapped);
  expect(m.mirrored).toBeGreaterThanOrEqual(10);
  // Movements to countries without a node in this deployment are named, not lost.
  expect(report.refusals.filter((r) => r.code === 'NO_NODE')).toHaveLength(m.notServed);
  expect(report.adherence).toMatchObject({ mirrored: m.mirrored, adherent: m.mirrored, failures: [] });
  // CATS reserves at most what TIR guarantees: the amount due at a level of 100 % or less.
  for (const c of report.perMovement.filter((x) => x.outcome === 'mirrored'))
    expect(c.cats.reserved!.amount).toBeLessThanOrEqual(c.tir.guarantee.amount);
  expect(report.projection.movementsPerYear).toBeGreaterThan(0);
  expect(report.run).toMatchObject({ speed: 40000, clock: expect.stringContaining('TIR-log') });
  for (const n of report.notices) expect(COUNTRIES).toContain(n.country);

  const { result, problems } = await inChromium(path.join(run, 'parallel.html'), async (page) => ({
    headline: await page.locator('.headline').textContent(),
    moneyRows: await page.locator('table.money tbody tr').count(),
    noticeRows: await page.locator('table.notices tbody tr').count(),
    noticeBars: await page.locator('figure.chart rect.bar').count(),
    refusalRows: await page.locator('table.refusals tbody tr').count(),
    adherence: await page.locator('.adherence').textContent(),
  }));
  expect(problems).toEqual([]);
  expect(result.headline).toMatch(
    report.projection.freedCapitalUsd >= 0
      ? /^CATS frees USD [0-9,]+ of guarantee capital at [0-9,]+ TIR movements a year/
      : /^CATS ties up USD [0-9,]+ more guarantee capital than TIR at [0-9,]+ TIR movements a year/,
  );
  expect(result.headline).toContain(report.projection.movementsPerYear.toLocaleString('en-US'));
  expect(result.moneyRows).toBe(4);
  expect(result.noticeRows).toBe(report.notices.length);
  expect(result.noticeBars).toBe(report.notices.length);
  expect(result.refusalRows).toBe(report.refusals.length);
  expect(result.adherence).toContain(`${m.mirrored} of ${m.mirrored} mirrored movements`);
}, 400_000);

it("reports a team's own records that CATS cannot take, with the line and the reason", async () => {
  const first = await runFolder(path.join(dir, 'out-of-the-box'));
  const own = path.join(dir, 'own-log.ndjson');
  const lines = (await readFile(path.join(first, 'tir-log.ndjson'), 'utf8')).trim().split('\n').slice(0, 3);
  const toTurkey = JSON.parse(lines[0]!) as TirMovement;
  toTurkey.carnet = 'XT00000001';
  toTurkey.destination = { country: 'TR', office: 'TR340100', arrivedAt: toTurkey.destination.arrivedAt! };
  await appendFile(own, [...lines, JSON.stringify(toTurkey), '{"carnet": "XT00000002"'].join('\n') + '\n');
  const results = path.join(dir, 'own');
  const code = await main([
    'parallel',
    '--deployment',
    deploymentFile,
    '--tir-log',
    own,
    '--data-set',
    path.join(first, 'dataset'),
    '--per-year',
    '1000',
    '--speed',
    '40000',
    '--results',
    results,
  ]);
  expect(code).toBe(0);
  const report = JSON.parse(await readFile(path.join(await runFolder(results), 'parallel.json'), 'utf8')) as Report;
  expect(report.movements).toMatchObject({ inLog: 5, mapped: 3, unmappable: 2 });
  expect(report.projection).toMatchObject({ movementsPerYear: 1000, source: 'as given with --per-year' });
  const mapping = report.refusals.filter((r) => r.stage === 'mapping');
  expect(mapping.map((r) => [r.line, r.carnet, r.code])).toEqual([
    [4, 'XT00000001', 'COUNTRY_OUTSIDE_CATS'],
    [5, undefined, 'INVALID_JSON'],
  ]);
  expect(mapping[0]!.message).toContain('NCTS gateway');
}, 300_000);

it('refuses bad options before anything starts', async () => {
  expect(await main(['parallel', '--tir-log', 'x.ndjson'])).toBe(2);
  expect(await main(['parallel', '--speed', '0'])).toBe(2);
  expect(await main(['parallel', '--countries', 'GE,TR'])).toBe(2);
});
