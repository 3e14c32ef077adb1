// A TIR movement as the CATS transit declaration (CTD) it would have been: its
// offices mapped to CATS customs offices, its holder to the registered operator,
// a comprehensive guarantee per holder, and the steps to replay at the times
// the TIR log recorded. A movement that cannot be mirrored gets every reason,
// each with a JSON pointer into the TIR record.
import { amountDue, type Money } from '../../reference/domain/guarantee.ts';
import { isKnownCurrency } from '../../reference/domain/money.ts';
import type { Ctd } from '../../reference/spec/ctd.ts';
import type { MovementState } from '../../reference/spec/movement-state.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { officeByReference, type OfficeRole } from '../../reference/spec/reference-data/offices.ts';
import type { TirMovement } from '../../generators/tir-log.ts';
import type { HolderGuarantee } from './holder-guarantees.ts';
import type { RegisteredOperator } from './registry.ts';

export type UnmappableCode =
  | 'HOLDER_NOT_IDENTIFIED'
  | 'HOLDER_NOT_REGISTERED'
  | 'COUNTRY_OUTSIDE_CATS'
  | 'OFFICE_MISSING'
  | 'UNKNOWN_OFFICE'
  | 'OFFICE_COUNTRY_MISMATCH'
  | 'OFFICE_ROLE_MISMATCH'
  | 'MISSING_VALUE'
  | 'UNKNOWN_CURRENCY'
  | 'NO_GUARANTEE';

export interface Reason {
  code: string;
  pointer: string;
  message: string;
}

export type StepKind = 'lodge' | 'crossing' | 'arrival' | 'control';

/** A step of the mirrored movement at the business time the TIR log puts it. */
export interface PlannedStep {
  kind: StepKind;
  office: string;
  /** Business time, ms since the epoch. */
  at: number;
}

export interface Mirrored {
  carnet: string;
  holderTin: string;
  ctd: Ctd;
  /** Duties and taxes due, in the guarantee's currency (minor units): what TIR guarantees in full. */
  due: Money;
  level: HolderGuarantee['level'];
  steps: PlannedStep[];
  /** The state the TIR record implies the movement reached. */
  impliedState: MovementState;
  /** What TIR recorded: carnet accepted, borders crossed, guarantee discharged (absent while open). */
  tir: { acceptedAt: number; crossings: number; dischargedAt?: number };
}

export type Mapping = { ok: true; mirrored: Mirrored } | { ok: false; carnet: string; reasons: Reason[] };

export interface MirrorContext {
  operators: ReadonlyMap<string, RegisteredOperator>;
  /** The holder's comprehensive guarantee, or undefined when it cannot have one. */
  guaranteeOf: (operator: RegisteredOperator) => HolderGuarantee | undefined;
  /** The CTD's local reference number for a carnet. */
  lrnOf: (carnet: string) => string;
}

const pilot = (code: string) => countryByCode.get(code)?.pilot === true;
const countryName = (code: string) => countryByCode.get(code)?.name ?? code;
const roleName: Record<OfficeRole, string> = { DEP: 'departure', TRA: 'transit', DES: 'destination' };

/**
 * The CATS office a log's office code names: a CATS reference number as it is,
 * or a national code (e.g. Georgia's TIR-list 69002) as the country's reference
 * number that ends with it (GE069002).
 */
export function catsOffice(code: string, country: string): string | undefined {
  if (officeByReference.has(code)) return code;
  if (!/^[0-9A-Z]{1,6}$/.test(code)) return undefined;
  const padded = `${country}${code.padStart(6, '0')}`;
  return officeByReference.has(padded) ? padded : undefined;
}

/** Same customs territory (EAEU members): the border between them has no office of transit. */
function sameTerritory(a: string, b: string): boolean {
  const union = countryByCode.get(a)?.customsUnion;
  return union !== undefined && union === countryByCode.get(b)?.customsUnion;
}

