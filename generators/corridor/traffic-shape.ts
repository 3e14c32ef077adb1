// The shape of corridor traffic over time: lodgements per local hour of the
// day, per weekday, and calendar events (holidays, closures, seasons) that
// scale a route's daily volume. ../shared/domain/corridor.md §7 has the facts
// ([S#]); where it gives no figure the value is an estimate [E]. No published
// peak-hour counts exist, so the hourly curves are [E].
import type { Route, WeeklyPattern } from './routes.ts';

/** Lodgements by local hour 0-23, relative (normalised where used). */
export const hourlyShape: Readonly<Record<WeeklyPattern, readonly number[]>> = {
  // Road offices work 24/7 (Horgos since Aug 2023, Irkeshtam since Jun 2025 [S58][S62]) but lodgements
  // follow office and forwarder hours, peaking 09-11 and 15-17 (§7 day-only default [E]).
  road: [
    0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.5, 0.8, 1.2, 1.6, 1.7, 1.5, 1.2, 1.3, 1.5, 1.6, 1.6, 1.3, 1.0, 0.8, 0.6, 0.5,
    0.4, 0.3,
  ],
  // Trains arrive around the clock; declarations still lean to office hours [E].
  rail: [
    0.6, 0.55, 0.5, 0.5, 0.55, 0.6, 0.75, 0.9, 1.1, 1.3, 1.35, 1.3, 1.2, 1.25, 1.3, 1.3, 1.25, 1.1, 1.0, 0.9, 0.8, 0.75,
    0.7, 0.65,
  ],
};

/** Monday = index 0. */
const weekdayShape: Readonly<Record<WeeklyPattern, readonly number[]>> = {
  road: [1, 1, 1, 1, 1, 0.7, 0.5], // §7: Sat 70 %, Sun 50 % at 24/7 road BCPs [E]
  rail: [1, 1, 1, 1, 1, 0.9, 0.85], // block trains run daily [E]
};

/** UTC offset (hours) of the departure office's country, for local hours. */
export const utcOffsetHours: Readonly<Record<string, number>> = {
  KZ: 5, // single time zone UTC+5 since 1 Mar 2024
  UZ: 5,
  KG: 6,
  AZ: 4,
  GE: 4,
  PK: 5,
  TM: 5,
  TJ: 5,
  CN: 8,
  TR: 3,
  AF: 4.5,
  RO: 2,
  BG: 2,
};

/** Which routes an event applies to: any listed tag, departure country or all routes. */
export interface EventScope {
  tags?: readonly string[];
  departureCountries?: readonly string[];
  all?: boolean;
}

export interface CalendarEvent {
  name: string;
  /** Inclusive ISO dates. */
  from: string;
  to: string;
  /** Multiplies the daily volume of the routes in scope. */
  factor: number;
  scope: EventScope;
  source: string;
}

/** Moving holidays per year (Gregorian dates of their first day). */
const movingHolidays: Readonly<
  Record<
    number,
    { springFestival: string; dragonBoat: string; midAutumn: string; eidAlFitr: string; eidAlAdha: string }
  >
> = {
  2025: {
    springFestival: '2025-01-29',
    dragonBoat: '2025-05-31',
    midAutumn: '2025-10-06',
    eidAlFitr: '2025-03-30',
    eidAlAdha: '2025-06-06',
  },
  2026: {
    springFestival: '2026-02-17',
    dragonBoat: '2026-06-19',
    midAutumn: '2026-09-25',
    eidAlFitr: '2026-03-20',
    eidAlAdha: '2026-05-27',
  },
  2027: {
    springFestival: '2027-02-06',
    dragonBoat: '2027-06-09',
    midAutumn: '2027-09-15',
    eidAlFitr: '2027-03-10',
    eidAlAdha: '2027-05-16',
  },
};

export const CALENDAR_YEARS: readonly number[] = Object.keys(movingHolidays).map(Number);

const MUSLIM_MAJORITY = ['KZ', 'UZ', 'KG', 'AZ', 'PK'];
const NOWRUZ_COUNTRIES = ['KZ', 'UZ', 'KG', 'AZ'];

