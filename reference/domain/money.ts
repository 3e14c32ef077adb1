// Money of the guarantee calculus: integer minor units, so sums and
// reservations never drift. Every currency of the reference data has two
// decimals (ISO 4217 exponent 2). Exchange rates come from the country
// reference data (national units per US dollar); USD is 1 by definition and
// EUR takes the rate of a country that uses it.
import { allCountries, type CountryTable } from './reference-tables.ts';

export const MINOR_UNITS_PER_UNIT = 100;

/** Units of `currency` per US dollar, or undefined for a currency of no known country. */
export function unitsPerUsd(currency: string, countries: CountryTable): number | undefined {
  if (currency === 'USD') return 1;
  for (const c of allCountries(countries)) if (c.currency === currency) return c.unitsPerUsd;
  return undefined;
}

export function isKnownCurrency(currency: string, countries: CountryTable): boolean {
  return unitsPerUsd(currency, countries) !== undefined;
}

function rate(currency: string, countries: CountryTable): number {
  const r = unitsPerUsd(currency, countries);
  if (r === undefined) throw new RangeError(`unknown currency ${currency}`);
  return r;
}

/** A decimal amount (as in a CTD) in integer minor units, rounded half away from zero. */
export function toMinorUnits(amount: number): number {
  const minor = Math.sign(amount) * Math.round(Math.abs(amount) * MINOR_UNITS_PER_UNIT);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${amount} too large for exact minor units`);
  return minor;
}

/** Converts a decimal amount into integer minor units of another currency, rounding to the nearest minor unit. */
export function convertToMinor(amount: number, from: string, to: string, countries: CountryTable): number {
  return toMinorUnits(from === to ? amount : (amount * rate(to, countries)) / rate(from, countries));
}

/** Converts integer minor units between currencies, to the nearest minor unit or (`up`) the next one. */
export function convertMinor(
  minor: number,
  from: string,
  to: string,
  countries: CountryTable,
  rounding: 'nearest' | 'up' = 'nearest',
): number {
  if (from === to) return minor;
  const exact = (minor * rate(to, countries)) / rate(from, countries);
  const converted = rounding === 'up' ? Math.ceil(exact) : Math.round(exact);
  if (!Number.isSafeInteger(converted)) throw new RangeError(`amount ${minor} ${from} too large in ${to}`);
  return converted;
}

/** A decimal amount in US dollars (for thresholds such as the risk rules'). */
export function toUsd(amount: number, currency: string, countries: CountryTable): number {
  return amount / rate(currency, countries);
}
