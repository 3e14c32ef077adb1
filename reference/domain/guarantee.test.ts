import { describe, expect, it } from 'vitest';
import { countries, countryByCode } from '../spec/reference-data/countries.ts';
import {
  amountDue,
  available,
  canReserve,
  checkDeclaredAmount,
  exciseRate,
  exposureByCurrency,
  GuaranteeInsufficientError,
  inCurrency,
  itemChargeRate,
  proposedLevel,
  referenceShares,
  releaseReservation,
  reservationFor,
  reserve,
  reservesNothing,
  servesOneMovement,
  type GuaranteeBalance,
} from './guarantee.ts';
import { sampleCtd } from './testing/sample-ctd.ts';

describe('amountDue', () => {
  it('charges duty, and VAT on value plus duty, at the dearest country of the itinerary, in the first guarantee currency', () => {
    // 74,000 USD = 203,500 GEL; GE 2 % + 18 % × 1.02 = 20.36 %, AZ 7.5 % + 18 % × 1.075 = 26.85 % → 26.85 %.
    expect(itemChargeRate('847130', countryByCode.get('AZ')!)).toBeCloseTo(0.2685, 12);
    expect(amountDue(sampleCtd(), countries)).toEqual({ amount: 5_463_975, currency: 'GEL' });
    expect(amountDue(sampleCtd(), countryByCode)).toEqual({ amount: 5_463_975, currency: 'GEL' });
  });

  it('follows the itinerary: adding a dearer country raises the amount', () => {
    const ctd = sampleCtd();
    ctd.consignment.countriesOfRouting = ['GE', 'AZ', 'PK']; // PK 10 % + 18 % × 1.10 = 29.8 %
    expect(amountDue(ctd, countries).amount).toBe(6_064_300);
  });

  it('adds excise where the goods carry it, by HS heading, and VAT on it', () => {
    expect(exciseRate('240220', 'GE')).toBe(0.6);
    expect(exciseRate('220830', 'AF')).toBe(0);
    expect(exciseRate('271019', 'AZ')).toBe(0.1);
    expect(exciseRate('220190', 'GE')).toBe(0); // waters: chapter 22, but no excise heading
    const ctd = sampleCtd();
    ctd.consignment.countriesOfRouting = ['GE'];
    ctd.consignment.goodsItems = [{ ...ctd.consignment.goodsItems[0]!, hsCode: '240220' }];
    // 40,000 USD = 110,000 GEL; (2 % + 60 %) + 18 % × 1.62 = 91.16 %.
    expect(amountDue(ctd, countries).amount).toBe(10_027_600);
    ctd.consignment.goodsItems[0]!.hsCode = '847130';
    expect(amountDue(ctd, countries).amount).toBe(2_239_600);
  });

  it('converts goods values in several currencies and rounds the result up to a whole minor unit', () => {
    const ctd = sampleCtd();
    ctd.guarantees[0]!.references[0]!.currency = 'USD';
    ctd.consignment.countriesOfRouting = ['GE'];
    ctd.consignment.goodsItems[0]!.value = { amount: 0.01, currency: 'USD' };
    ctd.consignment.goodsItems[1]!.value = { amount: 2.75, currency: 'GEL' };
    // 1 + 100 cents at 20.36 % = 20.56 cents → 21.
    expect(amountDue(ctd, countries)).toEqual({ amount: 21, currency: 'USD' });
  });

  it('is exact in integer minor units for large consignments in small currency units', () => {
    const ctd = sampleCtd();
    ctd.guarantees[0]!.references[0]!.currency = 'UZS';
    ctd.consignment.countriesOfRouting = ['UZ'];
    ctd.consignment.goodsItems = Array.from({ length: 1999 }, (_, i) => ({
      ...sampleCtd().consignment.goodsItems[0]!,
      goodsItemNumber: i + 1,
      value: { amount: 123_456.78, currency: 'USD' },
    }));
    const due = amountDue(ctd, countries);
    expect(Number.isSafeInteger(due.amount)).toBe(true);
    // 1999 × 123,456.78 USD × 12,700 × (7.5 % + 12 % × 1.075) in tiyin, computed with bigints.
    const value = 1999n * 12_345_678n * 12_700n;
    expect(BigInt(due.amount)).toBe((value * 204_000n + 999_999n) / 1_000_000n);
  });

  it('rejects a routing country missing from the table', () => {
    const ctd = sampleCtd();
    ctd.consignment.countriesOfRouting = ['GE', 'XX'];
    expect(() => amountDue(ctd, countries)).toThrow(/unknown country of routing XX/);
  });
});

