// Guarantee calculus. All amounts are integer minor units (see money.ts).
//
// Amount due: the duties and taxes the goods could incur in the country of
// the itinerary where they would cost most. Per goods item and country: duty
// and excise (tobacco, alcohol, fuel by HS heading) on the value, and VAT on
// the value plus duty and excise, as import VAT is levied. The highest total
// among the countries of routing, rounded up to the next minor unit, stated in
// the currency of the CTD's first guarantee reference.
//
// Every guarantee reference of the CTD covers a share of it, in proportion to
// the amount it declares to cover; a waiver (type 0) covers its share by
// waiver and reserves nothing.
//
// Level: customs sets it when it approves a guarantee (100, 50 or 25 %), and
// every reservation on that guarantee is its share at that level. The default
// proposal follows the holder's AEO status and track record; risk decides
// controls, not the level.
//
// A comprehensive guarantee covers many movements: each release reserves its
// share, each write-off releases it, and the sum reserved never exceeds the
// reference amount. An individual guarantee (types 2 and 4) serves one movement.
//
// A guarantee registered in another country secures a movement through that
// country's node (IE203/IE205 over ICE): the CTD's guarantees are reserved all
// or none, so they are all registered in one country, this one or another.
import type { Ctd } from '../spec/ctd.ts';
import type { FunctionalError } from '../spec/errors.ts';
import type { Country } from '../spec/reference-data/countries.ts';
import { exciseCategories, type ExciseCategory } from '../spec/reference-data/excise.ts';
import { convertMinor, convertToMinor } from './money.ts';
import { findCountry, type CountryTable } from './reference-tables.ts';

export interface Money {
  /** Integer minor units. */
  amount: number;
  currency: string;
}

/** Percent of the amount due reserved on a guarantee. */
export type GuaranteeLevel = 100 | 50 | 25;
export const guaranteeLevels: readonly GuaranteeLevel[] = [100, 50, 25];

/** Movements released without a refusal that make an AEO's record long enough for 25 %. */
export const TRACK_RECORD_MOVEMENTS = 50;

/** The level proposed to customs at approval: 100 % for others, 50 % for an AEO, 25 % for an AEO with a track record. */
export function proposedLevel({ aeo, releasedMovements }: { aeo: boolean; releasedMovements: number }): GuaranteeLevel {
  if (!aeo) return 100;
  return releasedMovements >= TRACK_RECORD_MOVEMENTS ? 25 : 50;
}

/** Waiver: the debt is covered by waiver, nothing is reserved. */
export function reservesNothing(type: string): boolean {
  return type === '0';
}

/** Individual guarantees (by guarantor, vouchers) serve one movement; type 9 is the multiple-usage kind. */
export function servesOneMovement(type: string): boolean {
  return type === '2' || type === '4';
}

/** Rates are applied as integer parts per million so the multiplication is exact. */
const PPM = 1_000_000n;

/** The excise the goods of `hsCode` carry in `country`, as a fraction of their value (0 for most goods). */
export function exciseRate(
  hsCode: string,
  country: string,
  categories: readonly ExciseCategory[] = exciseCategories,
): number {
  // Generators compute amounts on CTDs with a field removed on purpose: no HS code, no excise.
  const heading = typeof hsCode === 'string' ? hsCode.slice(0, 4) : '';
  const category = categories.find((c) => c.headings.includes(heading));
  if (!category) return 0;
  return category.byCountry[country] ?? category.rate;
}

/** What one unit of value of `hsCode` goods costs in `country`: duty, excise, and VAT on value plus both. */
export function itemChargeRate(hsCode: string, country: Country): number {
  const dutyAndExcise = country.dutyRate + exciseRate(hsCode, country.code);
  return dutyAndExcise + country.vatRate * (1 + dutyAndExcise);
}

/** Sum of the goods items' values, in minor units of `currency`. */
export function goodsValue(ctd: Ctd, currency: string, countries: CountryTable): number {
  let total = 0;
  for (const item of ctd.consignment.goodsItems)
    total += convertToMinor(item.value.amount, item.value.currency, currency, countries);
  if (!Number.isSafeInteger(total)) throw new RangeError('goods value too large for exact minor units');
  return total;
}