export function mirror(m: TirMovement, context: MirrorContext): Mapping {
  const reasons: Reason[] = [];
  const add = (code: UnmappableCode, pointer: string, message: string) => reasons.push({ code, pointer, message });

  // Holder → registered operator.
  let operator: RegisteredOperator | undefined;
  if (!m.holder.tin)
    add(
      'HOLDER_NOT_IDENTIFIED',
      '/holder/tin',
      `TIR holder ${m.holder.id} has no TIN in the log: CATS needs the operator it is registered as`,
    );
  else {
    operator = context.operators.get(m.holder.tin);
    if (!operator)
      add(
        'HOLDER_NOT_REGISTERED',
        '/holder/tin',
        `TIR holder ${m.holder.id} (${m.holder.tin}) is no registered operator`,
      );
  }

  // Countries: every one must run a CATS node.
  const outside = (code: string, pointer: string, what: string) => {
    if (!pilot(code))
      add(
        'COUNTRY_OUTSIDE_CATS',
        pointer,
        `${what} ${countryName(code)} (${code}) is outside CATS: such movements map through the NCTS gateway, which the deployment lacks`,
      );
  };
  outside(m.departure.country, '/departure/country', 'country of departure');
  m.crossings.forEach((c, i) => outside(c.to, `/crossings/${i}/to`, 'crossing into'));
  outside(m.destination.country, '/destination/country', 'country of destination');
  const routing = m.countriesOfRouting ?? [m.departure.country, ...m.crossings.map((c) => c.to), m.destination.country];
  const countriesOfRouting = routing.filter((c, i) => i === 0 || routing[i - 1] !== c);
  if (m.countriesOfRouting)
    m.countriesOfRouting.forEach((c, i) => {
      if (!pilot(c) && c !== m.departure.country && c !== m.destination.country && !m.crossings.some((x) => x.to === c))
        outside(c, `/countriesOfRouting/${i}`, 'itinerary through');
    });

  // Offices → CATS offices in their declared roles.
  const office = (code: string | undefined, country: string, role: OfficeRole, pointer: string) => {
    if (!pilot(country)) return undefined;
    if (code === undefined) {
      add('OFFICE_MISSING', pointer, `the log names no office of ${roleName[role]} in ${countryName(country)}`);
      return undefined;
    }
    const reference = catsOffice(code, country);
    const o = reference ? officeByReference.get(reference) : undefined;
    if (!reference || !o) {
      add('UNKNOWN_OFFICE', pointer, `office ${code} is no CATS customs office of ${countryName(country)}`);
      return undefined;
    }
    if (o.country !== country) {
      add('OFFICE_COUNTRY_MISMATCH', pointer, `office ${reference} (${o.name}) is in ${o.country}, not in ${country}`);
      return undefined;
    }
    if (!o.roles.includes(role)) {
      add('OFFICE_ROLE_MISMATCH', pointer, `office ${reference} (${o.name}) cannot act as office of ${roleName[role]}`);
      return undefined;
    }
    return reference;
  };
  const departure = office(m.departure.office, m.departure.country, 'DEP', '/departure/office');
  const transit: { office: string; at: number }[] = [];
  m.crossings.forEach((c, i) => {
    if (c.to === m.departure.country || sameTerritory(c.from, c.to)) return;
    const reference = office(c.office, c.to, 'TRA', `/crossings/${i}/office`);
    if (reference) transit.push({ office: reference, at: Date.parse(c.at) });
  });
  const destination = office(m.destination.office, m.destination.country, 'DES', '/destination/office');

  // Goods: CATS computes the guarantee from their value.
  m.goods.forEach((g, i) => {
    if (!g.value)
      add(
        'MISSING_VALUE',
        `/goods/${i}/value`,
        `goods item ${i + 1} (${g.hsCode}) has no value: CATS computes the guarantee from it`,
      );
    else if (!isKnownCurrency(g.value.currency, countryByCode))
      add(
        'UNKNOWN_CURRENCY',
        `/goods/${i}/value/currency`,
        `currency ${g.value.currency} has no exchange rate in CATS`,
      );
  });

  const guarantee = operator ? context.guaranteeOf(operator) : undefined;
  if (operator && !guarantee)
    add(
      'NO_GUARANTEE',
      '/holder',
      `no guarantor is known in ${countryName(operator.country)} for ${operator.tin}'s comprehensive guarantee`,
    );

  if (reasons.length > 0 || !operator || !guarantee || !departure || !destination)
    return { ok: false, carnet: m.carnet, reasons };

  const ctd: Ctd = {
    lrn: context.lrnOf(m.carnet),
    declarationType: 'T1',
    additionalDeclarationType: 'A',
    security: 0,
    offices: { departure, transit: transit.map((t) => t.office), destination },
    holder: { identificationNumber: operator.tin, name: operator.name, address: operator.address },
    guarantees: [
      {
        type: '1',
        references: [
          { grn: guarantee.grn, accessCode: guarantee.accessCode, amountToBeCovered: 0, currency: guarantee.currency },
        ],
      },
    ],
    consignment: {
      countryOfDispatch: m.countryOfDispatch ?? m.departure.country,
      countryOfDestination: m.countryOfDestination ?? m.destination.country,
      containerIndicator: m.containers.length > 0,
      inlandModeOfTransport: '3',
      modeOfTransportAtTheBorder: '3',
      grossMass: Math.round(m.goods.reduce((sum, g) => sum + g.grossMassKg, 0) * 1000) / 1000,
      consignor: m.consignor,
      consignee: m.consignee,
      countriesOfRouting,
      departureTransportMeans: m.vehicles.map((v) => ({
        typeOfIdentification: '30',
        identificationNumber: v.registration,
        nationality: v.nationality,
      })),
      // The seals go on the first container, or on the trailer when there is none.
      transportEquipment:
        m.containers.length > 0
          ? m.containers.map((id, i) => ({
              containerIdentificationNumber: id,
              seals: i === 0 ? m.seals.map((identifier) => ({ identifier })) : [],
            }))
          : m.seals.length > 0
            ? [{ seals: m.seals.map((identifier) => ({ identifier })) }]
            : [],
      goodsItems: m.goods.map((g, i) => ({
        goodsItemNumber: i + 1,
        description: g.description,
        hsCode: g.hsCode,
        ...(g.countryOfOrigin ? { countryOfOrigin: g.countryOfOrigin } : {}),
        grossMass: g.grossMassKg,
        netMass: g.netMassKg ?? g.grossMassKg,
        // Rec. 21 'NE': unpacked, when the manifest counts no packages.
        packages: [
          g.packages
            ? { typeOfPackages: g.packages.type, numberOfPackages: g.packages.number }
            : { typeOfPackages: 'NE', numberOfPackages: 0 },
        ],
        value: { amount: g.value!.amount, currency: g.value!.currency },
      })),
    },
  };
  const due = amountDue(ctd, countryByCode);
  ctd.guarantees[0]!.references[0]!.amountToBeCovered = due.amount / 100;

  const steps: PlannedStep[] = [{ kind: 'lodge', office: departure, at: Date.parse(m.departure.at) }];
  for (const t of transit) steps.push({ kind: 'crossing', office: t.office, at: t.at });
  const { arrivedAt, terminatedAt } = m.destination;
  const arrival = arrivedAt ?? terminatedAt;
  if (arrival) steps.push({ kind: 'arrival', office: destination, at: Date.parse(arrival) });
  if (terminatedAt) steps.push({ kind: 'control', office: destination, at: Date.parse(terminatedAt) });
  const discharged = m.dischargedAt ?? terminatedAt;
  const impliedState: MovementState = terminatedAt
    ? 'WRITTEN_OFF'
    : arrival
      ? 'ARRIVED'
      : transit.length > 0
        ? 'IN_TRANSIT'
        : 'RELEASED';
  return {
    ok: true,
    mirrored: {
      carnet: m.carnet,
      holderTin: operator.tin,
      ctd,
      due,
      level: guarantee.level,
      steps,
      impliedState,
      tir: {
        acceptedAt: Date.parse(m.departure.at),
        crossings: m.crossings.length,
        ...(discharged ? { dischargedAt: Date.parse(discharged) } : {}),
      },
    },
  };
}