describe('proposedLevel', () => {
  it('proposes 100 % for others, 50 % for an AEO, 25 % for an AEO with a track record', () => {
    expect(proposedLevel({ aeo: false, releasedMovements: 1000 })).toBe(100);
    expect(proposedLevel({ aeo: true, releasedMovements: 49 })).toBe(50);
    expect(proposedLevel({ aeo: true, releasedMovements: 50 })).toBe(25);
  });
});

describe('guarantee types', () => {
  it('a waiver reserves nothing; individual guarantees serve one movement, type 9 several', () => {
    expect(reservesNothing('0')).toBe(true);
    expect(reservesNothing('1')).toBe(false);
    expect(['0', '1', '2', '4', '9'].filter(servesOneMovement)).toEqual(['2', '4']);
  });
});

describe('referenceShares', () => {
  const due = { amount: 1_000_001, currency: 'GEL' };
  const ref = (grn: string, amountToBeCovered: number, currency = 'GEL') => ({ grn, amountToBeCovered, currency });

  it('gives a single reference the whole amount due', () => {
    expect(referenceShares({ guarantees: [{ type: '1', references: [ref('A', 10)] }] }, due, countries)).toEqual([
      { grn: 'A', type: '1', currency: 'GEL', share: 1_000_001, pointer: '/guarantees/0/references/0', index: 0 },
    ]);
  });

  it('splits it among all references by declared amount, exactly, each in its own currency', () => {
    const shares = referenceShares(
      {
        guarantees: [
          { type: '1', references: [ref('A', 3000), ref('B', 1000)] },
          { type: '2', references: [ref('C', 2000 / 2.75, 'USD')] },
        ],
      },
      due,
      countries,
    );
    expect(shares.map((s) => [s.grn, s.share, s.currency, s.pointer])).toEqual([
      ['A', 500_000, 'GEL', '/guarantees/0/references/0'],
      ['B', 166_666, 'GEL', '/guarantees/0/references/1'],
      ['C', 121_213, 'USD', '/guarantees/1/references/0'], // 333,335 tetri, rounded up in cents
    ]);
  });

  it('gives a waiver no share and one share per GRN', () => {
    const shares = referenceShares(
      {
        guarantees: [
          { type: '0', references: [ref('W', 5000)] },
          { type: '1', references: [ref('A', 100), ref('A', 100)] },
        ],
      },
      due,
      countries,
    );
    expect(shares.map((s) => [s.grn, s.share])).toEqual([
      ['W', 0],
      ['A', 1_000_001],
    ]);
  });

  it('splits equally when no reference declares an amount', () => {
    const shares = referenceShares(
      { guarantees: [{ type: '1', references: [ref('A', 0), ref('B', 0)] }] },
      due,
      countries,
    );
    expect(shares.map((s) => s.share)).toEqual([500_000, 500_001]);
  });
});

describe('reservationFor', () => {
  it('reserves the share at the level, rounded up to a whole minor unit', () => {
    expect(reservationFor(1001, 100)).toBe(1001);
    expect(reservationFor(1001, 50)).toBe(501);
    expect(reservationFor(1001, 25)).toBe(251);
    expect(reservationFor(0, 25)).toBe(0);
    expect(reservationFor(9_007_199_254_740_991, 50)).toBe(4_503_599_627_370_496);
  });
  it('refuses amounts that are not non-negative integers', () => {
    expect(() => reservationFor(10.5, 100)).toThrow(RangeError);
    expect(() => reservationFor(-1, 100)).toThrow(RangeError);
  });
});

