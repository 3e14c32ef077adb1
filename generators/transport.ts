// Transport means and equipment of generated CTDs: road vehicle plates in each
// country's format, rail wagon numbers, ISO 6346 container numbers with their
// check digit, and seals.
import { checkDigit } from '../reference/domain/check-digit.ts';
import { WeightedChoice, type Random } from './random.ts';

/**
 * Uzbek plate region codes since 2008: each region owns a block of codes and
 * issues its first code until the series runs out, then the next ones
 * (Wikipedia, "Vehicle registration plates of Uzbekistan"). Weight: the
 * region's share of freight carriers [E], Tashkent city and region first.
 */
export const uzbekPlateRegions: readonly { region: string; codes: readonly [number, number]; weight: number }[] = [
  { region: 'Tashkent city', codes: [1, 9], weight: 24 },
  { region: 'Tashkent region', codes: [10, 19], weight: 14 },
  { region: 'Sirdaryo', codes: [20, 24], weight: 3 },
  { region: 'Jizzakh', codes: [25, 29], weight: 3 },
  { region: 'Samarkand', codes: [30, 39], weight: 9 },
  { region: 'Fergana', codes: [40, 49], weight: 8 },
  { region: 'Namangan', codes: [50, 59], weight: 6 },
  { region: 'Andijan', codes: [60, 69], weight: 7 },
  { region: 'Kashkadarya', codes: [70, 74], weight: 6 },
  { region: 'Surkhandarya', codes: [75, 79], weight: 5 },
  { region: 'Bukhara', codes: [80, 84], weight: 5 },
  { region: 'Navoi', codes: [85, 89], weight: 4 },
  { region: 'Khorezm', codes: [90, 94], weight: 4 },
  { region: 'Karakalpakstan', codes: [95, 99], weight: 2 },
];
const uzbekRegionChoice = new WeightedChoice(
  uzbekPlateRegions,
  uzbekPlateRegions.map((r) => r.weight),
);

/** Most plates carry the region's first code; later codes of its block are rarer [E]. */
function uzbekRegionCode(r: Random): string {
  const { codes } = uzbekRegionChoice.draw(r);
  const code = r.chance(0.8) ? codes[0] : r.between(codes[0] + 1, codes[1]);
  return String(code).padStart(2, '0');
}

/** Road registration plates, per country, in the national layout (ASCII where the plate has a Latin form). */
const plateFormats: Readonly<Record<string, (r: Random) => string>> = {
  KZ: (r) => `${r.digits(3)}${r.letters(3)}${String(r.between(1, 19)).padStart(2, '0')}`,
  // Company vehicles: region, three digits, three letters; owner-drivers' private plates: region, letter, three digits, two letters.
  UZ: (r) =>
    r.chance(0.75)
      ? `${uzbekRegionCode(r)}${r.digits(3)}${r.letters(3)}`
      : `${uzbekRegionCode(r)}${r.letters(1)}${r.digits(3)}${r.letters(2)}`,
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

/** A train number of the national railway (4 digits). */
export function trainNumber(random: Random): string {
  return random.digits(4);
}

/**
 * Caspian ro-ro and rail ferries on the Alat–Aktau/Kuryk and Alat–Turkmenbashi
 * lines: ASCO (Azerbaijan) and KTZ Express (Kazakhstan) fleets [E].
 */
export const ferries: readonly { name: string; flag: string }[] = [
  { name: 'BARDA', flag: 'AZ' },
  { name: 'BALAKAN', flag: 'AZ' },
  { name: 'ZAQATALA', flag: 'AZ' },
  { name: 'PROFESSOR GUL', flag: 'AZ' },
  { name: 'AKADEMIK TOPCHUBASHOV', flag: 'AZ' },
  { name: 'NAKHCHIVAN', flag: 'AZ' },
  { name: 'SHAHDAG', flag: 'AZ' },
  { name: 'ABSHERON', flag: 'AZ' },
  { name: 'TURKISTAN', flag: 'KZ' },
  { name: 'AKTOBE', flag: 'KZ' },
];
