// The TIR log of a data set: deterministic, valid in its documented format, one
// line per road movement; a foreign log's bad lines are named, not fatal.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeDataset } from './write-dataset.ts';
import { parseTirLog } from './tir-log.ts';
import { writeTirLog } from './tir-movements.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-tir-'));
  await writeDataset(
    { seed: 'tir', movements: 80, profile: 'weekday', defects: 0.1, countries: ['GE', 'AZ', 'KZ', 'UZ'], year: 2026 },
    dir,
  );
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('writes the same bytes for the same data set and seed, and other carnets for another seed', async () => {
  const a = await writeTirLog(dir, path.join(dir, 'a.ndjson'), 'seed-1');
  await writeTirLog(dir, path.join(dir, 'b.ndjson'), 'seed-1');
  await writeTirLog(dir, path.join(dir, 'c.ndjson'), 'seed-2');
  const [ta, tb, tc] = await Promise.all(['a', 'b', 'c'].map((f) => readFile(path.join(dir, `${f}.ndjson`), 'utf8')));
  expect(ta).toBe(tb);
  expect(tc).not.toBe(ta);
  expect(a.ctds).toBe(80);
  expect(a.movements).toBe(ta.trim().split('\n').length);
});

it('carries every valid road movement of the data set, each line valid in the format', async () => {
  await writeTirLog(dir, path.join(dir, 'log.ndjson'), 'tir');
  const lines = parseTirLog(await readFile(path.join(dir, 'log.ndjson'), 'utf8'));
  const records = (await readFile(path.join(dir, 'ctds.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          defect: unknown;
          at: string;
          ctd: {
            holder: { identificationNumber: string };
            consignment: { departureTransportMeans: { typeOfIdentification: string }[] };
          };
        },
    );
  const road = records.filter(
    (r) => !r.defect && r.ctd.consignment.departureTransportMeans.every((m) => m.typeOfIdentification === '30'),
  );
  expect(road.length).toBeGreaterThan(0);
  expect(road.length).toBeLessThan(records.length);
  expect(lines.filter((l) => !l.ok)).toEqual([]);
  const movements = lines.flatMap((l) => (l.ok ? [l.movement] : []));
  expect(movements.map((m) => [m.holder.tin, m.departure.at])).toEqual(
    road.map((r) => [r.ctd.holder.identificationNumber, r.at]),
  );
  expect(new Set(movements.map((m) => m.carnet)).size).toBe(movements.length);
  for (const m of movements) {
    expect(m.holder.id).toMatch(/^[A-Z]{3}\/[0-9]{3}\/[0-9]{5}$/);
    expect(m.goods.every((g) => g.value !== undefined)).toBe(true);
    expect(Date.parse(m.destination.terminatedAt!)).toBeGreaterThan(Date.parse(m.destination.arrivedAt!));
  }
});

it('names each bad line of a log and what is wrong with it, keeping the good ones', () => {
  const good = {
    carnet: 'XA12345678',
    holder: { id: 'KAZ/012/34567', tin: 'KZ123456789012', name: 'Trans Kaz LLP' },
    departure: { country: 'KZ', office: 'KZ510100', at: '2026-10-13T08:00:00Z' },
    crossings: [{ from: 'KZ', to: 'AZ', office: 'AZ000100', at: '2026-10-15T10:00:00Z' }],
    destination: { country: 'GE', office: '69002', arrivedAt: '2026-10-16T10:00:00Z' },
    consignor: { name: 'A', address: { streetAndNumber: '1 Main', city: 'Almaty', country: 'KZ' } },
    consignee: { name: 'B', address: { streetAndNumber: '2 Main', city: 'Tbilisi', country: 'GE' } },
    goods: [{ hsCode: '847130', description: 'laptops', grossMassKg: 1000 }],
    vehicles: [{ registration: '123ABC02', nationality: 'KZ' }],
    containers: [],
    seals: [],
  };
  const backwards = structuredClone(good);
  backwards.crossings[0]!.at = '2026-10-12T10:00:00Z';
  const text = [
    JSON.stringify(good),
    '{not json',
    '',
    JSON.stringify({ ...good, carnet: 'bad' }),
    JSON.stringify(backwards),
  ].join('\n');
  const lines = parseTirLog(text);
  expect(lines.map((l) => [l.line, l.ok])).toEqual([
    [1, true],
    [2, false],
    [4, false],
    [5, false],
  ]);
  const [, json, carnet, order] = lines as Extract<(typeof lines)[number], { ok: false }>[];
  expect(json!.errors[0]!.code).toBe('INVALID_JSON');
  expect(carnet!.errors).toEqual([expect.objectContaining({ code: 'INVALID_RECORD', pointer: '/carnet' })]);
  expect(order!.errors).toEqual([
    expect.objectContaining({ code: 'TIMESTAMPS_OUT_OF_ORDER', pointer: '/crossings/0/at' }),
  ]);
  expect(order!.carnet).toBe('XA12345678');
});
