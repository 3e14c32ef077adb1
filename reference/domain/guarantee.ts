// Guarantee calculus. All amounts are integer minor units (see money.ts).
//
// Amount due: the duties and taxes the goods could incur in the country of
// the itinerary where they would cost most: the goods' value times the
// highest (duty rate + VAT rate) among the countries of routing, rounded up to
// the next minor unit. VAT is charged on the value alone, as the corridor's
// planning rule does (corridor.md §9). It is stated in the currency of the
// CTD's first guarantee reference.
//
// Level: the share of the amount due that is reserved on the guarantee at
// release, set by risk class and AEO status:
//   risk class   non-AEO   AEO
//   high          100 %    100 %
//   medium        100 %     50 %
//   low            50 %     25 %
//
// A comprehensive guarantee covers many movements: each release reserves its
// share, each write-off releases it, and the sum reserved never exceeds the
// reference amount.
import type { Ctd } from '../spec/ctd.ts';
import type { FunctionalError } from '../spec/errors.ts';
import { convertMinor, convertToMinor } from './money.ts';
import { findCountry, type CountryTable } from './reference-tables.ts';
import type { RiskClass } from './risk.ts';

export interface Money {
  /** Integer minor units. */
  amount: number;
  currency: string;
}

export type GuaranteeLevel = 1 | 0.5 | 0.25;

/** Rates are applied as integer parts per million so the multiplication is exact. */
const PPM = 1_000_000n;

/** The highest duty + VAT rate among the countries of routing; a RangeError for a country not in the table. */
export function chargeRate(ctd: Ctd, countries: CountryTable): number {
  let highest = 0;
  for (const code of ctd.consignment.countriesOfRouting) {
    const country = findCountry(code, countries);
    if (!country) throw new RangeError(`unknown country of routing ${code}`);
    highest = Math.max(highest, country.dutyRate + country.vatRate);
  }
  return highest;
}

/** Sum of the goods items' values, in minor units of `currency`. */
export function goodsValue(ctd: Ctd, currency: string, countries: CountryTable): number {
  let total = 0;
  for (const item of ctd.consignment.goodsItems)
    total += convertToMinor(item.value.amount, item.value.currency, currency, countries);
  if (!Number.isSafeInteger(total)) throw new RangeError('goods value too large for exact minor units');
  return total;
}

export function amountDue(ctd: Ctd, countries: CountryTable): Money {
  const currency = ctd.guarantees[0]!.references[0]!.currency;
  const value = BigInt(goodsValue(ctd, currency, countries));
  const rate = BigInt(Math.round(chargeRate(ctd, countries) * Number(PPM)));
  const amount = (value * rate + PPM - 1n) / PPM; // rounded up: a guarantee never covers less than due
  return { amount: Number(amount), currency };
}

export function guaranteeLevel({ riskClass, aeo }: { riskClass: RiskClass; aeo: boolean }): GuaranteeLevel {
  switch (riskClass) {
    case 'high':
      return 1;
    case 'medium':
      return aeo ? 0.5 : 1;
    case 'low':
      return aeo ? 0.25 : 0.5;
  }
}

/** The amount reserved at release: the amount due at the level, rounded up to a whole minor unit. */
export function reservationFor(amountDue: number, level: GuaranteeLevel): number {
  checkMinor(amountDue);
  return Math.ceil(amountDue * level); // exact: the levels are powers of two
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