/** The highest duties and taxes among the countries of routing; a RangeError for a country not in the table. */
export function amountDue(ctd: Pick<Ctd, 'guarantees' | 'consignment'>, countries: CountryTable): Money {
  const currency = ctd.guarantees[0]!.references[0]!.currency;
  const values = ctd.consignment.goodsItems.map((item) =>
    BigInt(convertToMinor(item.value.amount, item.value.currency, currency, countries)),
  );
  let highest = 0n;
  for (const code of ctd.consignment.countriesOfRouting) {
    const country = findCountry(code, countries);
    if (!country) throw new RangeError(`unknown country of routing ${code}`);
    let total = 0n;
    ctd.consignment.goodsItems.forEach((item, i) => {
      total += values[i]! * BigInt(Math.round(itemChargeRate(item.hsCode, country) * Number(PPM)));
    });
    if (total > highest) highest = total;
  }
  const amount = Number((highest + PPM - 1n) / PPM); // rounded up: a guarantee never covers less than due
  if (!Number.isSafeInteger(amount)) throw new RangeError('amount due too large for exact minor units');
  return { amount, currency };
}

/** The part of the amount due one guarantee of the CTD covers. */
export interface ReferenceShare {
  grn: string;
  /** The declared guarantee type. */
  type: string;
  currency: string;
  /** Minor units of `currency` before the guarantee's level is applied; 0 for a waiver. */
  share: number;
  /** Where the (first) reference to this GRN is in the CTD. */
  pointer: string;
  /** Index of that reference among all references, in order. */
  index: number;
}

interface SharedReference {
  grn: string;
  currency: string;
  amountToBeCovered: number;
}

/**
 * Splits the amount due among the CTD's guarantee references in proportion to
 * the amounts they declare to cover (equally if none declares any), each
 * share in the reference's currency rounded up; references to the same GRN are
 * one share. The shares in the CTD's currency add up to the amount due exactly.
 */
export function referenceShares(
  ctd: { guarantees: readonly { type: string; references: readonly SharedReference[] }[] },
  due: Money,
  countries: CountryTable,
): ReferenceShare[] {
  const refs: (ReferenceShare & { weight: bigint })[] = [];
  let index = 0;
  ctd.guarantees.forEach((g, gi) =>
    g.references.forEach((r, ri) => {
      const pointer = `/guarantees/${gi}/references/${ri}`;
      const weight = reservesNothing(g.type)
        ? 0n
        : BigInt(Math.max(0, convertToMinor(r.amountToBeCovered, r.currency, due.currency, countries)));
      const same = refs.find((x) => x.grn === r.grn);
      if (same) same.weight += weight;
      else refs.push({ grn: r.grn, type: g.type, currency: r.currency, share: 0, pointer, index, weight });
      index++;
    }),
  );
  const covering = refs.filter((r) => !reservesNothing(r.type));
  let total = covering.reduce((sum, r) => sum + r.weight, 0n);
  if (total === 0n) {
    for (const r of covering) r.weight = 1n;
    total = BigInt(covering.length);
  }
  let left = BigInt(due.amount);
  covering.forEach((r, i) => {
    const part = i === covering.length - 1 ? left : (BigInt(due.amount) * r.weight) / total;
    left -= part;
    r.share = convertMinor(Number(part), due.currency, r.currency, countries, 'up');
  });
  return refs.map(({ weight: _weight, ...r }) => r);
}

/** The amount reserved at release: the share at the guarantee's level, rounded up to a whole minor unit. */
export function reservationFor(share: number, level: GuaranteeLevel): number {
  checkMinor(share);
  return Number((BigInt(share) * BigInt(level) + 99n) / 100n);
}

