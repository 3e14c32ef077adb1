// The guarantee arithmetic of the comparison against cases computed by hand.
//
// Laptops (HS 847130, no excise) worth USD 10,000, from Azerbaijan to Georgia,
// guaranteed in manat (1.70 AZN/USD). Duties and taxes per unit of value:
//   AZ: 7.5 % duty + 18 % VAT on value plus duty = 0.075 + 0.18 × 1.075 = 0.2685
//   GE: 2 % duty + 18 % VAT on value plus duty   = 0.02 + 0.18 × 1.02   = 0.2036
// The highest, AZ: 17,000.00 AZN × 0.2685 = 4,564.50 AZN = USD 2,685.00 due.
//   TIR guarantees all of it: 456,450 minor units, USD 2,685.
//   CATS at 50 % (an AEO): 228,225 minor units, USD 1,342.50; at 25 %: 114,112.5 → 114,113.
// Held: TIR from acceptance to discharge, 5 days: 2,685 × 5 = 13,425 USD·days.
//       CATS from release to write-off, 4 days: 1,342.50 × 4 = 5,370 USD·days. Freed: 1 − 5,370/13,425 = 60 %.
// At 1,000 such movements a year, capital tied up on average (Little's law):
//       TIR 1,000 × 13,425 / 365 = 36,780.82; CATS 1,000 × 5,370 / 365 = 14,712.33; freed 22,068.49.
//       Cover drawn per year: TIR 2,685,000; CATS 1,342,500.
import { describe, expect, it } from 'vitest';
import type { TirMovement } from '../../generators/tir-log.ts';
import { compare, tirSteps } from './comparison.ts';
import { amountDays, capitalTiedUp, catsReservation, coverPerYear, tirGuarantee, usd } from './guarantee-money.ts';
import { HolderGuarantees } from './holder-guarantees.ts';
import { mirrorLog } from './mirror-log.ts';
import type { Observed } from './replay.ts';
import type { Registry } from './registry.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-10-13T08:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();

const address = { streetAndNumber: '1 Neftchilar Ave', city: 'Baku', country: 'AZ' };
const registry: Registry = {
  operators: new Map([
    [
      'AZ1234567890',
      {
        tin: 'AZ1234567890',
        name: 'Caspian Haulage LLC',
        country: 'AZ',
        aeo: true,
        token: 'op.0123456789abcdef',
        address,
      },
    ],
  ]),
  officers: [],
  guarantors: new Map([
    ['AZ', { kind: 'insurer' as const, identificationNumber: 'AZ9999999999', name: 'Caspian Insurance' }],
  ]),
};

const laptops: TirMovement = {
  carnet: 'XA12345678',
  holder: { id: 'AZE/001/12345', tin: 'AZ1234567890', name: 'Caspian Haulage LLC' },
  departure: { country: 'AZ', office: 'AZ000100', at: at(0) },
  crossings: [{ from: 'AZ', to: 'GE', office: '69002', at: at(30) }],
  destination: { country: 'GE', office: 'GE000010', arrivedAt: at(40), terminatedAt: at(42) },
  dischargedAt: at(120),
  consignor: { name: 'Baku Electronics', address },
  consignee: { name: 'Tbilisi Tech', address: { streetAndNumber: '5 Rustaveli Ave', city: 'Tbilisi', country: 'GE' } },
  goods: [
    {
      hsCode: '847130',
      description: 'portable computers',
      grossMassKg: 800,
      value: { amount: 10_000, currency: 'USD' },
    },
  ],
  vehicles: [{ registration: '10AB123', nationality: 'AZ' }],
  containers: [],
  seals: ['AZ123456'],
};

describe('guarantee arithmetic', () => {
  it('TIR holds all duties and taxes; CATS the share at the guarantee level, rounded up', () => {
    expect(tirGuarantee(456_450)).toBe(456_450);
    expect(catsReservation(456_450, 100)).toBe(456_450);
    expect(catsReservation(456_450, 50)).toBe(228_225);
    expect(catsReservation(456_450, 25)).toBe(114_113);
    expect(usd(456_450, 'AZN')).toBeCloseTo(2685, 9);
    expect(usd(228_225, 'AZN')).toBeCloseTo(1342.5, 9);
  });

  it('money tied up is amount × days held; capital at a yearly volume follows from it', () => {
    expect(amountDays(2685, T0, T0 + 120 * H)).toBeCloseTo(13_425, 9);
    expect(amountDays(1342.5, T0, T0 + 96 * H)).toBeCloseTo(5370, 9);
    expect(capitalTiedUp(13_425, 1000)).toBeCloseTo(36_780.82, 2);
    expect(capitalTiedUp(5370, 1000)).toBeCloseTo(14_712.33, 2);
    expect(coverPerYear(2685, 1000)).toBe(2_685_000);
    expect(() => amountDays(1, T0, T0 - 1)).toThrow(RangeError);
  });

  it('counts TIR customs acts: acceptance, exit and entry at each border, termination', () => {
    expect(tirSteps(0)).toBe(2);
    expect(tirSteps(3)).toBe(8);
  });
});

