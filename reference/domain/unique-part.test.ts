import { describe, expect, it } from 'vitest';
import { roundKeys, sequenceFromUniquePart, UNIQUE_PART_CAPACITY, uniquePartFromSequence } from './unique-part.ts';

const keys = roundKeys('MRN/2026/GE');

describe('unique part', () => {
  it('spans exactly the 36^12 base-36 strings', () => {
    expect(UNIQUE_PART_CAPACITY).toBe(4_738_381_338_321_616_896n);
    expect(uniquePartFromSequence(0n, keys)).toMatch(/^[0-9A-Z]{12}$/);
    expect(uniquePartFromSequence(UNIQUE_PART_CAPACITY - 1n, keys)).toMatch(/^[0-9A-Z]{12}$/);
    expect(() => uniquePartFromSequence(UNIQUE_PART_CAPACITY, keys)).toThrow(RangeError);
  });

  it('inverts, also for strings it was never asked to produce', () => {
    for (const unique of ['000000000000', 'ZZZZZZZZZZZZ', '000246J8NY33', 'HELLOWORLD42']) {
      const sequence = sequenceFromUniquePart(unique, keys);
      expect(sequence >= 0n && sequence < UNIQUE_PART_CAPACITY).toBe(true);
      expect(uniquePartFromSequence(sequence, keys)).toBe(unique);
    }
  });

  it('depends on the key label', () => {
    expect(roundKeys('MRN/2026/GE')).toEqual(keys);
    expect(roundKeys('MRN/2026/AZ')).not.toEqual(keys);
    expect(uniquePartFromSequence(1n, roundKeys('GRN/2026/GE'))).not.toBe(uniquePartFromSequence(1n, keys));
  });

  it('spreads consecutive sequences over the whole alphabet in every position', () => {
    const seen = Array.from({ length: 12 }, () => new Set<string>());
    for (let i = 0n; i < 5000n; i++) {
      const unique = uniquePartFromSequence(i, keys);
      for (let p = 0; p < 12; p++) seen[p]!.add(unique[p]!);
    }
    for (const chars of seen) expect(chars.size).toBe(36);
  });

  it('rejects malformed unique parts', () => {
    expect(() => sequenceFromUniquePart('abc', keys)).toThrow(RangeError);
    expect(() => sequenceFromUniquePart('00000000000a', keys)).toThrow(RangeError);
  });
});