/** Exposure of a guarantor: what is reserved and still available on the guarantees it backs, per currency. */
export function exposureByCurrency(
  guarantees: readonly (GuaranteeBalance & { currency: string })[],
): { currency: string; referenceAmount: number; reserved: number; available: number }[] {
  const by = new Map<string, { currency: string; referenceAmount: number; reserved: number; available: number }>();
  for (const g of guarantees) {
    const e = by.get(g.currency) ?? { currency: g.currency, referenceAmount: 0, reserved: 0, available: 0 };
    e.referenceAmount += g.referenceAmount;
    e.reserved += g.reserved;
    e.available += available(g);
    by.set(g.currency, e);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** What a guarantee can still cover, in its own currency's minor units. */
export interface GuaranteeBalance {
  referenceAmount: number;
  reserved: number;
}

export class GuaranteeInsufficientError extends Error {
  readonly code = 'GUARANTEE_INSUFFICIENT' as const;
  constructor(
    readonly available: number,
    readonly requested: number,
  ) {
    super(`guarantee has ${available} minor units available, ${requested} requested`);
    this.name = 'GuaranteeInsufficientError';
  }
}

export function available(guarantee: GuaranteeBalance): number {
  return guarantee.referenceAmount - guarantee.reserved;
}

export function canReserve(guarantee: GuaranteeBalance, amount: number): boolean {
  checkMinor(amount);
  return guarantee.reserved + amount <= guarantee.referenceAmount;
}

/** Reserves `amount` at release; throws GuaranteeInsufficientError rather than overdraw. */
export function reserve<G extends GuaranteeBalance>(guarantee: G, amount: number): G {
  if (!canReserve(guarantee, amount)) throw new GuaranteeInsufficientError(available(guarantee), amount);
  return { ...guarantee, reserved: guarantee.reserved + amount };
}

/** Gives back a reservation at write-off (or when a released movement's reservation is otherwise settled). */
export function releaseReservation<G extends GuaranteeBalance>(guarantee: G, amount: number): G {
  checkMinor(amount);
  if (amount > guarantee.reserved)
    throw new RangeError(`cannot release ${amount}: only ${guarantee.reserved} reserved`);
  return { ...guarantee, reserved: guarantee.reserved - amount };
}

/** Tolerance on the declared amount to be covered: rounding and rate differences of 1 % pass. */
const DECLARED_AMOUNT_TOLERANCE = 0.01;

/**
 * GUARANTEE_AMOUNT_UNDERSTATED when the amounts to be covered declared in the
 * CTD's guarantee references, together, fall short of the amount due by more
 * than 1 %.
 */
export function checkDeclaredAmount(ctd: Ctd, countries: CountryTable): FunctionalError[] {
  const due = amountDue(ctd, countries);
  let declared = 0;
  for (const guarantee of ctd.guarantees) {
    for (const ref of guarantee.references)
      declared += convertToMinor(ref.amountToBeCovered, ref.currency, due.currency, countries);
  }
  if (declared >= Math.floor(due.amount * (1 - DECLARED_AMOUNT_TOLERANCE))) return [];
  return [
    {
      code: 'GUARANTEE_AMOUNT_UNDERSTATED',
      pointer: '/guarantees/0/references/0/amountToBeCovered',
      message: `amounts to be covered total ${formatMinor(declared)} ${due.currency}; duties and taxes due are ${formatMinor(due.amount)} ${due.currency}`,
    },
  ];
}

/** An amount due or reserved in the guarantee's own currency when it differs from the CTD's, rounded up. */
export function inCurrency(money: Money, currency: string, countries: CountryTable): Money {
  return { amount: convertMinor(money.amount, money.currency, currency, countries, 'up'), currency };
}

function formatMinor(minor: number): string {
  return (minor / 100).toFixed(2);
}

function checkMinor(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`amount ${amount} is not a non-negative integer of minor units`);
}

/** The country that registered a guarantee: positions 3-4 of its GRN. */
export const guaranteeCountry = (grn: string): string => grn.slice(2, 4);

/**
 * Where the CTD's guarantees are reserved: `here` (the node's own country) or
 * the one other country of the exchange that registered them. Refused with
 * GUARANTEE_COUNTRIES_MIXED when they name several countries (reserved all or
 * none, by one office of guarantee), GUARANTEE_COUNTRY_NOT_IN_EXCHANGE when the
 * country runs no node to ask.
 */
export function guaranteeLocation(
  ctd: Pick<Ctd, 'guarantees'>,
  nodeCountry: string,
  countries: CountryTable,
): { here: true } | { country: string } | { errors: FunctionalError[] } {
  const refs = ctd.guarantees.flatMap((g, gi) => g.references.map((r, ri) => ({ grn: r.grn, gi, ri })));
  const first = guaranteeCountry(refs[0]!.grn);
  const errors: FunctionalError[] = refs
    .filter((r) => guaranteeCountry(r.grn) !== first)
    .map((r) => ({
      code: 'GUARANTEE_COUNTRIES_MIXED',
      pointer: `/guarantees/${r.gi}/references/${r.ri}/grn`,
      message: `guarantee ${r.grn} is registered in ${guaranteeCountry(r.grn)}; the CTD's first guarantee in ${first}: one country reserves them all`,
    }));
  if (errors.length > 0) return { errors };
  if (first === nodeCountry) return { here: true };
  if (!findCountry(first, countries)?.pilot)
    return {
      errors: [
        {
          code: 'GUARANTEE_COUNTRY_NOT_IN_EXCHANGE',
          pointer: '/guarantees/0/references/0/grn',
          message: `guarantee ${refs[0]!.grn} is registered in ${first}, which runs no CATS node to reserve it`,
        },
      ],
    };
  return { country: first };
}