describe('the comparison of a mirrored movement', () => {
  const log = mirrorLog([{ line: 1, ok: true, movement: laptops }], registry, { seed: 's', lrnOf: (c) => `TIR${c}` });
  const m = log.mirrored[0]!;
  const observed: Observed = {
    carnet: m.carnet,
    mrn: '26AZ0000000000001J0',
    outcome: 'mirrored',
    controlled: false,
    lodgedAt: T0,
    releasedAt: T0,
    writtenOffAt: T0 + 96 * H,
    reservation: { amount: 228_225, currency: 'AZN' },
    steps: m.steps.map((s) => ({ kind: s.kind, office: s.office, plannedAt: s.at, doneAt: s.at, status: 200 })),
    notices: [
      { office: 'GE069002', country: 'GE', role: 'transit', noticedAt: T0 + 1 * H },
      { office: 'GE000010', country: 'GE', role: 'destination', noticedAt: T0 + 1 * H },
    ],
    finalState: 'WRITTEN_OFF',
    problems: [],
  };

  it('maps the hand case onto the amount due computed by hand, at the AEO level', () => {
    expect(m.due).toEqual({ amount: 456_450, currency: 'AZN' });
    expect(m.level).toBe(50);
    expect(m.ctd.offices).toEqual({ departure: 'AZ000100', transit: ['GE069002'], destination: 'GE000010' });
  });

  it('gives the hand-computed money, notice, steps and projection', () => {
    const c = compare(log, [observed], { end: T0 + 200 * H, movementsPerYear: 1000, volumeSource: 'test' });
    const one = c.perMovement[0]!;
    expect(one.tir).toEqual({
      guarantee: { amount: 456_450, currency: 'AZN', usd: 2685 },
      heldHours: 120,
      usdDays: 13_425,
      steps: 4,
      hoursToDischarge: 120,
    });
    expect(one.cats).toMatchObject({
      level: 50,
      expectedReservation: 228_225,
      reserved: { amount: 228_225, currency: 'AZN', usd: 1342.5 },
      heldHours: 96,
      usdDays: 5370,
      steps: 4,
      hoursToDischarge: 96,
      notices: [
        { office: 'GE069002', country: 'GE', role: 'transit', catsHours: 29 },
        { office: 'GE000010', country: 'GE', role: 'destination', catsHours: 39 },
      ],
    });
    expect(one.adherent).toBe(true);
    expect(c.guarantee).toEqual({
      tir: { totalUsd: 2685, usdDays: 13_425 },
      cats: { totalUsd: 1342.5, usdDays: 5370 },
      freedShare: 0.6,
    });
    expect(c.projection).toEqual({
      movementsPerYear: 1000,
      source: 'test',
      tir: { capitalUsd: 36_781, coverPerYearUsd: 2_685_000 },
      cats: { capitalUsd: 14_712, coverPerYearUsd: 1_342_500 },
      freedCapitalUsd: 22_068,
      freedCoverPerYearUsd: 1_342_500,
    });
    expect(c.notices.map((n) => [n.office, n.movements, n.meanHours, n.minHours])).toEqual([
      ['GE000010', 1, 39, 39],
      ['GE069002', 1, 29, 29],
    ]);
    expect(c.adherence).toEqual({ mirrored: 1, adherent: 1, share: 1, failures: [] });
  });

  it('holds a guarantee not yet given back until the comparison closes, and counts the movement as not adherent', () => {
    const open: Observed = { ...observed, writtenOffAt: undefined, finalState: 'ARRIVED', problems: ['x'] } as Observed;
    delete open.writtenOffAt;
    const c = compare(log, [open], { end: T0 + 200 * H, movementsPerYear: 1000, volumeSource: 'test' });
    // 1,342.50 USD held 200 hours: 1,342.5 × 200 / 24 = 11,187.5 USD·days.
    expect(c.perMovement[0]!.cats.usdDays).toBe(11_187.5);
    expect(c.adherence.failures).toEqual([
      { carnet: 'XA12345678', implied: 'WRITTEN_OFF', reached: 'ARRIVED', problems: ['x'] },
    ]);
  });

  it('counts a movement whose reservation differs from the amount due at its level as not adherent', () => {
    const wrong: Observed = { ...observed, reservation: { amount: 456_450, currency: 'AZN' } };
    const c = compare(log, [wrong], { end: T0 + 200 * H, movementsPerYear: 1000, volumeSource: 'test' });
    expect(c.adherence.adherent).toBe(0);
  });

  it('lists the records it could not map and the refusals, with their reasons', () => {
    const noValue = structuredClone(laptops);
    delete noValue.goods[0]!.value;
    const mixed = mirrorLog(
      [
        { line: 1, ok: true, movement: laptops },
        { line: 2, ok: true, movement: noValue },
        { line: 3, ok: false, errors: [{ code: 'INVALID_JSON', pointer: '/', message: 'bad' }] },
      ],
      registry,
      { seed: 's', lrnOf: (c) => `TIR${c}` },
    );
    const refused: Observed = {
      ...observed,
      outcome: 'refused',
      refusal: { status: 422, code: 'GUARANTEE_INSUFFICIENT', message: 'not enough' },
    };
    const c = compare(mixed, [refused], { end: T0 + 200 * H, movementsPerYear: 1000, volumeSource: 'test' });
    expect(c.movements).toEqual({ inLog: 3, mapped: 1, mirrored: 0, refused: 1, notServed: 0, unmappable: 2 });
    expect(c.refusals.map((r) => [r.stage, r.line, r.code])).toEqual([
      ['mapping', 2, 'MISSING_VALUE'],
      ['mapping', 3, 'INVALID_JSON'],
      ['replay', undefined, 'GUARANTEE_INSUFFICIENT'],
    ]);
  });

  it('sizes the holder guarantee to cover what it backs', () => {
    const book = new HolderGuarantees('s', 2026, new Map([['AZ1234567890', 60]]), registry.guarantors);
    const g = book.of(registry.operators.get('AZ1234567890')!)!;
    // An AEO with 60 movements on record: 25 %.
    expect(g.level).toBe(25);
    book.book('AZ1234567890', 456_450);
    // 4,564.50 × 1.1 = 5,020.95 → 6,000 (whole thousands).
    expect(book.fixtures().get('AZ')).toEqual([
      expect.objectContaining({ grn: g.grn, type: '1', referenceAmount: 6000, currency: 'AZN', level: 25 }),
    ]);
  });
});
