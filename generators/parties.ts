// The parties of a data set: transit operators (holders of the procedure) per
// pilot country with AEO status and traffic weight, customs officers per
// office, guarantors, and consignors/consignees drawn from locale pools.
import type { Static } from '@sinclair/typebox';
import type { Address, Ctd, Party } from '../reference/spec/ctd.ts';
import type { Fixtures } from '../reference/spec/fixtures.ts';
import { offices, type Office } from '../reference/spec/reference-data/offices.ts';
import {
  aeoShare,
  COMPREHENSIVE_RANK_SHARE,
  OFFICERS_PER_OFFICE,
  OPERATOR_ZIPF_EXPONENT,
} from './corridor/operators.ts';
import { buildPool, drawAddress, type CountryPool } from './pools.ts';
import { Random, WeightedChoice } from './random.ts';

export type FixtureOperator = NonNullable<Fixtures['operators']>[number];
export type FixtureOfficer = NonNullable<Fixtures['officers']>[number];

export interface Operator extends FixtureOperator {
  address: Static<typeof Address>;
  /** Comprehensive guarantee holders lodge on it; the others use one individual guarantee per CTD; some AEOs hold a waiver. */
  guarantee: 'comprehensive' | 'individual' | 'waiver';
  /** Rank by traffic within the country, 1 = largest. */
  rank: number;
}

/** The operator as holder of the transit procedure (one shared object per operator: copy before changing). */
const holders = new WeakMap<Operator, Ctd['holder']>();
export function holderOf(operator: Operator): Ctd['holder'] {
  let holder = holders.get(operator);
  if (!holder) {
    holder = { identificationNumber: operator.tin, name: operator.name, address: operator.address };
    holders.set(operator, holder);
  }
  return holder;
}

export interface Officer extends FixtureOfficer {
  country: string;
}

/** National TIN layouts (digits after the ISO prefix), capped at the schema's 15 characters. */
const tinDigits: Readonly<Record<string, number>> = {
  KZ: 12,
  UZ: 9,
  KG: 14,
  AZ: 10,
  GE: 9,
  PK: 7,
  TR: 10,
  CN: 15,
  TM: 12,
  TJ: 9,
  AF: 10,
  RO: 8,
  BG: 9,
};

export function tin(country: string, random: Random): string {
  return country + random.digits(tinDigits[country] ?? 10);
}

/** Trading partners per country a data set draws consignors and consignees from. */
const TRADERS_PER_COUNTRY = 1000;
const PILOT_OR_TR = new Set(['GE', 'AZ', 'KZ', 'UZ', 'KG', 'PK', 'TR']);

/** Locale pools and trading partners, built once per country and data set. */
export class Pools {
  private readonly pools = new Map<string, CountryPool>();
  private readonly traders = new Map<string, readonly Party[]>();
  constructor(private readonly seed: string) {}

  get(country: string): CountryPool {
    let pool = this.pools.get(country);
    if (!pool) {
      pool = buildPool(country, this.seed);
      this.pools.set(country, pool);
    }
    return pool;
  }

  /**
   * A consignor or consignee in `country`: the same firms trade again and
   * again, so they come from a fixed list per country; pilot-country and
   * Turkish firms carry a TIN. The objects are shared: copy before changing.
   */
  trader(country: string, random: Random): Party {
    let list = this.traders.get(country);
    if (!list) {
      const pool = this.get(country);
      const r = new Random(this.seed, `traders/${country}`);
      list = Array.from({ length: TRADERS_PER_COUNTRY }, () => tradeParty(pool, r, PILOT_OR_TR.has(country)));
      this.traders.set(country, list);
    }
    return random.pick(list);
  }
}

/** Transit operators of one pilot country, with a Zipf draw by traffic. */
export class CountryOperators {
  readonly operators: readonly Operator[];
  private readonly choice: WeightedChoice<Operator>;

  constructor(country: string, count: number, pool: CountryPool, random: Random) {
    const share = aeoShare[country] ?? 0.05;
    const comprehensiveRanks = Math.ceil(count * COMPREHENSIVE_RANK_SHARE);
    const seen = new Set<string>();
    const list: Operator[] = [];
    for (let rank = 1; rank <= count; rank++) {
      let id = tin(country, random);
      while (seen.has(id)) id = tin(country, random);
      seen.add(id);
      const aeo = random.chance(share);
      list.push({
        tin: id,
        name: pool.companies[(rank - 1) % pool.companies.length]!,
        country,
        aeo,
        token: `opr.${random.hex(16)}`,
        address: drawAddress(pool, random),
        guarantee:
          aeo && rank % WAIVER_AEO_EVERY === 0
            ? 'waiver'
            : aeo || rank <= comprehensiveRanks
              ? 'comprehensive'
              : 'individual',
        rank,
      });
    }
    this.operators = list;
    this.choice = new WeightedChoice(
      list,
      list.map((o) => 1 / o.rank ** OPERATOR_ZIPF_EXPONENT),
    );
  }

  draw(random: Random): Operator {
    return this.choice.draw(random);
  }
}

function isBorderOrPort(office: Office): boolean {
  return office.kind !== 'inland';
}

/** Officers for every office of `country` in the office list. */
export function officersOf(country: string, pool: CountryPool, random: Random): Officer[] {
  const result: Officer[] = [];
  for (const office of offices) {
    if (office.country !== country) continue;
    const n = isBorderOrPort(office) ? OFFICERS_PER_OFFICE.border : OFFICERS_PER_OFFICE.inland;
    for (let i = 1; i <= n; i++) {
      result.push({
        id: `${office.referenceNumber}.${String(i).padStart(2, '0')}`,
        name: random.pick(pool.people),
        offices: [office.referenceNumber],
        token: `ofr.${random.hex(16)}`,
        country,
      });
    }
  }
  return result;
}

/** Every this-many-th operator by rank, when an AEO, holds a guarantee waiver (type 0) [E]. */
const WAIVER_AEO_EVERY = 3;

export interface Guarantor {
  kind: 'bank' | 'insurer';
  identificationNumber: string;
  name: string;
}

/** Issuers of guarantees in a country: insurers and banks with locale names. */
export function guarantorsOf(pool: CountryPool, random: Random): Guarantor[] {
  const kinds = [
    ['Insurance', 'insurer'],
    ['Bank', 'bank'],
    ['Guarantee Fund', 'bank'],
  ] as const;
  return Array.from({ length: 6 }, (_, i) => {
    const [suffix, kind] = kinds[i % kinds.length]!;
    return {
      kind,
      identificationNumber: `${pool.country}9${String(i + 1).padStart(8, '0')}`,
      name: `${random.pick(pool.companies)} ${suffix}`.slice(0, 70),
    };
  });
}

function tradeParty(pool: CountryPool, random: Random, withTin: boolean): Party {
  const party: Party = { name: random.pick(pool.companies), address: drawAddress(pool, random) };
  if (withTin) party.identificationNumber = tin(pool.country, random);
  return party;
}
