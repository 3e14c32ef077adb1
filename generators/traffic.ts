// Traffic profiles: the expected lodgements per hour of every route over a
// calendar year (projected annual volume × day factors × hourly shape), the
// projected peak hour, and a replay plan that places N lodgements over a
// profile's span (a day, a week, a year) in time order, following that
// intensity. Memory stays flat: hours are visited in order and the times
// within an hour are drawn already sorted.
import { dayFactor, calendar, hourlyShape, utcOffsetHours, type CalendarEvent } from './corridor/traffic-shape.ts';
import { projectedAnnualMovements, type Route } from './corridor/routes.ts';
import { Random, WeightedChoice } from './random.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const profileNames = ['weekday', 'weekend', 'peak-day', 'holiday', 'week', 'year', 'pilot-trial'] as const;
export type ProfileName = (typeof profileNames)[number];

export interface Profile {
  name: ProfileName;
  description: string;
  /** UTC midnight of the first day. */
  start: Date;
  days: number;
}

/**
 * The live operational trial: the first CATS pilot corridor, Azerbaijan–
 * Georgia–Kazakhstan (transit.md §7 [V S18]), run by a few carriers rather
 * than the whole projected traffic. No trial volumes are published; the
 * figures are assumptions [E]: three carriers per country, each lodging two
 * CTDs per working day, over four weeks from the October Monday of `week`.
 */
export const PILOT_TRIAL = {
  countries: ['AZ', 'GE', 'KZ'],
  carriersPerCountry: 3,
  ctdsPerCarrierPerDay: 2,
  days: 28,
} as const;

/** The routes a profile runs: the pilot trial only those within its corridor, the others all. */
export function profileRoutes(name: ProfileName, routes: readonly Route[]): Route[] {
  if (name !== 'pilot-trial') return [...routes];
  const trial: readonly string[] = PILOT_TRIAL.countries;
  return routes.filter((r) => r.countriesOfRouting.every((c) => trial.includes(c)));
}

/** Annual CTDs of all routes together when a profile fixes them (the pilot trial), else undefined. */
export function profileAnnualTotal(name: ProfileName, countries: readonly string[]): number | undefined {
  if (name !== 'pilot-trial') return undefined;
  const trial: readonly string[] = PILOT_TRIAL.countries;
  const n = countries.filter((c) => trial.includes(c)).length;
  return n * PILOT_TRIAL.carriersPerCountry * PILOT_TRIAL.ctdsPerCarrierPerDay * 365;
}

export interface PeakHour {
  /** Start of the hour, ISO UTC. */
  at: string;
  ctdsPerHour: number;
  ctdsPerSecond: number;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function daysIn(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
}

/** Expected CTDs per UTC hour for a set of routes in one calendar year. */
export class TrafficModel {
  readonly events: readonly CalendarEvent[];
  private readonly yearStart: number;
  private readonly annual: readonly number[];
  /** Per route: 1 / Σ day factors over the year, so the factors spread exactly the annual volume. */
  private readonly dayNorm: readonly number[];
  /** Per route: hourly shape normalised to sum 1. */
  private readonly hourShare: readonly (readonly number[])[];

  /** `annualTotal`, when given, replaces the projected volume: the routes keep their shares of it. */
  constructor(
    readonly routes: readonly Route[],
    readonly year: number,
    annualTotal?: number,
  ) {
    if (routes.length === 0) throw new RangeError('no routes in scope');
    this.events = calendar(year);
    this.yearStart = Date.UTC(year, 0, 1);
    const projected = routes.map((r) => projectedAnnualMovements(r, year));
    const sum = projected.reduce((a, b) => a + b, 0);
    this.annual = annualTotal === undefined ? projected : projected.map((a) => (a / sum) * annualTotal);
    this.dayNorm = routes.map((r) => {
      let sum = 0;
      for (let d = 0; d < daysIn(year); d++) sum += dayFactor(r, isoDate(this.yearStart + d * DAY_MS), this.events);
      return 1 / sum;
    });
    this.hourShare = routes.map((r) => {
      const shape = hourlyShape[r.weekly];
      const total = shape.reduce((a, b) => a + b, 0);
      return shape.map((v) => v / total);
    });
  }

  /** Expected CTDs of route `i` in the UTC hour starting at `ms`. */
  routeRate(i: number, ms: number): number {
    const route = this.routes[i]!;
    const local = ms + (utcOffsetHours[route.countriesOfRouting[0]!] ?? 0) * HOUR_MS;
    const localHour = Math.floor((local % DAY_MS) / HOUR_MS);
    return (
      this.annual[i]! *
      this.dayNorm[i]! *
      dayFactor(route, isoDate(local), this.events) *
      this.hourShare[i]![localHour]!
    );
  }

  /** Expected CTDs per route in the hour starting at `ms`. */
  hourRates(ms: number): number[] {
    return this.routes.map((_, i) => this.routeRate(i, ms));
  }

  projectedAnnual(): number {
    return this.annual.reduce((a, b) => a + b, 0);
  }

