import { TypeCompiler } from '@sinclair/typebox/compiler';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidContainerNumber } from '../reference/domain/check-digit.ts';
import { checkCtd } from '../reference/domain/ctd-rules.ts';
import { isValidGrn } from '../reference/domain/grn.ts';
import { amountDue, checkDeclaredAmount } from '../reference/domain/guarantee.ts';
import { Ctd } from '../reference/spec/ctd.ts';
import { countryByCode } from '../reference/spec/reference-data/countries.ts';
import { officeByReference } from '../reference/spec/reference-data/offices.ts';
import { aeoShare } from './corridor/operators.ts';
import { routeById } from './corridor/routes.ts';
import { Dataset, PILOT_COUNTRIES, type Movement } from './dataset.ts';
import { defectCode, defectKinds } from './defects.ts';
import type { GuaranteeRecord } from './guarantees.ts';
import { itemsCount, itemsModel } from './goods.ts';
import { Random } from './random.ts';
import { plate, uzbekPlateRegions } from './transport.ts';
import { planRecordJson, writeCtdRecord } from './record-json.ts';

const ctdSchema = TypeCompiler.Compile(Ctd);
const N = 6000;

function generate(options: Partial<ConstructorParameters<typeof Dataset>[0]> = {}) {
  const dataset = new Dataset({
    seed: 'test-seed',
    movements: N,
    profile: 'weekday',
    defects: 0.1,
    countries: [...PILOT_COUNTRIES],
    year: 2026,
    ...options,
  });
  const movements: Movement[] = [...dataset.movements()];
  const guarantees = new Map<string, GuaranteeRecord>();
  for (const m of movements) for (const g of m.guarantees) guarantees.set(g.grn, g);
  for (const g of dataset.closeGuarantees()) guarantees.set(g.grn, g);
  return { dataset, movements, guarantees };
}

/** Everything the reference's rules find wrong with a CTD: schema, functional rules, declared amount. */
function findings(ctd: Ctd, nodeCountry: string): { code: string; pointer: string }[] {
  if (!ctdSchema.Check(ctd)) return [{ code: 'SCHEMA_VIOLATION', pointer: [...ctdSchema.Errors(ctd)][0]!.path }];
  const functional = checkCtd(ctd, { nodeCountry, offices: officeByReference, countries: countryByCode });
  if (functional.length > 0) return functional;
  return checkDeclaredAmount(ctd, countryByCode);
}

