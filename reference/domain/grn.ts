// Guarantee Reference Number (an17, an24 with a voucher suffix) and its access code.
//   positions 1-2   last two digits of the year the guarantee was registered
//   positions 3-4   ISO country code of the office of guarantee
//   positions 5-16  unique part (see unique-part.ts)
//   position  17    check digit over positions 1-16 (check-digit.ts)
//   positions 18-24 optional voucher suffix for guarantee type 4: a letter and 6 digits
import { checkDigit } from './check-digit.ts';
import { roundKeys, sequenceFromUniquePart, uniquePartFromSequence } from './unique-part.ts';

export interface GrnAllocation {
  /** Calendar year, 2000-2099. */
  year: number;
  country: string;
  /** Per (year, country) sequence, 0 ≤ sequence < 36^12. */
  sequence: bigint;
}

const grnPattern = /^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}([0-9])([A-Z][0-9]{6})?$/;

/** The GRN for the `sequence`-th guarantee registered in `country` in `year`; distinct sequences give distinct GRNs. */
export function grnFromSequence({ year, country, sequence }: GrnAllocation): string {
  if (!Number.isInteger(year) || year < 2000 || year > 2099) throw new RangeError(`year ${year} outside 2000-2099`);
  if (!/^[A-Z]{2}$/.test(country))
    throw new RangeError(`country ${JSON.stringify(country)} is not an ISO alpha-2 code`);
  const body = String(year % 100).padStart(2, '0') + country + uniquePartFromSequence(sequence, grnKeys(year, country));
  return body + checkDigit(body);
}

// A key distinct from the MRN's so a GRN's unique part never mirrors an MRN's.
const grnKeys = (year: number, country: string) => roundKeys(`GRN/${year}/${country}`);

/** The allocation a valid GRN was made from (inverse of grnFromSequence), or undefined if it is not valid. */
export function allocationOfGrn(grn: string): GrnAllocation | undefined {
  if (!isValidGrn(grn)) return undefined;
  const year = 2000 + Number(grn.slice(0, 2));
  const country = grn.slice(2, 4);
  return { year, country, sequence: sequenceFromUniquePart(grn.slice(4, 16), grnKeys(year, country)) };
}

/** True for a GRN of this layout (with or without voucher suffix) whose check digit is right. */
export function isValidGrn(s: string): boolean {
  const m = grnPattern.exec(s);
  return m !== null && checkDigit(s.slice(0, 16)) === Number(m[1]);
}

const accessCodeAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A 4-character access code drawn from `random` (values in [0, 1), e.g.
 * Math.random or a seeded generator), upper case A-Z0-9.
 */
export function accessCodeFrom(random: () => number): string {
  let code = '';
  for (let i = 0; i < 4; i++) {
    const r = random();
    if (!(r >= 0 && r < 1)) throw new RangeError(`random() returned ${r}, outside [0, 1)`);
    code += accessCodeAlphabet[Math.floor(r * accessCodeAlphabet.length)];
  }
  return code;
}

export function isValidAccessCode(s: string): boolean {
  return /^[A-Za-z0-9]{4}$/.test(s);
}

/** Access codes compare case-insensitively (as HMRC's guarantee balance service does). */
export function accessCodesMatch(a: string, b: string): boolean {
  return isValidAccessCode(a) && a.toUpperCase() === b.toUpperCase();
}