  /** Expected CTDs over `[startMs, startMs + hours h)`, per route and in all, and the busiest hour. */
  span(startMs: number, hours: number): { expected: number; byRoute: number[]; peak: PeakHour } {
    let expected = 0;
    const byRoute = this.routes.map(() => 0);
    let best = -1;
    let bestAt = startMs;
    for (let h = 0; h < hours; h++) {
      const ms = startMs + h * HOUR_MS;
      let total = 0;
      for (let i = 0; i < this.routes.length; i++) {
        const r = this.routeRate(i, ms);
        byRoute[i] += r;
        total += r;
      }
      expected += total;
      if (total > best) {
        best = total;
        bestAt = ms;
      }
    }
    return {
      expected,
      byRoute,
      peak: { at: new Date(bestAt).toISOString(), ctdsPerHour: round3(best), ctdsPerSecond: round6(best / 3600) },
    };
  }

  /** The year's busiest hour. */
  yearPeak(): PeakHour {
    return this.span(this.yearStart, daysIn(this.year) * 24).peak;
  }

  /** The day (UTC midnight) with the most expected CTDs. */
  peakDay(): Date {
    let best = -1;
    let bestDay = 0;
    for (let d = 0; d < daysIn(this.year); d++) {
      const { expected } = this.span(this.yearStart + d * DAY_MS, 24);
      if (expected > best) {
        best = expected;
        bestDay = d;
      }
    }
    return new Date(this.yearStart + bestDay * DAY_MS);
  }

  profile(name: ProfileName): Profile {
    const y = this.year;
    // A working Tuesday in mid-October, away from holidays and seasons' edges.
    const oct = Date.UTC(y, 9, 8);
    const tuesday = oct + ((2 - new Date(oct).getUTCDay() + 7) % 7) * DAY_MS;
    switch (name) {
      case 'weekday':
        return { name, description: 'an ordinary working Tuesday in October', start: new Date(tuesday), days: 1 };
      case 'weekend':
        return { name, description: 'the Sunday after that Tuesday', start: new Date(tuesday + 5 * DAY_MS), days: 1 };
      case 'peak-day':
        return {
          name,
          description: 'the day of the year with the most expected lodgements',
          start: this.peakDay(),
          days: 1,
        };
      case 'holiday':
        return { name, description: 'Nowruz (21 March)', start: new Date(Date.UTC(y, 2, 21)), days: 1 };
      case 'week':
        return {
          name,
          description: 'the Monday-Sunday week around that Tuesday',
          start: new Date(tuesday - DAY_MS),
          days: 7,
        };
      case 'pilot-trial':
        return {
          name,
          description: `the operational trial on the ${PILOT_TRIAL.countries.join('-')} corridor: ${PILOT_TRIAL.carriersPerCountry} carriers per country, ${PILOT_TRIAL.days} days`,
          start: new Date(tuesday - DAY_MS),
          days: PILOT_TRIAL.days,
        };
      case 'year':
        return { name, description: `the calendar year ${y}`, start: new Date(this.yearStart), days: daysIn(y) };
    }
  }
}

export interface PlannedLodgement {
  /** Milliseconds since the profile's start. */
  offsetMs: number;
  routeIndex: number;
}

/**
 * N lodgements over the profile's hours in time order. Each hour gets its
 * share of N by largest remainder of the expected counts (so the hourly
 * profile is reproduced exactly, not just on average); routes within an hour
 * are drawn by their rates; times within the hour are sorted uniform draws.
 */
export function* plan(model: TrafficModel, profile: Profile, n: number, random: Random): Generator<PlannedLodgement> {
  const hours = profile.days * 24;
  const startMs = profile.start.getTime();
  const rates = new Float64Array(hours);
  let total = 0;
  for (let h = 0; h < hours; h++) {
    let r = 0;
    for (let i = 0; i < model.routes.length; i++) r += model.routeRate(i, startMs + h * HOUR_MS);
    rates[h] = r;
    total += r;
  }
  if (!(total > 0)) throw new RangeError(`no traffic expected in profile ${profile.name} for the routes in scope`);
  const counts = largestRemainder(rates, total, n);
  const indices = model.routes.map((_, i) => i);
  for (let h = 0; h < hours; h++) {
    const c = counts[h]!;
    if (c === 0) continue;
    const hourMs = startMs + h * HOUR_MS;
    const choice = new WeightedChoice(indices, model.hourRates(hourMs));
    // Sorted uniforms one at a time: x_k = 1 - (1 - x_{k-1}) · V^(1/(c-k+1)).
    let x = 0;
    for (let k = 0; k < c; k++) {
      x = 1 - (1 - x) * Math.pow(random.next(), 1 / (c - k));
      yield { offsetMs: h * HOUR_MS + Math.min(HOUR_MS - 1, Math.floor(x * HOUR_MS)), routeIndex: choice.draw(random) };
    }
  }
}

/** Integer counts summing to n, proportional to weights (Hamilton's method). */
function largestRemainder(weights: Float64Array, total: number, n: number): Int32Array {
  const counts = new Int32Array(weights.length);
  const remainders: { i: number; r: number }[] = [];
  let assigned = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (weights[i]! / total) * n;
    counts[i] = Math.floor(exact);
    assigned += counts[i]!;
    remainders.push({ i, r: exact - counts[i]! });
  }
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < n - assigned; k++) counts[remainders[k]!.i] += 1;
  return counts;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