describe('a generated data set', () => {
  let data: ReturnType<typeof generate>;
  beforeAll(() => {
    data = generate();
  });

  it('holds N movements in time order, each lodged at an office of its node country', () => {
    const { movements, dataset } = data;
    expect(movements).toHaveLength(N);
    for (let i = 1; i < movements.length; i++)
      expect(movements[i]!.record.at >= movements[i - 1]!.record.at).toBe(true);
    const start = dataset.profile.start.toISOString();
    const end = new Date(dataset.profile.start.getTime() + 86_400_000).toISOString();
    for (const { record } of movements) {
      expect(record.at >= start && record.at < end).toBe(true);
      expect(
        officeByReference.get(record.ctd.offices.departure)?.country ?? record.ctd.offices.departure.slice(0, 2),
      ).toBe(record.country);
    }
  });

  it('every valid CTD passes the schema and the functional rules, with the amount due declared', () => {
    let valid = 0;
    for (const { record } of data.movements) {
      if (record.defect) continue;
      valid++;
      const ctd = record.ctd;
      expect(findings(ctd, record.country)).toEqual([]);
      const due = amountDue(ctd, countryByCode);
      const ref = ctd.guarantees[0]!.references[0]!;
      expect(ref.amountToBeCovered).toBe(due.amount / 100);
      expect(ref.currency).toBe(countryByCode.get(record.country)!.currency);
      expect(isValidGrn(ref.grn)).toBe(true);
      // The guarantee it names exists, belongs to the holder and covers it.
      const g = data.guarantees.get(ref.grn)!;
      expect(g.holderTin).toBe(ctd.holder.identificationNumber);
      expect(g.accessCode).toBe(ref.accessCode);
      expect(g.type).toBe(ctd.guarantees[0]!.type);
      expect(g.referenceAmount).toBeGreaterThanOrEqual(ref.amountToBeCovered);
      for (const e of ctd.consignment.transportEquipment)
        if (e.containerIdentificationNumber) expect(isValidContainerNumber(e.containerIdentificationNumber)).toBe(true);
    }
    expect(valid).toBe(N - Math.round(N * 0.1));
  });

  it('serialises every record exactly as JSON.stringify does', () => {
    for (const { record, plan } of data.movements) {
      const parts: Buffer[] = [];
      writeCtdRecord(
        {
          text: (s) => parts.push(Buffer.from(s)),
          bytes: (b) => parts.push(Buffer.from(b)),
          endLine: () => parts.push(Buffer.from('\n')),
        },
        record,
      );
      expect(Buffer.concat(parts).toString('utf8')).toBe(JSON.stringify(record) + '\n');
      expect(planRecordJson(plan)).toBe(JSON.stringify(plan));
    }
  });

  it('itineraries and offices follow the route', () => {
    for (const { record } of data.movements) {
      if (record.defect) continue;
      const route = routeById.get(record.route)!;
      const ctd = record.ctd;
      expect(ctd.offices.departure).toBe(route.stops[0]!.office);
      expect(ctd.offices.transit).toEqual(route.stops.filter((s) => s.role === 'TRA').map((s) => s.office));
      expect(ctd.offices.destination).toBe(route.stops.at(-1)!.office);
      expect(ctd.consignment.countriesOfRouting).toEqual(route.countriesOfRouting);
      expect(record.schedule.map((s) => s.office)).toEqual(route.stops.slice(1).map((s) => s.office));
      for (let i = 1; i < record.schedule.length; i++)
        expect(record.schedule[i]!.hours).toBeGreaterThanOrEqual(record.schedule[i - 1]!.hours);
    }
  });

  it('consignees are in the country of destination; the office of destination is where the CATS movement ends', () => {
    const seen = new Set<string>();
    for (const { record } of data.movements) {
      if (record.defect) continue;
      const route = routeById.get(record.route)!;
      const c = record.ctd.consignment;
      expect(c.countryOfDestination).toBe(route.countryOfDestination);
      expect(c.consignee.address.country, record.route).toBe(c.countryOfDestination);
      expect(c.consignor.address.country, record.route).toBe(c.countryOfDispatch);
      const destination = officeByReference.get(record.ctd.offices.destination)!;
      expect(countryByCode.get(destination.country)!.pilot, record.ctd.offices.destination).toBe(true);
      seen.add(c.consignee.address.country);
    }
    // Goods for China and Afghanistan leave the pilot area at Irkeshtam, Torkham and Chaman.
    expect(seen).toContain('CN');
    expect(seen).toContain('AF');
  });

  it('declares the active border transport means of every leg in its own mode', () => {
    const modeCode = { sea: '1', rail: '2', road: '3' } as const;
    const idType = { sea: '11', rail: '21', road: '30' } as const;
    const mixed = new Set<string>();
    for (const { record } of data.movements) {
      if (record.defect) continue;
      const route = routeById.get(record.route)!;
      const active = record.ctd.consignment.activeBorderTransportMeans!;
      expect(active).toHaveLength(route.legs.length);
      route.legs.forEach((leg, i) => {
        expect(active[i]!.customsOfficeAtBorder).toBe(route.stops[i + 1]!.office);
        expect(active[i]!.modeOfTransport, `${record.route} leg ${i}`).toBe(modeCode[leg.mode]);
        expect(active[i]!.typeOfIdentification).toBe(idType[leg.mode]);
      });
      if (new Set(active.map((m) => m.modeOfTransport)).size > 1) mixed.add(record.route);
    }
    // Rail + Caspian ferry + rail comes out as such, not as all rail.
    expect(mixed).toContain('R1-KZ-POTI');
    expect(mixed).toContain('R3-WEST');
  });

  it('Uzbek trucks carry plates of real regions, mostly their first code', () => {
    const regionOf = (code: number) => uzbekPlateRegions.find((r) => code >= r.codes[0] && code <= r.codes[1]);
    const r = new Random('plates', 'uz');
    const regions = new Map<string, number>();
    let firstCodes = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const p = plate('UZ', r);
      expect(p).toMatch(/^[0-9]{2}([0-9]{3}[A-Z]{3}|[A-Z][0-9]{3}[A-Z]{2})$/);
      const code = Number(p.slice(0, 2));
      const region = regionOf(code);
      expect(region, p).toBeDefined();
      regions.set(region!.region, (regions.get(region!.region) ?? 0) + 1);
      if (code === region!.codes[0]) firstCodes++;
    }
    // Blocks run 01-09 Tashkent city … 95-99 Karakalpakstan, with no gap and no code 00.
    expect(uzbekPlateRegions.map((x) => x.codes[0])).toEqual([1, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95]);
    expect(regions.size).toBe(uzbekPlateRegions.length);
    expect(firstCodes / n).toBeGreaterThan(0.7);
    // Tashkent carriers outnumber Karakalpak ones.
    expect(regions.get('Tashkent city')!).toBeGreaterThan(3 * regions.get('Karakalpakstan')!);
    for (const { record } of data.movements)
      for (const m of record.ctd.consignment.departureTransportMeans)
        if (m.nationality === 'UZ' && m.typeOfIdentification === '30')
          expect(regionOf(Number(m.identificationNumber.slice(0, 2))), m.identificationNumber).toBeDefined();
  });

  it('comprehensive guarantees cover the sum of the amounts due they back', () => {
    const backed = new Map<string, number>();
    for (const { record } of data.movements) {
      if (record.defect || record.ctd.guarantees[0]!.type === '0') continue;
      const ref = record.ctd.guarantees[0]!.references[0]!;
      backed.set(ref.grn, (backed.get(ref.grn) ?? 0) + Math.round(ref.amountToBeCovered * 100));
    }
    for (const [grn, sumMinor] of backed) {
      const g = data.guarantees.get(grn)!;
      expect(g.referenceAmount * 100).toBeGreaterThanOrEqual(sumMinor);
      expect(Math.round(g.amountDue * 100)).toBe(sumMinor);
    }
    expect([...data.guarantees.values()].some((g) => g.type === '1')).toBe(true);
    expect([...data.guarantees.values()].some((g) => g.type === '2')).toBe(true);
  });

  it('mixes guarantee types, each guarantee with its guarantor and the level of the AEO rule', () => {
    const all = [...data.guarantees.values()];
    expect(new Set(all.map((g) => g.type))).toEqual(new Set(['0', '1', '2']));
    for (const g of all) {
      expect(['bank', 'insurer']).toContain(g.guarantor.kind);
      const holder = data.dataset.operators.find((o) => o.tin === g.holderTin)!;
      expect(g.level).toBe(g.type === '2' ? 100 : holder.aeo ? 50 : 100);
    }
    // A waiver is held by AEOs only, and every CTD on it declares type 0.
    const waivers = new Set(all.filter((g) => g.type === '0').map((g) => g.grn));
    for (const { record } of data.movements) {
      const ref = record.ctd.guarantees[0]!.references[0]!;
      if (waivers.has(ref.grn) && !record.defect) expect(record.ctd.guarantees[0]!.type).toBe('0');
    }
    for (const g of all.filter((x) => x.type === '0'))
      expect(data.dataset.operators.find((o) => o.tin === g.holderTin)!.aeo).toBe(true);
  });

  it('every defective CTD carries exactly one defect, answered with its labelled code', () => {
    const seenKinds = new Set<string>();
    const validLrns = new Map<string, string>(); // LRN → holder of the valid CTD lodged under it
    for (const { record } of data.movements) {
      const ctd = record.ctd;
      if (!record.defect) {
        validLrns.set(ctd.lrn, ctd.holder.identificationNumber);
        continue;
      }
      const d = record.defect;
      seenKinds.add(d.kind);
      expect(d.code).toBe(defectCode[d.kind]);
      const found = findings(ctd, record.country);
      const ref = ctd.guarantees[0]?.references[0];
      switch (d.code) {
        case 'GUARANTEE_ACCESS_CODE': {
          expect(found).toEqual([]);
          const g = data.guarantees.get(ref!.grn)!;
          expect(g.holderTin).toBe(ctd.holder.identificationNumber);
          expect(ref!.accessCode.toUpperCase()).not.toBe(g.accessCode.toUpperCase());
          break;
        }
        case 'GUARANTEE_TYPE_MISMATCH':
          expect(found).toEqual([]);
          expect(ctd.guarantees[0]!.type).not.toBe(data.guarantees.get(ref!.grn)!.type);
          break;
        case 'GUARANTEE_NOT_FOUND':
          expect(found).toEqual([]);
          expect(isValidGrn(ref!.grn)).toBe(true);
          expect(data.guarantees.has(ref!.grn)).toBe(false);
          break;
        case 'DUPLICATE_LRN':
          expect(found).toEqual([]);
          expect(validLrns.get(ctd.lrn)).toBe(ctd.holder.identificationNumber);
          break;
        case 'SCHEMA_VIOLATION':
          expect(found).toHaveLength(1);
          expect(found[0]!.code).toBe('SCHEMA_VIOLATION');
          expect(found[0]!.pointer).toBe(d.pointer);
          break;
        default:
          expect(found.map((f) => f.code)).toEqual([d.code]);
          expect(found[0]!.pointer).toBe(d.pointer);
      }
    }
    expect([...seenKinds].sort()).toEqual([...defectKinds].sort());
  });

  it('draws routes in proportion to their projected traffic', () => {
    const { dataset, movements } = data;
    const counts = new Map<string, number>();
    for (const { record } of movements) counts.set(record.route, (counts.get(record.route) ?? 0) + 1);
    dataset.routes.forEach((route, i) => {
      const p = dataset.expectedByRoute[i]! / dataset.expected;
      const observed = (counts.get(route.id) ?? 0) / N;
      // Four binomial standard deviations, plus the hour-by-hour rounding.
      expect(Math.abs(observed - p), route.id).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / N) + 0.002);
    });
  });

  it('follows the hourly profile: each hour gets its expected share of N, within one CTD', () => {
    const { dataset, movements } = data;
    const perHour = new Array(24).fill(0);
    for (const { record } of movements) perHour[Number(record.at.slice(11, 13))]++;
    for (let h = 0; h < 24; h++) {
      const { expected } = dataset.model.span(dataset.profile.start.getTime() + h * 3_600_000, 1);
      expect(Math.abs(perHour[h] - (expected / dataset.expected) * N)).toBeLessThanOrEqual(1);
    }
    // The shape is diurnal: the busiest hour carries well over the quietest.
    expect(Math.max(...perHour)).toBeGreaterThan(2 * Math.min(...perHour));
  });

  it('gives each pilot country its configured AEO share of operators', () => {
    const big = new Dataset({
      seed: 'aeo',
      movements: 400_000,
      profile: 'weekday',
      defects: 0,
      countries: [...PILOT_COUNTRIES],
      year: 2026,
    });
    for (const country of PILOT_COUNTRIES) {
      const ops = big.operators.filter((o) => o.country === country);
      const p = aeoShare[country]!;
      const observed = ops.filter((o) => o.aeo).length / ops.length;
      expect(Math.abs(observed - p), `${country} (${ops.length} operators)`).toBeLessThanOrEqual(
        4 * Math.sqrt((p * (1 - p)) / ops.length),
      );
    }
  });
});

