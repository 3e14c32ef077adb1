// Name and street pools per country, drawn once from @faker-js/faker at start
// (faker is far too slow to call per record), then sampled by the generators.
import * as faker from '@faker-js/faker';
import type { Faker } from '@faker-js/faker';
import { cities, fakerLocale, type City } from './corridor/localities.ts';
import { hashString } from '../reference/domain/hash.ts';
import type { Random } from './random.ts';

export interface CountryPool {
  country: string;
  people: readonly string[];
  companies: readonly string[];
  streets: readonly string[];
  cities: readonly City[];
}

const POOL_SIZE = 400;

function fakerFor(locale: string): Faker {
  // Export names upper-case the language and region parts: uz_UZ_latin → fakerUZ_UZ_latin.
  const name = `faker${locale
    .split('_')
    .map((part) => (part.length <= 2 ? part.toUpperCase() : part))
    .join('_')}`;
  const f = (faker as unknown as Record<string, Faker | undefined>)[name];
  if (!f) throw new Error(`no faker locale ${locale}`);
  return f;
}

const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).trimEnd());

/** Pools for `country`, deterministic for `seed`. */
export function buildPool(country: string, seed: string): CountryPool {
  const locale = fakerLocale[country];
  const places = cities[country];
  if (!locale || !places) throw new Error(`no locale or cities for country ${country}`);
  const f = fakerFor(locale);
  f.seed(hashString(`${seed}/pool/${country}`));
  const people: string[] = [];
  const companies: string[] = [];
  const streets: string[] = [];
  for (let i = 0; i < POOL_SIZE; i++) {
    people.push(clip(f.person.fullName(), 70));
    companies.push(clip(f.company.name(), 60));
    streets.push(clip(`${f.location.street()} ${f.location.buildingNumber()}`, 70));
  }
  return { country, people, companies, streets, cities: places };
}

/** A party address drawn from a pool. */
export function drawAddress(
  pool: CountryPool,
  random: Random,
): { streetAndNumber: string; postcode: string; city: string; country: string } {
  const city = random.pick(pool.cities);
  return {
    streetAndNumber: random.pick(pool.streets),
    postcode: city.postcode,
    city: city.name,
    country: pool.country,
  };
}
