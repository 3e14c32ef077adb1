import { Value } from '@sinclair/typebox/value';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../harness/commands/generate.ts';
import { UsageError } from '../harness/flags.ts';
import { Fixtures } from '../reference/spec/fixtures.ts';
import { PILOT_COUNTRIES, type DatasetOptions } from './dataset.ts';
import { PILOT_TRIAL } from './traffic.ts';
import { FIXTURE_LIMITS, writeDataset, type Manifest } from './write-dataset.ts';

const options: DatasetOptions = {
  seed: 'write-test',
  movements: 3000,
  profile: 'week',
  defects: 0.05,
  countries: [...PILOT_COUNTRIES],
  year: 2026,
};

const lines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('writeDataset', () => {
  let root: string;
  let manifest: Manifest;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cats-generate-'));
    manifest = await writeDataset(options, join(root, 'a'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the same bytes for the same options, other bytes for another seed', async () => {
    await writeDataset(options, join(root, 'b'));
    await writeDataset({ ...options, seed: 'other' }, join(root, 'c'));
    const files = (await readdir(join(root, 'a'))).sort();
    expect(files).toEqual((await readdir(join(root, 'b'))).sort());
    for (const f of files)
      expect((await readFile(join(root, 'b', f))).equals(await readFile(join(root, 'a', f))), f).toBe(true);
    expect(
      (await readFile(join(root, 'c', 'ctds.ndjson'))).equals(await readFile(join(root, 'a', 'ctds.ndjson'))),
    ).toBe(false);
  });

  it('writes the same bytes from the command line in a fresh process', async () => {
    const out = join(root, 'cli');
    const cli = fileURLToPath(new URL('../bin/cats-stress.js', import.meta.url));
    const args = [
      'generate',
      '--movements',
      '3000',
      '--seed',
      options.seed,
      '--profile',
      'week',
      '--defects',
      '0.05',
      '--out',
      out,
    ];
    const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wrote 3000 CTDs \(150 defective\)/);
    for (const f of await readdir(join(root, 'a')))
      expect((await readFile(join(out, f))).equals(await readFile(join(root, 'a', f))), f).toBe(true);
  });

  it('writes fixture requests the node admin route accepts, covering every party and guarantee the CTDs name', async () => {
    const operators = new Set<string>();
    const guarantees = new Map<string, Record<string, unknown>>();
    for (const country of options.countries) {
      for (const body of await lines(join(root, 'a', `fixtures.${country}.ndjson`))) {
        expect(Value.Check(Fixtures, body), JSON.stringify([...Value.Errors(Fixtures, body)][0])).toBe(true);
        const f = body as Fixtures;
        expect((f.operators ?? []).length).toBeLessThanOrEqual(FIXTURE_LIMITS.operators);
        expect((f.guarantees ?? []).length).toBeLessThanOrEqual(FIXTURE_LIMITS.guarantees);
        for (const o of f.operators ?? []) {
          expect(o.country).toBe(country);
          operators.add(o.tin);
        }
        for (const g of f.guarantees ?? []) guarantees.set(g.grn, g);
      }
    }
    const ctds = await lines(join(root, 'a', 'ctds.ndjson'));
    expect(ctds).toHaveLength(options.movements);
    for (const r of ctds as {
      defect: unknown;
      ctd: {
        holder: { identificationNumber: string };
        guarantees: { references: { grn: string; accessCode: string }[] }[];
      };
    }[]) {
      if (r.defect) continue;
      expect(operators.has(r.ctd.holder.identificationNumber)).toBe(true);
      const ref = r.ctd.guarantees[0]!.references[0]!;
      expect(guarantees.get(ref.grn)?.accessCode).toBe(ref.accessCode);
    }
  });

  it('writes a replay plan in the order and at the times of the CTDs', async () => {
    const plan = await lines(join(root, 'a', 'plan.ndjson'));
    const ctds = await lines(join(root, 'a', 'ctds.ndjson'));
    expect(plan).toHaveLength(ctds.length);
    plan.forEach((p, i) => {
      const c = ctds[i] as { seq: number; at: string; ctd: { lrn: string } };
      expect(p.seq).toBe(c.seq);
      expect(p.at).toBe(c.at);
      expect(p.lrn).toBe(c.ctd.lrn);
      expect(new Date(manifest.profile.start).getTime() + (p.offsetMs as number)).toBe(new Date(c.at).getTime());
    });
  });

  it('writes an empty but complete data set for zero movements', async () => {
    const empty = await writeDataset({ ...options, movements: 0, countries: ['GE'] }, join(root, 'empty'));
    expect(empty.counts.ctds).toBe(0);
    expect(await readFile(join(root, 'empty', 'ctds.ndjson'), 'utf8')).toBe('');
    // Parties are still there to seed a node with.
    expect((await lines(join(root, 'empty', 'fixtures.GE.ndjson'))).length).toBeGreaterThan(0);
  });

  it('states counts, rates and distributions in the manifest', () => {
    expect(manifest.seed).toBe(options.seed);
    expect(manifest.schemaVersion).toBe('spec-v0');
    expect(manifest.counts.ctds).toBe(3000);
    expect(manifest.counts.defective).toBe(150);
    expect(manifest.profile).toMatchObject({ name: 'week', days: 7 });
    expect(manifest.rates.yearPeakHour.ctdsPerHour).toBeGreaterThan(0);
    expect(manifest.rates.yearPeakHour.ctdsPerSecond).toBeCloseTo(manifest.rates.yearPeakHour.ctdsPerHour / 3600, 5);
    expect(manifest.rates.scale).toBeCloseTo(3000 / manifest.rates.expectedInProfile, 3);
    expect(Object.values(manifest.distributions.byRoute).reduce((a, b) => a + b, 0)).toBe(3000);
    expect(manifest.distributions.byUtcHour.reduce((a, b) => a + b, 0)).toBe(3000);
  });
});

