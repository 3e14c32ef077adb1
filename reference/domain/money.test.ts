import { describe, expect, it } from 'vitest';
import { countries, countryByCode } from '../spec/reference-data/countries.ts';
import { convertMinor, convertToMinor, isKnownCurrency, toMinorUnits, toUsd, unitsPerUsd } from './money.ts';

describe('money', () => {
  it('turns decimal amounts into integer minor units without float drift', () => {
    expect(toMinorUnits(0.1 + 0.2)).toBe(30);
    expect(toMinorUnits(1.005)).toBe(100); // 1.005 is 1.00499… in binary; it rounds to the nearest representable cent
    expect(toMinorUnits(19.995)).toBe(2000);
    expect(toMinorUnits(-2.5)).toBe(-250);
    expect(() => toMinorUnits(1e15)).toThrow(RangeError);
  });

  it('takes rates from the country table, USD by definition and EUR from a country using it', () => {
    expect(unitsPerUsd('USD', countries)).toBe(1);
    expect(unitsPerUsd('GEL', countries)).toBe(2.75);
    expect(unitsPerUsd('EUR', countryByCode)).toBe(0.88);
    expect(unitsPerUsd('JPY', countries)).toBeUndefined();
    expect(isKnownCurrency('KZT', countryByCode)).toBe(true);
    expect(isKnownCurrency('XXX', countries)).toBe(false);
  });

  it('converts between currencies through the dollar', () => {
    expect(convertToMinor(100, 'USD', 'GEL', countries)).toBe(27_500);
    expect(convertToMinor(275, 'GEL', 'AZN', countries)).toBe(17_000);
    expect(convertMinor(27_500, 'GEL', 'USD', countries)).toBe(10_000);
    expect(convertMinor(1, 'USD', 'UZS', countries)).toBe(12_700); // 1 cent = 127 sum
    expect(convertMinor(1, 'UZS', 'USD', countries)).toBe(0);
    expect(convertMinor(1, 'UZS', 'USD', countries, 'up')).toBe(1);
    expect(toUsd(515, 'KZT', countries)).toBe(1);
    expect(() => convertToMinor(1, 'USD', 'JPY', countries)).toThrow(/unknown currency JPY/);
  });
});