describe('exposureByCurrency', () => {
  it('sums reference, reserved and available amounts per currency', () => {
    expect(
      exposureByCurrency([
        { currency: 'USD', referenceAmount: 100, reserved: 30 },
        { currency: 'GEL', referenceAmount: 500, reserved: 0 },
        { currency: 'USD', referenceAmount: 50, reserved: 50 },
      ]),
    ).toEqual([
      { currency: 'GEL', referenceAmount: 500, reserved: 0, available: 500 },
      { currency: 'USD', referenceAmount: 150, reserved: 80, available: 70 },
    ]);
  });
});

describe('comprehensive guarantee', () => {
  it('covers many movements until the reference amount is used, never beyond', () => {
    let g: GuaranteeBalance = { referenceAmount: 1_000_000, reserved: 0 };
    let released = 0;
    for (let i = 0; i < 150; i++) {
      if (!canReserve(g, 10_000)) continue;
      g = reserve(g, 10_000);
      released++;
    }
    expect(released).toBe(100);
    expect(g).toEqual({ referenceAmount: 1_000_000, reserved: 1_000_000 });
    expect(() => reserve(g, 1)).toThrow(GuaranteeInsufficientError);
  });

  it('gives a reservation back at write-off so a new movement fits', () => {
    let g: GuaranteeBalance = { referenceAmount: 30_000, reserved: 0 };
    g = reserve(reserve(g, 12_000), 12_000);
    expect(canReserve(g, 12_000)).toBe(false);
    expect(available(g)).toBe(6_000);
    g = releaseReservation(g, 12_000);
    expect(canReserve(g, 12_000)).toBe(true);
    expect(reserve(g, 12_000).reserved).toBe(24_000);
  });

  it('reports what is available in an insufficient-guarantee error', () => {
    try {
      reserve({ referenceAmount: 100, reserved: 70 }, 50);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'GUARANTEE_INSUFFICIENT', available: 30, requested: 50 });
    }
  });

  it('keeps other fields of the guarantee record and does not mutate it', () => {
    const g = { grn: '26GELHDGU43K9D8T8', referenceAmount: 100, reserved: 0 };
    expect(reserve(g, 40)).toEqual({ grn: '26GELHDGU43K9D8T8', referenceAmount: 100, reserved: 40 });
    expect(g.reserved).toBe(0);
  });

  it('refuses to release more than is reserved', () => {
    expect(() => releaseReservation({ referenceAmount: 100, reserved: 10 }, 11)).toThrow(RangeError);
  });
});

describe('inCurrency', () => {
  it('converts an amount into the guarantee currency, rounding up', () => {
    expect(inCurrency({ amount: 27_501, currency: 'GEL' }, 'USD', countries)).toEqual({
      amount: 10_001,
      currency: 'USD',
    });
    expect(inCurrency({ amount: 500, currency: 'GEL' }, 'GEL', countries)).toEqual({ amount: 500, currency: 'GEL' });
  });
});

describe('checkDeclaredAmount', () => {
  it('accepts an amount to be covered at or above the amount due, and within 1 % below it', () => {
    const ctd = sampleCtd();
    expect(checkDeclaredAmount(ctd, countries)).toEqual([]);
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 54_639.75 * 0.995;
    expect(checkDeclaredAmount(ctd, countries)).toEqual([]);
  });

  it('sums references across guarantees and currencies', () => {
    const ctd = sampleCtd();
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 33_000; // GEL
    ctd.guarantees.push({
      type: '2',
      references: [{ grn: '26GELHDGU43K9D8T8', accessCode: 'ZZ99', amountToBeCovered: 8_000, currency: 'USD' }],
    }); // 22,000 GEL
    expect(checkDeclaredAmount(ctd, countries)).toEqual([]);
  });

  it('reports an understated amount at the first reference', () => {
    const ctd = sampleCtd();
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 40_000;
    expect(checkDeclaredAmount(ctd, countries)).toEqual([
      {
        code: 'GUARANTEE_AMOUNT_UNDERSTATED',
        pointer: '/guarantees/0/references/0/amountToBeCovered',
        message: 'amounts to be covered total 40000.00 GEL; duties and taxes due are 54639.75 GEL',
      },
    ]);
  });
});
