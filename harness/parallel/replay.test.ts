// Mirrored TIR movements replayed through a real reference (three nodes and ICE
// on PostgreSQL): each reaches the state its TIR record implies, with every step
// at the node of its country, the reservation at the holder's level, and every
// other country holding the movement before the truck reaches its border.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.ts';
import { startInProcessReference, type InProcessReference } from '../testing/in-process-reference.ts';
import { seedFromDataSet } from '../deploy/seed.ts';
import { writeDataset } from '../../generators/write-dataset.ts';
import { readTirLog, type TirLine } from '../../generators/tir-log.ts';
import { writeTirLog } from '../../generators/tir-movements.ts';
import { reservationFor } from '../../reference/domain/guarantee.ts';
import { BusinessClock } from './business-clock.ts';
import { mirrorLog, seedHolderGuarantees, type MirroredLog } from './mirror-log.ts';
import { readRegistry, type Registry } from './registry.ts';
import { replay } from './replay.ts';

const COUNTRIES = ['KZ', 'AZ', 'GE'];
let dir: string;
let reference: InProcessReference;
let registry: Registry;
let lines: TirLine[];
let log: MirroredLog;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-replay-'));
  await writeDataset(
    { seed: 'replay', movements: 30, profile: 'weekday', defects: 0, countries: COUNTRIES, year: 2026 },
    dir,
  );
  await writeTirLog(dir, path.join(dir, 'tir.ndjson'), 'replay');
  registry = await readRegistry(dir);
  lines = await readTirLog(path.join(dir, 'tir.ndjson'));
  reference = await startInProcessReference({
    countries: COUNTRIES,
    databaseUrl: (c) => createTestDatabase(`parallel_${c}`),
    iceDatabaseUrl: await createTestDatabase('parallel_ice'),
    poolSize: 5,
  });
  await seedFromDataSet(reference.deployment, dir);
}, 120_000);

afterAll(async () => {
  await reference?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('mirrors every movement to the state its TIR record implies, each step at the node of its country', async () => {
  // One movement of the log still on its way: no arrival, no termination.
  const open = lines.findIndex(
    (l) =>
      l.ok &&
      l.movement.crossings.length > 0 &&
      l.movement.crossings.every((c) => COUNTRIES.includes(c.to)) &&
      COUNTRIES.includes(l.movement.destination.country),
  );
  const onTheWay = lines[open] as Extract<TirLine, { ok: true }>;
  delete onTheWay.movement.destination.arrivedAt;
  delete onTheWay.movement.destination.terminatedAt;
  log = mirrorLog(lines, registry, { seed: 'replay', lrnOf: (c) => `TIR${c}` });
  expect(log.unmappable).toEqual([]);
  expect(log.mirrored.length).toBeGreaterThanOrEqual(10);
  expect(await seedHolderGuarantees(reference.deployment, log.guarantees)).toBe(
    [...log.guarantees.values()].flat().length,
  );

  const first = Math.min(...log.mirrored.map((m) => m.steps[0]!.at));
  const clock = new BusinessClock(first, Date.now(), 60_000);
  const observed = await replay(log.mirrored, { deployment: reference.deployment, registry, clock });

  // Movements to Uzbekistan or the Kyrgyz Republic need nodes this deployment leaves out.
  const served = (m: (typeof log.mirrored)[number]) =>
    [m.ctd.offices.departure, ...m.ctd.offices.transit, m.ctd.offices.destination].every((o) =>
      COUNTRIES.includes(o.slice(0, 2)),
    );
  expect(observed.map((o) => [o.carnet, o.outcome, o.problems])).toEqual(
    log.mirrored.map((m) => [m.carnet, served(m) ? 'mirrored' : 'not-served', []]),
  );
  expect(log.mirrored.filter(served).length).toBeGreaterThanOrEqual(10);
  for (const o of observed.filter((x) => x.outcome === 'not-served'))
    expect(o.refusal).toMatchObject({ code: 'NO_NODE', message: expect.stringMatching(/no node for (UZ|KG)/) });
  log.mirrored.forEach((m, i) => {
    const o = observed[i]!;
    if (!served(m)) return;
    expect(o.finalState).toBe(m.impliedState);
    expect(o.mrn).toMatch(/^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[J-M][0-9]$/);
    // Every planned step done, answered by the node of its office's country.
    expect(o.steps.filter((s) => s.kind !== 'release').map((s) => [s.kind, s.office, s.status])).toEqual(
      m.steps.map((s) => [s.kind, s.office, s.kind === 'lodge' ? 201 : 200]),
    );
    // Reserved at release: the amount due at the level of the holder's guarantee.
    expect(o.reservation).toEqual({ amount: reservationFor(m.due.amount, m.level), currency: m.due.currency });
    // Each other country holds the movement before its crossing or arrival is recorded there.
    for (const n of o.notices) {
      expect(n.noticedAt, `${n.country} notified`).toBeDefined();
      const step = o.steps.find((s) => s.office === n.office && (s.kind === 'crossing' || s.kind === 'arrival'));
      if (step) expect(n.noticedAt!).toBeLessThanOrEqual(step.doneAt!);
    }
    if (m.impliedState === 'WRITTEN_OFF') expect(o.writtenOffAt).toBeGreaterThanOrEqual(o.releasedAt!);
    else expect(o.writtenOffAt).toBeUndefined();
  });
  expect(observed.filter((o) => o.finalState === 'IN_TRANSIT')).toHaveLength(1);
}, 300_000);

it('names a movement whose country has no node in the deployment instead of lodging it', async () => {
  const kz = log.mirrored.find((m) => m.ctd.offices.departure.startsWith('KZ'))!;
  const withoutKz = {
    ...reference.deployment,
    nodes: { AZ: reference.deployment.nodes['AZ']!, GE: reference.deployment.nodes['GE']! },
  };
  const [o] = await replay([{ ...kz, ctd: { ...kz.ctd, lrn: `${kz.ctd.lrn}X` } }], {
    deployment: withoutKz,
    registry,
    clock: new BusinessClock(kz.steps[0]!.at, Date.now(), 1e9),
  });
  expect(o).toMatchObject({
    outcome: 'not-served',
    refusal: { code: 'NO_NODE', message: expect.stringContaining('KZ') },
  });
  expect(o!.mrn).toBeUndefined();
});
