// Guarantee money under TIR and under CATS. TIR: each carnet's guarantee
// stands for 100 % of the duties and taxes due, from the carnet's acceptance at
// departure until its termination is confirmed (discharge). CATS: a
// comprehensive guarantee reserves the amount due at its level (100, 50 or
// 25 %) at release and gives it back at write-off. Money tied up is amount ×
// time; at a steady volume the guarantee capital tied up at any moment is the
// yearly sum of that over the year (Little's law, weighted by amount).
import { reservationFor, type GuaranteeLevel } from '../../reference/domain/guarantee.ts';
import { unitsPerUsd } from '../../reference/domain/money.ts';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';

export const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365;

/** What a TIR carnet guarantees for a movement: all duties and taxes due (minor units). */
export function tirGuarantee(dueMinor: number): number {
  return dueMinor;
}

/** What CATS reserves for the movement on the holder's comprehensive guarantee (minor units). */
export function catsReservation(dueMinor: number, level: GuaranteeLevel): number {
  return reservationFor(dueMinor, level);
}

/** Minor units of `currency` in US dollars. */
export function usd(minor: number, currency: string): number {
  const rate = unitsPerUsd(currency, countryByCode);
  if (rate === undefined) throw new RangeError(`unknown currency ${currency}`);
  return minor / 100 / rate;
}

/** Amount × days it is held: the money a guarantee ties up over an interval. */
export function amountDays(amount: number, fromMs: number, toMs: number): number {
  if (toMs < fromMs) throw new RangeError('a guarantee cannot be given back before it is taken');
  return (amount * (toMs - fromMs)) / DAY_MS;
}

/** Guarantee capital tied up on average at `movementsPerYear`, each tying up `meanAmountDays`. */
export function capitalTiedUp(meanAmountDays: number, movementsPerYear: number): number {
  return (movementsPerYear * meanAmountDays) / DAYS_PER_YEAR;
}

/** Guarantee cover drawn in a year: every movement's amount once. */
export function coverPerYear(meanAmount: number, movementsPerYear: number): number {
  return meanAmount * movementsPerYear;
}