describe('cats-stress generate', () => {
  it('sizes a data set by scale: --scale 2 writes twice the projected CTDs of the span', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cats-generate-scale-'));
    const log = console.log;
    console.log = () => {};
    try {
      expect(await command.run(['--scale', '2', '--seed', 's', '--countries', 'AZ', '--out', out])).toBe(0);
    } finally {
      console.log = log;
    }
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.counts.ctds).toBe(Math.round(2 * m.rates.expectedInProfile));
    expect(m.rates.scale).toBeCloseTo(2, 2);
    await rm(out, { recursive: true, force: true });
  });

  it('--profile pilot-trial writes the trial: a few carriers per country on the AZ-GE-KZ corridor, sized to them', async () => {
    const out = await mkdtemp(join(tmpdir(), 'cats-generate-trial-'));
    const log = console.log;
    console.log = () => {};
    try {
      expect(await command.run(['--profile', 'pilot-trial', '--scale', '1', '--seed', 's', '--out', out])).toBe(0);
    } finally {
      console.log = log;
    }
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.profile.name).toBe('pilot-trial');
    expect(m.profile.days).toBe(PILOT_TRIAL.days);
    // Trial size: carriers × CTDs per carrier per day × days, not the projected corridor traffic.
    const trial = PILOT_TRIAL.countries.length * PILOT_TRIAL.carriersPerCountry * PILOT_TRIAL.ctdsPerCarrierPerDay;
    expect(m.counts.ctds).toBe(Math.round(m.rates.expectedInProfile));
    expect(m.counts.ctds / PILOT_TRIAL.days).toBeGreaterThan(trial * 0.7);
    expect(m.counts.ctds / PILOT_TRIAL.days).toBeLessThan(trial * 1.3);
    for (const c of PILOT_TRIAL.countries) expect(m.counts.operatorsByCountry[c]).toBe(PILOT_TRIAL.carriersPerCountry);
    const ctds = await lines(join(out, 'ctds.ndjson'));
    expect(ctds).toHaveLength(m.counts.ctds);
    const trialCountries: readonly string[] = PILOT_TRIAL.countries;
    for (const r of ctds) {
      const routing = (r.ctd as { consignment: { countriesOfRouting: string[] } }).consignment.countriesOfRouting;
      expect(
        routing.every((c) => trialCountries.includes(c)),
        routing.join('-'),
      ).toBe(true);
    }
    await rm(out, { recursive: true, force: true });
  });

  it('refuses bad options as a usage error and writes nothing', async () => {
    const out = join(tmpdir(), `cats-generate-bad-${process.pid}`);
    await expect(command.run(['--movements', '10', '--seed', 's'])).rejects.toThrow(UsageError);
    await expect(command.run(['--movements', 'ten', '--seed', 's', '--out', out])).rejects.toThrow(
      /--movements must be a whole number/,
    );
    await expect(
      command.run(['--movements', '10', '--seed', 's', '--out', out, '--countries', 'GE,CN']),
    ).rejects.toThrow(/CN is not a pilot country/);
    await expect(command.run(['--movements', '10', '--seed', 's', '--out', out, '--defects', '2'])).rejects.toThrow(
      /--defects must be a share/,
    );
    await expect(command.run(['--movements', '10', '--out', out])).rejects.toThrow(/--seed is required/);
    await expect(command.run(['--movements', '10', '--scale', '2', '--seed', 's', '--out', out])).rejects.toThrow(
      /either --movements or --scale/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
