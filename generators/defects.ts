// Labelled defects: each defective CTD carries exactly one fault and the
// rejection code a conforming node must answer (reference/spec/errors.ts),
// with the JSON pointer of the faulty field. The faults are chosen so no
// other rule trips as a side effect (the amount to be covered is computed
// after the fault, so only the understated-guarantee defect understates it).
import type { Ctd } from '../reference/spec/ctd.ts';
import type { ErrorCode } from '../reference/spec/errors.ts';
import { countryByCode } from '../reference/spec/reference-data/countries.ts';
import { officeByReference } from '../reference/spec/reference-data/offices.ts';
import type { Random } from './random.ts';

export const defectKinds = [
  'missing-mandatory-field',
  'invalid-hs-code',
  'itinerary-mismatch',
  'transit-at-internal-border',
  'unknown-office',
  'unknown-country',
  'net-mass-exceeds-gross',
  'bad-container-check-digit',
  'guarantee-understated',
  'wrong-access-code',
  'unknown-guarantee',
  'guarantee-type-mismatch',
  'duplicate-lrn',
] as const;

export type DefectKind = (typeof defectKinds)[number];

export const defectCode: Readonly<Record<DefectKind, ErrorCode>> = {
  'missing-mandatory-field': 'SCHEMA_VIOLATION',
  'invalid-hs-code': 'INVALID_HS_CODE',
  'itinerary-mismatch': 'ITINERARY_MISMATCH',
  'transit-at-internal-border': 'TRANSIT_AT_INTERNAL_BORDER',
  'unknown-office': 'UNKNOWN_OFFICE',
  'unknown-country': 'UNKNOWN_COUNTRY',
  'net-mass-exceeds-gross': 'MASS_INCONSISTENT',
  'bad-container-check-digit': 'INVALID_CONTAINER_NUMBER',
  'guarantee-understated': 'GUARANTEE_AMOUNT_UNDERSTATED',
  'wrong-access-code': 'GUARANTEE_ACCESS_CODE',
  'unknown-guarantee': 'GUARANTEE_NOT_FOUND',
  'guarantee-type-mismatch': 'GUARANTEE_TYPE_MISMATCH',
  'duplicate-lrn': 'DUPLICATE_LRN',
};

export interface Defect {
  kind: DefectKind;
  code: ErrorCode;
  pointer: string;
  description: string;
}

/** Whether `kind` can be applied to this CTD (a container to break, an earlier LRN to repeat). */
export function applicable(kind: DefectKind, ctd: Ctd, earlierLrn: string | undefined): boolean {
  switch (kind) {
    case 'bad-container-check-digit':
      return ctd.consignment.transportEquipment.some((e) => e.containerIdentificationNumber !== undefined);
    case 'duplicate-lrn':
      return earlierLrn !== undefined;
    case 'transit-at-internal-border':
      return ctd.consignment.countriesOfRouting[0]! in eaeuDetour && ctd.offices.transit.length < 9;
    default:
      return true;
  }
}

type Mandatory = { pointer: string; remove: (ctd: Ctd) => void };
const mandatoryFields: readonly Mandatory[] = [
  // Parties are shared between CTDs: replace them with a copy before removing a field.
  {
    pointer: '/consignment/consignor/name',
    remove: (c) => {
      const consignor: Partial<Ctd['consignment']['consignor']> = { ...c.consignment.consignor };
      delete consignor.name;
      c.consignment.consignor = consignor as Ctd['consignment']['consignor'];
    },
  },
  {
    pointer: '/holder/identificationNumber',
    remove: (c) => {
      const holder: Partial<Ctd['holder']> = { ...c.holder };
      delete holder.identificationNumber;
      c.holder = holder as Ctd['holder'];
    },
  },
  { pointer: '/offices/destination', remove: (c) => delete (c.offices as Partial<Ctd['offices']>).destination },
  {
    pointer: '/consignment/goodsItems/0/hsCode',
    remove: (c) => delete (c.consignment.goodsItems[0] as Partial<Ctd['consignment']['goodsItems'][0]>).hsCode,
  },
  { pointer: '/consignment/grossMass', remove: (c) => delete (c.consignment as Partial<Ctd['consignment']>).grossMass },
];

/** A detour into the other EAEU member and back, with an office of transit at the internal border. */
const eaeuDetour: Readonly<Record<string, { country: string; office: string }>> = {
  KZ: { country: 'KG', office: 'KG000130' },
  KG: { country: 'KZ', office: 'KZ310100' },
};

/** Countries to prepend to an itinerary: known, and on none of the corridor routes' starts. */
const strayCountries = ['TJ', 'CN', 'TM'];

/**
 * Applies a content fault (everything but the guarantee and LRN faults,
 * which apply after the amount is known: see applyLate).
 */
