import { describe, expect, it } from 'vitest';
import { checkDigit } from './check-digit.ts';
import {
  accessCodeFrom,
  accessCodesMatch,
  allocationOfGrn,
  grnFromSequence,
  isValidAccessCode,
  isValidGrn,
} from './grn.ts';
import { isValidMrn, mrnFromSequence } from './mrn.ts';

describe('grnFromSequence / isValidGrn', () => {
  it('lays out year, country, 12-char unique part and check digit', () => {
    const grn = grnFromSequence({ year: 2026, country: 'GE', sequence: 7n });
    expect(grn).toMatch(/^26GE[A-Z0-9]{12}[0-9]$/);
    expect(grn).toHaveLength(17);
    expect(Number(grn[16])).toBe(checkDigit(grn.slice(0, 16)));
    expect(isValidGrn(grn)).toBe(true);
  });

  it('allocates distinct GRNs for distinct sequences, unrelated to the MRN of the same sequence', () => {
    const grns = new Set<string>();
    for (let i = 0n; i < 10_000n; i++) grns.add(grnFromSequence({ year: 2026, country: 'AZ', sequence: i }));
    expect(grns.size).toBe(10_000);
    const mrn = mrnFromSequence({ year: 2026, country: 'AZ', security: 0, sequence: 5n });
    expect(grnFromSequence({ year: 2026, country: 'AZ', sequence: 5n }).slice(4, 16)).not.toBe(mrn.slice(4, 16));
  });

  it('accepts a voucher suffix and rejects wrong check digits and layouts', () => {
    const grn = grnFromSequence({ year: 2026, country: 'KZ', sequence: 99n });
    expect(isValidGrn(grn + 'A123456')).toBe(true);
    const wrong = grn.slice(0, 16) + ((Number(grn[16]) + 1) % 10);
    expect(isValidGrn(wrong)).toBe(false);
    expect(isValidGrn(grn + 'A12345')).toBe(false);
    expect(isValidGrn(grn.toLowerCase())).toBe(false);
    expect(isValidGrn(grn.slice(0, 16))).toBe(false);
    // An MRN is not a GRN.
    expect(isValidGrn(mrnFromSequence({ year: 2026, country: 'KZ', security: 0, sequence: 99n }))).toBe(false);
    expect(isValidMrn(grn)).toBe(false);
  });

  it('rejects out-of-range input', () => {
    expect(() => grnFromSequence({ year: 2026, country: 'GE', sequence: -1n })).toThrow(RangeError);
    expect(() => grnFromSequence({ year: 2100, country: 'GE', sequence: 1n })).toThrow(RangeError);
    expect(() => grnFromSequence({ year: 2026, country: 'GEO', sequence: 1n })).toThrow(RangeError);
  });
});

describe('access codes', () => {
  it('draws 4 upper-case alphanumerics from the given random source', () => {
    let x = 0;
    const stepping = () => (x = (x + 0.37) % 1);
    const code = accessCodeFrom(stepping);
    expect(code).toMatch(/^[A-Z0-9]{4}$/);
    expect(isValidAccessCode(code)).toBe(true);
    expect(accessCodeFrom(() => 0)).toBe('AAAA');
    expect(accessCodeFrom(() => 0.999999)).toBe('9999');
  });

  it('rejects a random source outside [0, 1)', () => {
    expect(() => accessCodeFrom(() => 1)).toThrow(RangeError);
    expect(() => accessCodeFrom(() => Number.NaN)).toThrow(RangeError);
  });

  it('validates the 4-character alphanumeric format and compares case-insensitively', () => {
    expect(isValidAccessCode('ab1Z')).toBe(true);
    expect(isValidAccessCode('ab1')).toBe(false);
    expect(isValidAccessCode('ab1-')).toBe(false);
    expect(accessCodesMatch('ab1Z', 'AB1z')).toBe(true);
    expect(accessCodesMatch('ab1Z', 'AB2z')).toBe(false);
    expect(accessCodesMatch('', '')).toBe(false);
  });
});

describe('allocationOfGrn', () => {
  it('gives back the year, country and sequence a GRN was allocated from', () => {
    for (const sequence of [0n, 1n, 3n, 900_000n, 1n << 61n]) {
      const grn = grnFromSequence({ year: 2026, country: 'AZ', sequence });
      expect(allocationOfGrn(grn)).toEqual({ year: 2026, country: 'AZ', sequence });
    }
  });

  it('has no allocation for a GRN whose check digit is wrong', () => {
    const grn = grnFromSequence({ year: 2026, country: 'GE', sequence: 7n });
    const wrong = grn.slice(0, 16) + String((Number(grn[16]) + 1) % 10);
    expect(allocationOfGrn(wrong)).toBeUndefined();
  });
});
