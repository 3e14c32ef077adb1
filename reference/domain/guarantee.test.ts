import { describe, expect, it } from 'vitest';
import { countries, countryByCode } from '../spec/reference-data/countries.ts';
import {
  amountDue,
  available,
  canReserve,
  chargeRate,
  checkDeclaredAmount,
  GuaranteeInsufficientError,
  guaranteeLevel,
  inCurrency,
  releaseReservation,
  reservationFor,
  reserve,
  type GuaranteeBalance,
} from './guarantee.ts';
import { sampleCtd } from './testing/sample-ctd.ts';

describe('amountDue', () => {
  it('charges the goods value at the highest duty + VAT of the itinerary, in the first guarantee currency', () => {
    // 74,000 USD = 203,500 GEL; GE 2 % + 18 % = 20 %, AZ 7.5 % + 18 % = 25.5 % → 25.5 %.
    expect(chargeRate(sampleCtd(), countries)).toBeCloseTo(0.255, 12);
    expect(amountDue(sampleCtd(), countries)).toEqual({ amount: 5_189_250, currency: 'GEL' });
    expect(amountDue(sampleCtd(), countryByCode)).toEqual({ amount: 5_189_250, currency: 'GEL' });
  });

  it('follows the itinerary: adding a dearer country raises the amount', () => {
    const ctd = sampleCtd();
    ctd.consignment.countriesOfRouting = ['GE', 'AZ', 'PK']; // PK 10 % + 18 % = 28 %
    expect(amountDue(ctd, countries).amount).toBe(5_698_000);
  });

  it('converts goods values in several currencies and rounds the result up to a whole minor unit', () => {
    const ctd = sampleCtd();
    ctd.guarantees[0]!.references[0]!.currency = 'USD';
    ctd.consignment.countriesOfRouting = ['GE'];
    ctd.consignment.goodsItems[0]!.value = { amount: 0.01, currency: 'USD' };
    ctd.consignment.goodsItems[1]!.value = { amount: 2.75, currency: 'GEL' };
    // 1 + 100 cents at 20 % = 20.2 cents → 21.
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
    // 1999 × 123,456.78 USD × 12,700 × (7.5 % + 12 %) in tiyin, computed with bigints.
    const value = 1999n * 12_345_678n * 12_700n;
    expect(BigInt(due.amount)).toBe((value * 195_000n + 999_999n) / 1_000_000n);
  });

  it('rejects a routing country missing from the table', () => {
    const ctd = sampleCtd();
    ctd.consignment.countriesOfRouting = ['GE', 'XX'];
    expect(() => amountDue(ctd, countries)).toThrow(/unknown country of routing XX/);
  });
});

describe('guaranteeLevel', () => {
  it('sets 100 / 50 / 25 % by risk class and AEO status', () => {
    expect(guaranteeLevel({ riskClass: 'high', aeo: false })).toBe(1);
    expect(guaranteeLevel({ riskClass: 'high', aeo: true })).toBe(1);
    expect(guaranteeLevel({ riskClass: 'medium', aeo: false })).toBe(1);
    expect(guaranteeLevel({ riskClass: 'medium', aeo: true })).toBe(0.5);
    expect(guaranteeLevel({ riskClass: 'low', aeo: false })).toBe(0.5);
    expect(guaranteeLevel({ riskClass: 'low', aeo: true })).toBe(0.25);
  });
});

describe('reservationFor', () => {
  it('reserves the amount due at the level, rounded up to a whole minor unit', () => {
    expect(reservationFor(1001, 1)).toBe(1001);
    expect(reservationFor(1001, 0.5)).toBe(501);
    expect(reservationFor(1001, 0.25)).toBe(251);
    expect(reservationFor(0, 0.25)).toBe(0);
  });
  it('refuses amounts that are not non-negative integers', () => {
    expect(() => reservationFor(10.5, 1)).toThrow(RangeError);
    expect(() => reservationFor(-1, 1)).toThrow(RangeError);
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
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 51_892.5 * 0.995;
    expect(checkDeclaredAmount(ctd, countries)).toEqual([]);
  });

  it('sums references across guarantees and currencies', () => {
    const ctd = sampleCtd();
    ctd.guarantees[0]!.references[0]!.amountToBeCovered = 30_000; // GEL
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
        message: 'amounts to be covered total 40000.00 GEL; duties and taxes due are 51892.50 GEL',
      },
    ]);
  });
});