export function applyEarly(kind: DefectKind, ctd: Ctd, random: Random): Defect | undefined {
  const code = defectCode[kind];
  switch (kind) {
    case 'missing-mandatory-field': {
      const field = random.pick(mandatoryFields);
      field.remove(ctd);
      return { kind, code, pointer: field.pointer, description: `mandatory ${field.pointer} missing` };
    }
    case 'invalid-hs-code': {
      const i = random.int(ctd.consignment.goodsItems.length);
      const item = ctd.consignment.goodsItems[i]!;
      const bad = random.pick(['77', '98', '99', '00']) + item.hsCode.slice(2);
      item.hsCode = bad;
      return {
        kind,
        code,
        pointer: `/consignment/goodsItems/${i}/hsCode`,
        description: `HS code ${bad} is in no chapter`,
      };
    }
    case 'itinerary-mismatch': {
      const routing = ctd.consignment.countriesOfRouting;
      const stray = strayCountries.find((c) => !routing.includes(c))!;
      routing.unshift(stray);
      return {
        kind,
        code,
        pointer: '/consignment/countriesOfRouting/0',
        description: `itinerary starts in ${stray}, not at the office of departure`,
      };
    }
    case 'transit-at-internal-border': {
      // Out into the other member and back: the itinerary stays consistent, only the office of transit is wrong.
      const routing = ctd.consignment.countriesOfRouting;
      const detour = eaeuDetour[routing[0]!]!;
      routing.splice(1, 0, detour.country, routing[0]!);
      ctd.offices.transit.unshift(detour.office);
      return {
        kind,
        code,
        pointer: '/offices/transit/0',
        description: `office of transit ${detour.office} at the ${routing[0]}-${detour.country} border inside the EAEU`,
      };
    }
    case 'unknown-office': {
      const country = ctd.offices.destination.slice(0, 2);
      let reference: string;
      do reference = `${country}9${random.digits(5)}`;
      while (officeByReference.has(reference));
      ctd.offices.destination = reference;
      return {
        kind,
        code,
        pointer: '/offices/destination',
        description: `office of destination ${reference} is not in the office list`,
      };
    }
    case 'unknown-country': {
      let code2: string;
      do code2 = `X${random.letters(1)}`;
      while (countryByCode.has(code2));
      ctd.consignment.countryOfDispatch = code2;
      return {
        kind,
        code,
        pointer: '/consignment/countryOfDispatch',
        description: `country of dispatch ${code2} is not in the country list`,
      };
    }
    case 'net-mass-exceeds-gross': {
      const i = random.int(ctd.consignment.goodsItems.length);
      const item = ctd.consignment.goodsItems[i]!;
      item.netMass = Math.round(item.grossMass * 1100) / 1000 + 1;
      return {
        kind,
        code,
        pointer: `/consignment/goodsItems/${i}/netMass`,
        description: `net mass ${item.netMass} kg exceeds gross ${item.grossMass} kg`,
      };
    }
    case 'bad-container-check-digit': {
      const equipment = ctd.consignment.transportEquipment;
      const i = equipment.findIndex((e) => e.containerIdentificationNumber !== undefined);
      const number = equipment[i]!.containerIdentificationNumber!;
      const wrong = number.slice(0, 10) + String((Number(number[10]) + 1 + random.int(9)) % 10);
      equipment[i]!.containerIdentificationNumber = wrong;
      return {
        kind,
        code,
        pointer: `/consignment/transportEquipment/${i}/containerIdentificationNumber`,
        description: `${wrong} fails the ISO 6346 check digit`,
      };
    }
    default:
      return undefined;
  }
}

/** Guarantee and LRN faults, applied once the guarantee reference is filled in. */
export function applyLate(
  kind: DefectKind,
  ctd: Ctd,
  random: Random,
  earlierLrn: string | undefined,
  unissuedGrn: () => string,
): Defect | undefined {
  const code = defectCode[kind];
  const ref = ctd.guarantees[0]!.references[0]!;
  const at = '/guarantees/0/references/0';
  switch (kind) {
    case 'guarantee-understated': {
      ref.amountToBeCovered = Math.floor(ref.amountToBeCovered * random.uniform(0.2, 0.8) * 100) / 100;
      return {
        kind,
        code,
        pointer: `${at}/amountToBeCovered`,
        description: 'amount to be covered below the duties and taxes due',
      };
    }
    case 'wrong-access-code': {
      const right = ref.accessCode.toUpperCase();
      let wrong: string;
      do wrong = random.letters(2) + random.digits(2);
      while (wrong === right);
      ref.accessCode = wrong;
      return { kind, code, pointer: `${at}/accessCode`, description: 'access code does not match the guarantee' };
    }
    case 'unknown-guarantee': {
      ref.grn = unissuedGrn();
      return { kind, code, pointer: `${at}/grn`, description: `guarantee ${ref.grn} was never registered` };
    }
    case 'guarantee-type-mismatch': {
      // Another type than the guarantee was approved as (a waiver stays covering: it declares comprehensive).
      const declared = ctd.guarantees[0]!;
      declared.type = declared.type === '0' ? '1' : '9';
      return {
        kind,
        code,
        pointer: `${at}/grn`,
        description: `guarantee type ${declared.type} declared for a guarantee of another type`,
      };
    }
    case 'duplicate-lrn': {
      ctd.lrn = earlierLrn!;
      return {
        kind,
        code,
        pointer: '/lrn',
        description: `LRN ${earlierLrn} already lodged by this holder with other content`,
      };
    }
    default:
      return undefined;
  }
}