describe('items per CTD', () => {
  const draws = 40_000;
  const sample = (kind: 'bulk' | 'general' | 'mixed') => {
    const r = new Random('items', kind);
    return Array.from({ length: draws }, () => itemsCount(kind, r));
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('bulk cargo: one item, two in about 10 %', () => {
    const xs = sample('bulk');
    expect(Math.abs(xs.filter((x) => x === 2).length / draws - itemsModel.bulk.pTwo)).toBeLessThan(0.01);
    expect(xs.every((x) => x === 1 || x === 2)).toBe(true);
  });

  it('general cargo: 1 + geometric, mean 1/p within 3 %', () => {
    const xs = sample('general');
    expect(Math.abs(mean(xs) - 1 / itemsModel.general.p) / (1 / itemsModel.general.p)).toBeLessThan(0.03);
    expect(Math.max(...xs)).toBeLessThanOrEqual(itemsModel.general.max);
  });

  it('groupage: median about 6, a long tail up to 999', () => {
    const xs = sample('mixed').sort((a, b) => a - b);
    expect(Math.abs(xs[draws / 2]! - itemsModel.mixed.median)).toBeLessThanOrEqual(1);
    expect(xs.at(-1)!).toBeGreaterThan(itemsModel.mixed.max);
    expect(xs.at(-1)!).toBeLessThanOrEqual(999);
  });
});

describe('options', () => {
  it('rejects bad options with a clear error', () => {
    const base = { seed: 's', movements: 10, profile: 'weekday' as const, defects: 0, countries: ['GE'], year: 2026 };
    expect(() => new Dataset({ ...base, movements: -1 })).toThrow(/movements/);
    expect(() => new Dataset({ ...base, defects: 1.5 })).toThrow(/defects/);
    expect(() => new Dataset({ ...base, countries: ['CN'] })).toThrow(/pilot country/);
    expect(() => new Dataset({ ...base, year: 2040 })).toThrow(/calendar/);
  });

  it('draws only the defect kinds asked for, deferring one that does not fit to the next CTD', () => {
    const { movements } = generate({
      movements: 400,
      defects: 0.25,
      defectKinds: ['bad-container-check-digit', 'duplicate-lrn'],
    });
    const defects = movements.map((m) => m.record.defect).filter((d) => d !== null);
    expect(defects).toHaveLength(100);
    expect(new Set(defects.map((d) => d!.kind))).toEqual(new Set(['bad-container-check-digit', 'duplicate-lrn']));
  });

  it('limits the CTDs to the countries asked for', () => {
    const { movements } = generate({ countries: ['GE', 'AZ'], movements: 500 });
    expect(new Set(movements.map((m) => m.record.country))).toEqual(new Set(['GE', 'AZ']));
  });
});