function shift(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The calendar of `year` (one of CALENDAR_YEARS). */
export function calendar(year: number): CalendarEvent[] {
  const m = movingHolidays[year];
  if (!m) throw new RangeError(`no holiday calendar for ${year}; known years: ${CALENDAR_YEARS.join(', ')}`);
  const y = String(year);
  return [
    { name: 'New Year', from: `${y}-01-01`, to: `${y}-01-02`, factor: 0.5, scope: { all: true }, source: '[E]' },
    {
      name: 'Spring Festival closure of Kyrgyz–Chinese crossings',
      from: shift(m.springFestival, -1),
      to: shift(m.springFestival, 2),
      factor: 0,
      scope: { tags: ['kg-cn-border'] },
      source: 'closed 21-24 Jan 2023 around the festival [S23]',
    },
    {
      name: 'Spring Festival dip of China-origin traffic',
      from: shift(m.springFestival, -3),
      to: shift(m.springFestival, 10),
      factor: 0.7,
      scope: { tags: ['cn-origin'] },
      source: 'China–EU rail dip around Chinese New Year [S123]; size [E]',
    },
    {
      name: 'Dragon Boat closure of Kyrgyz–Chinese crossings',
      from: m.dragonBoat,
      to: m.dragonBoat,
      factor: 0,
      scope: { tags: ['kg-cn-border'] },
      source: 'closed 22 Jun 2023 [S24]',
    },
    {
      name: 'Mid-Autumn closure of Kyrgyz–Chinese crossings',
      from: m.midAutumn,
      to: m.midAutumn,
      factor: 0,
      scope: { tags: ['kg-cn-border'] },
      source: 'closed 29 Sep 2023 [S25]',
    },
    {
      name: 'National Day closure of Kyrgyz–Chinese crossings',
      from: `${y}-10-01`,
      to: `${y}-10-03`,
      factor: 0,
      scope: { tags: ['kg-cn-border'] },
      source: 'closed 1-3 Oct 2023 [S25]',
    },
    {
      name: 'Week before Nowruz',
      from: `${y}-03-14`,
      to: `${y}-03-20`,
      factor: 1.15,
      scope: { departureCountries: NOWRUZ_COUNTRIES },
      source: '§7 default +15 % in the week before [E]',
    },
    {
      name: 'Nowruz week',
      from: `${y}-03-21`,
      to: `${y}-03-27`,
      factor: 0.6,
      scope: { departureCountries: NOWRUZ_COUNTRIES },
      source: 'Nowruz ~21-24 Mar in KZ, UZ, KG; AZ 20-31 Mar [S43]; §7 default -40 % [E]',
    },
    {
      name: 'Eid al-Fitr (Ramazan Hayit)',
      from: m.eidAlFitr,
      to: shift(m.eidAlFitr, 1),
      factor: 0.7,
      scope: { departureCountries: MUSLIM_MAJORITY },
      source: '§7: freight -30 % on holiday days [E]; passenger surge at KZ–UZ [S66]',
    },
    {
      name: 'Eid al-Adha (Kurban Hayit)',
      from: m.eidAlAdha,
      to: shift(m.eidAlAdha, 2),
      factor: 0.7,
      scope: { departureCountries: MUSLIM_MAJORITY },
      source: '§7: freight -30 % on holiday days [E]',
    },
    {
      name: 'Uzbek produce season',
      from: `${y}-05-10`,
      to: `${y}-10-31`,
      factor: 1.3,
      scope: { tags: ['uz-produce'] },
      source:
        'early vegetables from ~10 May cause multi-day queues at KZ–UZ [S128]; grapes and fruit Aug-Oct [S129]; size [E]',
    },
    {
      name: 'Kazakh grain export season',
      from: `${y}-09-01`,
      to: `${y}-12-31`,
      factor: 1.25,
      scope: { tags: ['kz-grain'] },
      source: 'grain export demand peaks Sep-Dec, above rail capacity [S130]; size [E]',
    },
    {
      name: 'Year-end peak',
      from: `${y}-11-01`,
      to: `${y}-12-31`,
      factor: 1.15,
      scope: { all: true },
      source: 'Sarp record 1,430 trucks on 25 Dec 2024 [S81]; §7 +15-20 % in Nov-Dec [E]',
    },
    {
      name: 'Pre-Christmas peak at Sarp and Red Bridge',
      from: `${y}-12-10`,
      to: `${y}-12-28`,
      factor: 1.1,
      scope: { tags: ['year-end'] },
      source: 'Sarp record in December [S81]; Upper Lars closures push trucks onto Red Bridge [S18]; size [E]',
    },
  ];
}

function inScope(route: Route, scope: EventScope): boolean {
  if (scope.all) return true;
  if (scope.tags?.some((t) => route.tags.includes(t))) return true;
  return scope.departureCountries?.includes(route.countriesOfRouting[0]!) ?? false;
}

/** Multiplier of a route's volume on one calendar day (ISO date), weekday included. */
export function dayFactor(route: Route, date: string, events: readonly CalendarEvent[]): number {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  let f = weekdayShape[route.weekly][weekday]!;
  for (const e of events) if (date >= e.from && date <= e.to && inScope(route, e.scope)) f *= e.factor;
  return f;
}
