// Reference data as the domain rules receive it: either the arrays of
// reference/spec/reference-data or maps keyed by code, so a node can pass
// whatever it loaded (e.g. countryByCode, officeByReference).
import type { Country } from '../spec/reference-data/countries.ts';
import type { Office } from '../spec/reference-data/offices.ts';

export type CountryTable = readonly Country[] | ReadonlyMap<string, Country>;
export type OfficeTable = readonly Office[] | ReadonlyMap<string, Office>;

export function findCountry(code: string, countries: CountryTable): Country | undefined {
  return isMap(countries) ? countries.get(code) : countries.find((c) => c.code === code);
}

export function findOffice(referenceNumber: string, offices: OfficeTable): Office | undefined {
  return isMap(offices) ? offices.get(referenceNumber) : offices.find((o) => o.referenceNumber === referenceNumber);
}

export function allCountries(countries: CountryTable): Iterable<Country> {
  return isMap(countries) ? countries.values() : countries;
}

function isMap<T>(table: readonly T[] | ReadonlyMap<string, T>): table is ReadonlyMap<string, T> {
  return !Array.isArray(table);
}
