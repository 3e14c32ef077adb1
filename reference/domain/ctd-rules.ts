// Functional rules on a CTD that has passed schema validation: what a schema
// cannot say because it needs reference data or relates fields to each other.
// Each broken rule gives one FunctionalError with a JSON pointer into the CTD
// (offices and itinerary first, then guarantees, equipment and goods items);
// an empty list means the CTD is acceptable.
import type { Ctd } from '../spec/ctd.ts';
import type { FunctionalError } from '../spec/errors.ts';
import { HS_EDITION, withdrawnInHs2022 } from '../spec/reference-data/hs-withdrawn.ts';
import type { OfficeRole } from '../spec/reference-data/offices.ts';
import { isValidContainerNumber } from './check-digit.ts';
import { isKnownCurrency, toUsd } from './money.ts';
import { findCountry, findOffice, type CountryTable, type OfficeTable } from './reference-tables.ts';

export interface CtdContext {
  /** ISO code of the country whose node receives the CTD. */
  nodeCountry: string;
  offices: OfficeTable;
  countries: CountryTable;
}

/** Items' gross mass may exceed the consignment's by 0.5 % or 1 kg, whichever is more (rounding of declared masses). */
export const MASS_TOLERANCE = { fraction: 0.005, kg: 1 } as const;

const roleNames: Record<OfficeRole, string> = { DEP: 'departure', TRA: 'transit', DES: 'destination' };

/**
 * Goods value and amounts to be covered, each summed over the CTD, may not
 * exceed 1,000,000,000 USD: far beyond any real transit (a TIR carnet covers
 * EUR 100,000), and low enough that every amount stays an exact integer of
 * minor units in every reference currency.
 */
export const MAX_TOTAL_USD = 1e9;

/** HS chapters 01-97; chapter 77 is reserved for future use. */
export function isValidHsChapter(hsCode: string): boolean {
  const chapter = Number(hsCode.slice(0, 2));
  return /^[0-9]{2}/.test(hsCode) && chapter >= 1 && chapter <= 97 && chapter !== 77;
}

