import { describe, expect, it } from 'vitest';
import { checkDigit, isValidContainerNumber } from './check-digit.ts';

describe('checkDigit', () => {
  it('reproduces the check digits of the MRNs in HMRC published IE029 examples', () => {
    expect(checkDigit('23GB000246IF9W5YJ')).toBe(0);
    expect(checkDigit('24GB000246J8NY33L')).toBe(7);
  });

  it('reproduces the ISO 6346 check digits of known container numbers', () => {
    expect(checkDigit('CSQU305438')).toBe(3);
    expect(checkDigit('MSKU907032')).toBe(3);
  });

  it('maps letters skipping multiples of 11 (A=10, B=12, K=21, L=23, U=32, V=34, Z=38)', () => {
    // One character has weight 2^0, so its check digit is its value mod 11.
    const values: Record<string, number> = { B: 12, K: 21, L: 23, U: 32, V: 34, Z: 38 };
    for (const [c, v] of Object.entries(values)) expect(checkDigit(c), c).toBe(v % 11 === 10 ? 0 : v % 11);
    expect(checkDigit('0U')).toBe((32 * 2) % 11); // U=32 alone would give remainder 10
    // Position weights are powers of two: "01" = 1 * 2^1, "001" = 1 * 2^2.
    expect(checkDigit('01')).toBe(2);
    expect(checkDigit('001')).toBe(4);
  });

  it('maps a remainder of 10 to 0', () => {
    expect(checkDigit('A')).toBe(0); // 10
    expect(checkDigit('05')).toBe(0); // 5 * 2
    expect(checkDigit('9')).toBe(9);
  });

  it('changes when any one digit of an MRN body is replaced by another digit', () => {
    const body = '24GB000246J8NY33L';
    for (let i = 0; i < body.length; i++) {
      for (const c of '0123456789') {
        if (c === body[i] || !/[0-9]/.test(body[i]!)) continue;
        expect(checkDigit(body.slice(0, i) + c + body.slice(i + 1)), `${c} at ${i}`).not.toBe(7);
      }
    }
  });

  it('rejects characters outside 0-9A-Z with a RangeError', () => {
    expect(() => checkDigit('24gb')).toThrow(RangeError);
    expect(() => checkDigit('24 GB')).toThrow(RangeError);
  });
});

describe('isValidContainerNumber', () => {
  it('accepts container numbers with a correct check digit', () => {
    expect(isValidContainerNumber('CSQU3054383')).toBe(true);
    expect(isValidContainerNumber('MSKU9070323')).toBe(true);
  });

  it('rejects a wrong check digit or a malformed number', () => {
    expect(isValidContainerNumber('CSQU3054384')).toBe(false);
    expect(isValidContainerNumber('CSQX3054383')).toBe(false);
    expect(isValidContainerNumber('csqu3054383')).toBe(false);
    expect(isValidContainerNumber('CSQU305438')).toBe(false);
  });
});
