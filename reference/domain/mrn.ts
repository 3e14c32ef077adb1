// Movement Reference Number in the NCTS phase 5 layout (an18):
//   positions 1-2   last two digits of the year of acceptance
//   positions 3-4   ISO country code of the office of departure
//   positions 5-16  unique part (see unique-part.ts)
//   position  17    procedure category J/K/L/M from the security indicator
//   position  18    check digit over positions 1-17 (check-digit.ts)
import { checkDigit } from './check-digit.ts';
import { roundKeys, sequenceFromUniquePart, uniquePartFromSequence } from './unique-part.ts';

export type ProcedureLetter = 'J' | 'K' | 'L' | 'M';
export type SecurityIndicator = 0 | 1 | 2 | 3;

const procedureBySecurity: Readonly<Record<SecurityIndicator, ProcedureLetter>> = {
  0: 'J', // transit only
  1: 'L', // transit + entry summary declaration
  2: 'K', // transit + exit summary declaration
  3: 'M', // transit + entry and exit summary declarations
};

/** Procedure category letter (MRN position 17) for a CTD's security indicator. */
export function procedureLetter(security: SecurityIndicator): ProcedureLetter {
  const letter = procedureBySecurity[security];
  if (!letter) throw new RangeError(`security indicator ${String(security)} is not 0, 1, 2 or 3`);
  return letter;
}

export interface MrnAllocation {
  /** Calendar year of acceptance, 2000-2099. */
  year: number;
  /** ISO country code of the office of departure. */
  country: string;
  security: number;
  /** Per (year, country) sequence, 0 ≤ sequence < 36^12. */
  sequence: bigint;
}

export interface ParsedMrn {
  /** Calendar year, 2000 + the two leading digits. */
  year: number;
  country: string;
  unique: string;
  procedure: ProcedureLetter;
  checkDigit: number;
}

const mrnPattern = /^([0-9]{2})([A-Z]{2})([A-Z0-9]{12})([J-M])([0-9])$/;
const keyCache = new Map<string, readonly number[]>();

function keysFor(year: number, country: string): readonly number[] {
  const label = `MRN/${year}/${country}`;
  let keys = keyCache.get(label);
  if (!keys) {
    keys = roundKeys(label);
    keyCache.set(label, keys);
  }
  return keys;
}

function checkYearAndCountry(year: number, country: string): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2099) throw new RangeError(`year ${year} outside 2000-2099`);
  if (!/^[A-Z]{2}$/.test(country))
    throw new RangeError(`country ${JSON.stringify(country)} is not an ISO alpha-2 code`);
}

/**
 * The MRN for the `sequence`-th movement accepted in `country` in `year`.
 * Distinct sequences give distinct MRNs; consecutive ones do not look consecutive.
 */
export function mrnFromSequence({ year, country, security, sequence }: MrnAllocation): string {
  checkYearAndCountry(year, country);
  const body =
    String(year % 100).padStart(2, '0') +
    country +
    uniquePartFromSequence(sequence, keysFor(year, country)) +
    procedureLetter(security as SecurityIndicator);
  return body + checkDigit(body);
}

/** The sequence an MRN of this layout was allocated from (inverse of mrnFromSequence), or undefined if invalid. */
export function sequenceFromMrn(mrn: string): bigint | undefined {
  const parsed = parseMrn(mrn);
  return parsed && sequenceFromUniquePart(parsed.unique, keysFor(parsed.year, parsed.country));
}

/**
 * Parses any MRN of the phase 5 layout with a correct check digit, whoever
 * allocated it. Years 00-99 are accepted: published examples use years before
 * phase 5's own lower bound of 24.
 */
export function parseMrn(s: string): ParsedMrn | undefined {
  const m = mrnPattern.exec(s);
  if (!m) return undefined;
  const digit = Number(m[5]);
  if (checkDigit(s.slice(0, 17)) !== digit) return undefined;
  return {
    year: 2000 + Number(m[1]),
    country: m[2]!,
    unique: m[3]!,
    procedure: m[4] as ProcedureLetter,
    checkDigit: digit,
  };
}

export function isValidMrn(s: string): boolean {
  return parseMrn(s) !== undefined;
}
