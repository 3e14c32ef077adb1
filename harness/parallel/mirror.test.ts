// TIR movements mapped to CTDs: a generated log maps whole onto CTDs the node's
// own rules accept; records CATS cannot take come back with every reason.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCtd } from '../../reference/domain/ctd-rules.ts';
import { Ctd } from '../../reference/spec/ctd.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { officeByReference, offices } from '../../reference/spec/reference-data/offices.ts';
import { writeDataset } from '../../generators/write-dataset.ts';
import { readTirLog, type TirMovement } from '../../generators/tir-log.ts';
import { writeTirLog } from '../../generators/tir-movements.ts';
import { HolderGuarantees } from './holder-guarantees.ts';
import { catsOffice, mirror, type MirrorContext } from './mirror.ts';
import { readRegistry, type Registry } from './registry.ts';

let dir: string;
let registry: Registry;
let log: TirMovement[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cats-mirror-'));
  await writeDataset(
    {
      seed: 'mirror',
      movements: 120,
      profile: 'weekday',
      defects: 0,
      countries: ['GE', 'AZ', 'KZ', 'UZ', 'KG', 'PK'],
      year: 2026,
    },
    dir,
  );
  await writeTirLog(dir, path.join(dir, 'tir.ndjson'), 'mirror');
  registry = await readRegistry(dir);
  log = (await readTirLog(path.join(dir, 'tir.ndjson'))).flatMap((l) => (l.ok ? [l.movement] : []));
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function context(): MirrorContext & { guarantees: HolderGuarantees } {
  const guarantees = new HolderGuarantees('mirror', 2026, new Map(), registry.guarantors);
  return {
    operators: registry.operators,
    guaranteeOf: (o) => guarantees.of(o),
    lrnOf: (carnet) => `TIR${carnet}`,
    guarantees,
  };
}

/** A valid record of the generated log, copied so a test may spoil it. */
function sample(pick: (m: TirMovement) => boolean = () => true): TirMovement {
  const found = log.find(pick);
  if (!found) throw new Error('no such movement in the generated log');
  return structuredClone(found);
}

describe('a generated TIR log', () => {
  it('maps every movement onto a CTD that the node of its departure country accepts', () => {
    expect(log.length).toBeGreaterThan(20);
    const ctx = context();
    for (const m of log) {
      const mapping = mirror(m, ctx);
      expect(mapping.ok, JSON.stringify(mapping.ok ? '' : mapping.reasons)).toBe(true);
      if (!mapping.ok) continue;
      const { ctd, steps, impliedState, due } = mapping.mirrored;
      expect([...Value.Errors(Ctd, ctd)].map((e) => `${e.path} ${e.message}`)).toEqual([]);
      const nodeCountry = ctd.offices.departure.slice(0, 2);
      expect(checkCtd(ctd, { nodeCountry, offices: officeByReference, countries: countryByCode })).toEqual([]);
      expect(ctd.holder.identificationNumber).toBe(m.holder.tin);
      expect(ctd.guarantees[0]!.type).toBe('1');
      expect(ctd.guarantees[0]!.references[0]!.amountToBeCovered).toBe(due.amount / 100);
      expect(steps[0]).toMatchObject({ kind: 'lodge', at: Date.parse(m.departure.at) });
      expect(steps.at(-1)).toMatchObject({ kind: 'control', at: Date.parse(m.destination.terminatedAt!) });
      expect(impliedState).toBe('WRITTEN_OFF');
    }
  });

  it("names Georgian offices by their TIR-list codes, which map back to CATS's reference numbers", () => {
    const georgian = sample((m) => m.departure.country === 'GE' || m.destination.country === 'GE');
    const code = georgian.departure.country === 'GE' ? georgian.departure.office! : georgian.destination.office!;
    if (/^69[0-9]{3}$/.test(code)) expect(catsOffice(code, 'GE')).toBe(`GE0${code}`);
    expect(catsOffice('69002', 'GE')).toBe('GE069002');
    expect(catsOffice('69002', 'AZ')).toBeUndefined();
    expect(catsOffice('KZ510100', 'KZ')).toBe('KZ510100');
  });

  it('gives each holder one comprehensive guarantee that covers all of its movements', () => {
    const ctx = context();
    const grnByHolder = new Map<string, Set<string>>();
    for (const m of log) {
      const mapping = mirror(m, ctx);
      if (!mapping.ok) continue;
      const { holderTin, ctd, due } = mapping.mirrored;
      ctx.guarantees.book(holderTin, due.amount);
      const set = grnByHolder.get(holderTin) ?? new Set();
      set.add(ctd.guarantees[0]!.references[0]!.grn);
      grnByHolder.set(holderTin, set);
    }
    for (const grns of grnByHolder.values()) expect(grns.size).toBe(1);
    const fixtures = [...ctx.guarantees.fixtures().values()].flat();
    expect(fixtures).toHaveLength(grnByHolder.size);
    for (const g of fixtures) {
      expect(g.type).toBe('1');
      const dues = log
        .map((m) => mirror(m, ctx))
        .flatMap((r) => (r.ok && r.mirrored.holderTin === g.holderTin ? [r.mirrored.due.amount] : []));
      expect(g.referenceAmount * 100).toBeGreaterThanOrEqual(dues.reduce((a, b) => a + b, 0));
    }
  });
});

describe('records CATS cannot take', () => {
  const reasonsOf = (m: TirMovement) => {
    const r = mirror(m, context());
    return r.ok ? [] : r.reasons;
  };

  it('an unknown office: named with the pointer into the record', () => {
    const m = sample();
    m.destination.office = 'ZZ999999';
    expect(reasonsOf(m)).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_OFFICE',
        pointer: '/destination/office',
        message: expect.stringContaining('ZZ999999'),
      }),
    ]);
  });

  it('an office missing where CATS needs one', () => {
    const m = sample((x) => x.crossings.length > 0 && x.crossings.some((c) => c.to !== x.departure.country));
    const i = m.crossings.findIndex((c) => c.to !== m.departure.country);
    delete m.departure.office;
    delete m.crossings[i]!.office;
    expect(reasonsOf(m).map((r) => [r.code, r.pointer])).toEqual([
      ['OFFICE_MISSING', '/departure/office'],
      ['OFFICE_MISSING', `/crossings/${i}/office`],
    ]);
  });

  it('a goods item without a value: CATS computes the guarantee from it', () => {
    const m = sample();
    delete m.goods[0]!.value;
    expect(reasonsOf(m)).toEqual([
      expect.objectContaining({
        code: 'MISSING_VALUE',
        pointer: '/goods/0/value',
        message: expect.stringContaining('no value'),
      }),
    ]);
  });

  it('a country outside CATS: the movement needs the NCTS gateway', () => {
    const m = sample();
    m.destination.country = 'TR';
    m.destination.office = 'TR340100';
    m.crossings.push({
      from: m.crossings.at(-1)?.to ?? m.departure.country,
      to: 'TR',
      office: 'TR220100',
      at: m.destination.arrivedAt!,
    });
    const reasons = reasonsOf(m);
    expect(reasons.map((r) => [r.code, r.pointer])).toEqual([
      ['COUNTRY_OUTSIDE_CATS', `/crossings/${m.crossings.length - 1}/to`],
      ['COUNTRY_OUTSIDE_CATS', '/destination/country'],
    ]);
    expect(reasons[1]!.message).toContain('Türkiye');
    expect(reasons[1]!.message).toContain('NCTS gateway');
  });

  it('a holder who is no registered operator, or has no TIN in the log', () => {
    const m = sample();
    m.holder.tin = 'KZ000000000000';
    expect(reasonsOf(m).map((r) => r.code)).toEqual(['HOLDER_NOT_REGISTERED']);
    delete m.holder.tin;
    expect(reasonsOf(m).map((r) => [r.code, r.pointer])).toEqual([['HOLDER_NOT_IDENTIFIED', '/holder/tin']]);
  });

  it('an office in another country than the record says, or without the role', () => {
    const m = sample();
    m.departure.office = m.departure.country === 'GE' ? 'AZ000100' : 'GE000010';
    expect(reasonsOf(m).map((r) => [r.code, r.pointer])).toEqual([['OFFICE_COUNTRY_MISMATCH', '/departure/office']]);
    // An inland office (departure and destination only) named as the office of entry at a border.
    const inland = (country: string) => offices.find((o) => o.country === country && !o.roles.includes('TRA'));
    const n = sample((x) => x.crossings.some((c) => c.to !== x.departure.country && inland(c.to)));
    const i = n.crossings.findIndex((c) => c.to !== n.departure.country && inland(c.to));
    n.crossings[i]!.office = inland(n.crossings[i]!.to)!.referenceNumber;
    expect(reasonsOf(n).map((r) => [r.code, r.pointer])).toEqual([['OFFICE_ROLE_MISMATCH', `/crossings/${i}/office`]]);
  });

  it('several problems at once: every reason, in record order', () => {
    const m = sample();
    delete m.holder.tin;
    m.departure.office = 'NOPE';
    delete m.goods[0]!.value;
    expect(reasonsOf(m).map((r) => r.code)).toEqual(['HOLDER_NOT_IDENTIFIED', 'UNKNOWN_OFFICE', 'MISSING_VALUE']);
  });
});