export function checkCtd(ctd: Ctd, context: CtdContext): FunctionalError[] {
  const errors: FunctionalError[] = [];
  const add = (code: FunctionalError['code'], pointer: string, message: string) =>
    errors.push({ code, pointer, message });
  const { offices, countries } = context;

  // Offices: known, able to act in their declared role, departure in this node's country.
  const officeCountry = (reference: string, role: OfficeRole, pointer: string): string | undefined => {
    const office = findOffice(reference, offices);
    if (!office) {
      add('UNKNOWN_OFFICE', pointer, `customs office ${reference} is not in the office list`);
      return undefined;
    }
    if (!office.roles.includes(role)) {
      add('OFFICE_ROLE_MISMATCH', pointer, `${reference} (${office.name}) cannot act as office of ${roleNames[role]}`);
    }
    return office.country;
  };
  const departureCountry = officeCountry(ctd.offices.departure, 'DEP', '/offices/departure');
  if (departureCountry !== undefined && departureCountry !== context.nodeCountry) {
    add(
      'OFFICE_ROLE_MISMATCH',
      '/offices/departure',
      `office of departure ${ctd.offices.departure} is in ${departureCountry}, not in ${context.nodeCountry}`,
    );
  }
  const transitCountries = ctd.offices.transit.map((reference, i) =>
    officeCountry(reference, 'TRA', `/offices/transit/${i}`),
  );
  const destinationCountry = officeCountry(ctd.offices.destination, 'DES', '/offices/destination');

  // Itinerary: known countries, from departure's country to destination's,
  // passing each office of transit's country in declared order.
  const routing = ctd.consignment.countriesOfRouting;
  routing.forEach((code, i) => {
    if (!findCountry(code, countries))
      add('UNKNOWN_COUNTRY', `/consignment/countriesOfRouting/${i}`, `country ${code} is not in the country list`);
  });
  if (departureCountry !== undefined && routing[0] !== departureCountry) {
    add(
      'ITINERARY_MISMATCH',
      '/consignment/countriesOfRouting/0',
      `itinerary starts in ${routing[0]}, office of departure is in ${departureCountry}`,
    );
  }
  const last = routing.length - 1;
  if (destinationCountry !== undefined && routing[last] !== destinationCountry) {
    add(
      'ITINERARY_MISMATCH',
      `/consignment/countriesOfRouting/${last}`,
      `itinerary ends in ${routing[last]}, office of destination is in ${destinationCountry}`,
    );
  }
  const seenTransit = new Set<string>();
  let position = 0;
  ctd.offices.transit.forEach((reference, i) => {
    if (seenTransit.has(reference)) {
      add('ITINERARY_MISMATCH', `/offices/transit/${i}`, `office of transit ${reference} is declared twice`);
      return;
    }
    seenTransit.add(reference);
    const country = transitCountries[i];
    if (country === undefined) return;
    const found = routing.indexOf(country, position);
    if (found < 0) {
      const where = routing.includes(country) ? 'out of order in' : 'not in';
      add(
        'ITINERARY_MISMATCH',
        `/offices/transit/${i}`,
        `office of transit ${reference} is in ${country}, ${where} the itinerary ${routing.join('-')}`,
      );
    } else {
      position = found;
      // Entering a customs union member from another member crosses no customs border (EAEU: KZ, KG).
      const union = findCountry(country, countries)?.customsUnion;
      const previous = found > 0 ? findCountry(routing[found - 1]!, countries) : undefined;
      if (union !== undefined && previous?.customsUnion === union) {
        add(
          'TRANSIT_AT_INTERNAL_BORDER',
          `/offices/transit/${i}`,
          `office of transit ${reference} is at the ${previous.code}-${country} border inside the ${union} customs territory`,
        );
      }
    }
  });

  const consignment = ctd.consignment;
  for (const field of ['countryOfDispatch', 'countryOfDestination'] as const) {
    if (!findCountry(consignment[field], countries))
      add('UNKNOWN_COUNTRY', `/consignment/${field}`, `country ${consignment[field]} is not in the country list`);
  }

  let coveredUsd = 0;
  ctd.guarantees.forEach((guarantee, g) =>
    guarantee.references.forEach((ref, r) => {
      if (!isKnownCurrency(ref.currency, countries)) {
        add(
          'UNKNOWN_CURRENCY',
          `/guarantees/${g}/references/${r}/currency`,
          `currency ${ref.currency} is not that of any country in the country list`,
        );
      } else {
        coveredUsd += toUsd(ref.amountToBeCovered, ref.currency, countries);
      }
    }),
  );
  if (coveredUsd > MAX_TOTAL_USD) {
    add(
      'AMOUNT_OUT_OF_RANGE',
      '/guarantees',
      `amounts to be covered total ${Math.round(coveredUsd)} USD, more than ${MAX_TOTAL_USD}`,
    );
  }

  consignment.transportEquipment.forEach((equipment, i) => {
    const number = equipment.containerIdentificationNumber;
    if (number !== undefined && !isValidContainerNumber(number)) {
      add(
        'INVALID_CONTAINER_NUMBER',
        `/consignment/transportEquipment/${i}/containerIdentificationNumber`,
        `${number} fails the ISO 6346 check digit`,
      );
    }
  });

  let itemsGross = 0;
  let valueUsd = 0;
  consignment.goodsItems.forEach((item, i) => {
    const at = `/consignment/goodsItems/${i}`;
    if (!isValidHsChapter(item.hsCode))
      add('INVALID_HS_CODE', `${at}/hsCode`, `${item.hsCode} is not in an HS chapter (01-97, not 77)`);
    else if (withdrawnInHs2022.has(item.hsCode.slice(0, 6)))
      add(
        'INVALID_HS_CODE',
        `${at}/hsCode`,
        `${item.hsCode} is no HS ${HS_EDITION} subheading: use ${withdrawnInHs2022.get(item.hsCode.slice(0, 6))}`,
      );
    if (item.netMass > item.grossMass)
      add('MASS_INCONSISTENT', `${at}/netMass`, `net mass ${item.netMass} kg exceeds gross mass ${item.grossMass} kg`);
    if (!isKnownCurrency(item.value.currency, countries)) {
      add(
        'UNKNOWN_CURRENCY',
        `${at}/value/currency`,
        `currency ${item.value.currency} is not that of any country in the country list`,
      );
    } else {
      valueUsd += toUsd(item.value.amount, item.value.currency, countries);
    }
    itemsGross += item.grossMass;
  });
  if (valueUsd > MAX_TOTAL_USD) {
    add(
      'AMOUNT_OUT_OF_RANGE',
      '/consignment/goodsItems',
      `goods value totals ${Math.round(valueUsd)} USD, more than ${MAX_TOTAL_USD}`,
    );
  }
  const allowed = consignment.grossMass + Math.max(consignment.grossMass * MASS_TOLERANCE.fraction, MASS_TOLERANCE.kg);
  if (itemsGross > allowed) {
    add(
      'MASS_INCONSISTENT',
      '/consignment/grossMass',
      `goods items weigh ${itemsGross} kg gross, more than the consignment's ${consignment.grossMass} kg`,
    );
  }

  return errors;
}
