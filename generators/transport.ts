// Transport means and equipment of generated CTDs: road vehicle plates in each
// country's format, rail wagon numbers, ISO 6346 container numbers with their
// check digit, and seals.
import { checkDigit } from '../reference/domain/check-digit.ts';
import type { Random } from './random.ts';

/** Road registration plates, per country, in the national layout (ASCII where the plate has a Latin form). */
const plateFormats: Readonly<Record<string, (r: Random) => string>> = {
  KZ: (r) => `${r.digits(3)}${r.letters(3)}${String(r.between(1, 19)).padStart(2, '0')}`,
  UZ: (r) => `${String(r.between(1, 95)).padStart(2, '0')}${r.letters(1)}${r.digits(3)}${r.letters(2)}`,
  KG: (r) => `${String(r.between(1, 9)).padStart(2, '0')}KG${r.digits(3)}${r.letters(3)}`,
  AZ: (r) => `${String(r.between(10, 99))}-${r.letters(2)}-${r.digits(3)}`,
  GE: (r) => `${r.letters(2)}-${r.digits(3)}-${r.letters(2)}`,
  PK: (r) => `${r.letters(3)}-${r.digits(4)}`,
  TR: (r) => `${String(r.between(1, 81)).padStart(2, '0')} ${r.letters(r.between(1, 3))} ${r.digits(r.between(2, 4))}`,
  CN: (r) => `新${r.letters(1)}${r.digits(5)}`,
};

export function hasPlateFormat(country: string): boolean {
  return country in plateFormats;
}

export function plate(country: string, random: Random): string {
  const format = plateFormats[country];
  if (!format) throw new Error(`no plate format for ${country}`);
  return format(random);
}

/** An 8-digit wagon number of the 1520 mm network (the last digit a Luhn-style control digit). */
export function wagonNumber(random: Random): string {
  const body = String(random.between(5, 9)) + random.digits(6);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = (body.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** Owner prefixes (BIC codes with category U) of lessors and carriers seen on the corridor. */
const containerOwners = [
  'MSCU',
  'MAEU',
  'CMAU',
  'COSU',
  'HLXU',
  'TGHU',
  'CAIU',
  'TCNU',
  'OOLU',
  'TEMU',
  'SEGU',
  'BMOU',
  'FCIU',
  'TRHU',
  'CSNU',
];

/** An ISO 6346 container number with a correct check digit. */
export function containerNumber(random: Random): string {
  const body = random.pick(containerOwners) + random.digits(6);
  return body + String(checkDigit(body));
}

/** A customs seal identifier of the sealing country. */
export function sealIdentifier(country: string, random: Random): string {
  return `${country}${random.digits(7)}`;
}
