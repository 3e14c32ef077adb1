import { describe, expect, it } from 'vitest';
import { isValidMrn, mrnFromSequence, parseMrn, procedureLetter, sequenceFromMrn } from './mrn.ts';

describe('procedureLetter', () => {
  it('maps the security indicator to the procedure category', () => {
    expect([0, 1, 2, 3].map((s) => procedureLetter(s as 0 | 1 | 2 | 3))).toEqual(['J', 'L', 'K', 'M']);
  });
  it('rejects other indicators', () => {
    expect(() => procedureLetter(4 as 0)).toThrow(RangeError);
  });
});

describe('mrnFromSequence', () => {
  it('lays out year, country, 12-char unique part, procedure letter and check digit', () => {
    const mrn = mrnFromSequence({ year: 2026, country: 'GE', security: 2, sequence: 0n });
    expect(mrn).toMatch(/^26GE[A-Z0-9]{12}K[0-9]$/);
    expect(mrn).toMatch(/^([2][4-9]|[3-9][0-9])[A-Z]{2}[A-Z0-9]{12}[J-M][0-9]$/); // NCTS-P5_MRNType
    expect(isValidMrn(mrn)).toBe(true);
  });

  it('is deterministic and different per country and per year', () => {
    const a = mrnFromSequence({ year: 2026, country: 'GE', security: 0, sequence: 42n });
    expect(mrnFromSequence({ year: 2026, country: 'GE', security: 0, sequence: 42n })).toBe(a);
    expect(mrnFromSequence({ year: 2026, country: 'AZ', security: 0, sequence: 42n }).slice(4, 16)).not.toBe(
      a.slice(4, 16),
    );
    expect(mrnFromSequence({ year: 2027, country: 'GE', security: 0, sequence: 42n }).slice(4, 16)).not.toBe(
      a.slice(4, 16),
    );
  });

  it('does not make consecutive sequences look consecutive', () => {
    const uniques = [0n, 1n, 2n, 3n].map((sequence) =>
      mrnFromSequence({ year: 2026, country: 'KZ', security: 0, sequence }).slice(4, 16),
    );
    for (let i = 1; i < uniques.length; i++) {
      // No shared 6-character half: the halves are mixed through each other.
      expect(uniques[i]!.slice(0, 6)).not.toBe(uniques[i - 1]!.slice(0, 6));
      expect(uniques[i]!.slice(6)).not.toBe(uniques[i - 1]!.slice(6));
    }
  });

  it('round-trips through sequenceFromMrn over the whole sequence range', () => {
    const samples = [0n, 1n, 35n, 36n ** 6n - 1n, 36n ** 6n, 123_456_789_012_345n, 36n ** 12n - 1n];
    for (let i = 0; i < 1000; i++) samples.push((BigInt(i) * 4_611_686_018_427_387_903n) % 36n ** 12n);
    for (const sequence of samples) {
      const mrn = mrnFromSequence({ year: 2031, country: 'UZ', security: 3, sequence });
      expect(sequenceFromMrn(mrn)).toBe(sequence);
    }
  });

  it('rejects a sequence, year, country or security indicator out of range', () => {
    expect(() => mrnFromSequence({ year: 2026, country: 'GE', security: 0, sequence: -1n })).toThrow(RangeError);
    expect(() => mrnFromSequence({ year: 2026, country: 'GE', security: 0, sequence: 36n ** 12n })).toThrow(RangeError);
    expect(() => mrnFromSequence({ year: 1999, country: 'GE', security: 0, sequence: 1n })).toThrow(RangeError);
    expect(() => mrnFromSequence({ year: 2026, country: 'Ge', security: 0, sequence: 1n })).toThrow(RangeError);
    expect(() => mrnFromSequence({ year: 2026, country: 'GE', security: 5, sequence: 1n })).toThrow(RangeError);
  });

  it('allocates 1,000,000 unique MRNs that all validate', () => {
    const seen = new Set<string>();
    // Two interleaved ranges: the start of the space and a run far into it.
    for (let i = 0; i < 1_000_000; i++) {
      const sequence = i % 2 === 0 ? BigInt(i >> 1) : 4_000_000_000_000_000_000n + BigInt(i >> 1);
      const mrn = mrnFromSequence({ year: 2026, country: 'GE', security: i % 4, sequence });
      // The procedure letter differs with security, so uniqueness must come from the unique part.
      const unique = mrn.slice(4, 16);
      if (seen.has(unique)) throw new Error(`duplicate unique part ${unique} at ${i}`);
      seen.add(unique);
      if (!isValidMrn(mrn)) throw new Error(`invalid MRN ${mrn} at ${i}`);
    }
    expect(seen.size).toBe(1_000_000);
  });
});

describe('parseMrn / isValidMrn', () => {
  it('parses HMRC published MRNs', () => {
    expect(parseMrn('24GB000246J8NY33L7')).toEqual({
      year: 2024,
      country: 'GB',
      unique: '000246J8NY33',
      procedure: 'L',
      checkDigit: 7,
    });
    expect(parseMrn('23GB000246IF9W5YJ0')).toEqual({
      year: 2023,
      country: 'GB',
      unique: '000246IF9W5Y',
      procedure: 'J',
      checkDigit: 0,
    });
  });

  it('rejects a wrong check digit', () => {
    expect(isValidMrn('24GB000246J8NY33L8')).toBe(false);
    expect(isValidMrn('23GB000246IF9W5YJ1')).toBe(false);
  });

  it('rejects a wrong layout', () => {
    for (const s of [
      '',
      '24GB000246J8NY33L', // too short
      '24GB000246J8NY33L70', // too long
      '24gb000246J8NY33L7', // lower case
      '24GB000246J8NY33A7', // procedure letter outside J-M
      'X4GB000246J8NY33L7', // year not numeric
      '24GB000246J8NY33L7'.replace('G', '1'), // country not letters
      '24GB000246J8NY3-L7',
    ]) {
      expect(isValidMrn(s), s).toBe(false);
    }
    expect(sequenceFromMrn('24GB000246J8NY33L8')).toBeUndefined();
  });
});
