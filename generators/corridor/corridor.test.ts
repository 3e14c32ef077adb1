import { describe, expect, it } from 'vitest';
import { countryByCode } from '../../reference/spec/reference-data/countries.ts';
import { officeByReference, offices } from '../../reference/spec/reference-data/offices.ts';
import { HS_EDITION, withdrawnInHs2022 } from '../../reference/spec/reference-data/hs-withdrawn.ts';
import { isValidHsChapter } from '../../reference/domain/ctd-rules.ts';
import { commodities } from './commodities.ts';
import { cities, fakerLocale } from './localities.ts';
import { routes } from './routes.ts';
import type { Position } from '../../reference/spec/reference-data/offices.ts';
import { calendar, CALENDAR_YEARS, dayFactor } from './traffic-shape.ts';

const PILOT = ['GE', 'AZ', 'KZ', 'UZ', 'KG', 'PK'];

describe('customs office list', () => {
  it('has unique reference numbers in the CTC format, each in a known country', () => {
    const refs = offices.map((o) => o.referenceNumber);
    expect(new Set(refs).size).toBe(refs.length);
    for (const o of offices) {
      expect(o.referenceNumber).toMatch(/^[A-Z]{2}[A-Z0-9]{6}$/);
      expect(o.referenceNumber.slice(0, 2)).toBe(o.country);
      expect(countryByCode.has(o.country), o.referenceNumber).toBe(true);
    }
  });

  it('names the crossings and ports of the corridor', () => {
    const names = offices.map((o) => o.name).join(' | ');
    for (const n of [
      'Khorgos',
      'Dostyk',
      'Aktau',
      'Kuryk',
      'Alat',
      'Red Bridge',
      'Poti',
      'Batumi',
      'Sarp',
      'Torugart',
      'Irkeshtam',
      'Torkham',
      'Turkmenbashi',
      'Sadakhlo',
      'Constanta',
    ]) {
      expect(names).toContain(n);
    }
  });
});

describe('routes', () => {
  it.each(routes.map((r) => [r.id, r] as const))('%s is an office chain a node accepts', (_, route) => {
    const stops = route.stops.map((s) => ({ ...s, office: officeByReference.get(s.office)! }));
    for (const s of route.stops) expect(officeByReference.has(s.office), s.office).toBe(true);
    // Lodged at its first stop, in a pilot country; ends at its destination.
    expect(route.stops[0]!.role).toBe('DEP');
    expect(PILOT).toContain(stops[0]!.office.country);
    expect(route.stops.at(-1)!.role).toBe('DES');
    expect(route.stops.filter((s) => s.role === 'DEP' || s.role === 'DES')).toHaveLength(2);
    for (const s of stops) if (s.role !== 'PASS') expect(s.office.roles).toContain(s.role);
    // Itinerary: departure country first, destination country last, transit countries in order.
    const routing = route.countriesOfRouting;
    expect(routing[0]).toBe(stops[0]!.office.country);
    expect(routing.at(-1)).toBe(stops.at(-1)!.office.country);
    let at = 0;
    for (const s of stops.filter((x) => x.role === 'TRA')) {
      const found = routing.indexOf(s.office.country, at);
      expect(found, `${s.office.referenceNumber} in ${routing.join('-')}`).toBeGreaterThanOrEqual(0);
      at = found;
    }
    // Every country a stop is in lies on the itinerary, in the order of the stops.
    let pos = 0;
    for (const s of stops) {
      const found = routing.indexOf(s.office.country, pos);
      expect(found, `${s.office.referenceNumber} (${s.office.country}) on ${routing.join('-')}`).toBeGreaterThanOrEqual(
        0,
      );
      pos = found;
    }
    expect(route.stops.filter((s) => s.role === 'TRA').length).toBeLessThanOrEqual(9);
    for (const c of routing) expect(countryByCode.has(c)).toBe(true);
    // One leg between consecutive stops, in a mode both offices serve, with sane hours.
    expect(route.legs).toHaveLength(route.stops.length - 1);
    route.legs.forEach((leg, i) => {
      expect(stops[i]!.office.modes).toContain(leg.mode);
      expect(stops[i + 1]!.office.modes).toContain(leg.mode);
      expect(leg.hours[0]).toBeGreaterThan(0);
      expect(leg.hours[1]).toBeGreaterThanOrEqual(leg.hours[0]);
      expect(leg.dwellHours).toBeGreaterThan(0);
      expect(leg.source.length).toBeGreaterThan(3);
    });
    expect(route.annualMovements).toBeGreaterThan(0);
    expect(route.volumeSource).toMatch(/\[(S\d+|E)\]/);
    // Goods can be drawn for it, and parties placed at both ends.
    expect(
      commodities.some((c) => (c.origins[route.countryOfDispatch] ?? 0) > 0),
      route.countryOfDispatch,
    ).toBe(true);
    for (const c of [route.countryOfDispatch, route.countryOfDestination]) {
      expect(cities[c], c).toBeDefined();
      expect(fakerLocale[c], c).toBeDefined();
    }
  });

  /** Great-circle distance, km (haversine, mean Earth radius). */
  function km(a: Position, b: Position): number {
    const rad = Math.PI / 180;
    const h =
      Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }
  /** Average speed bounds per mode, km/h over the straight line, stops included. */
  const SPEED = { road: [20, 90], rail: [10, 60], sea: [5, 35] } as const;

  it.each(routes.map((r) => [r.id, r] as const))("%s: each leg's hours fit its distance and mode", (_, route) => {
    route.legs.forEach((leg, i) => {
      const from = officeByReference.get(route.stops[i]!.office)!;
      const to = officeByReference.get(route.stops[i + 1]!.office)!;
      expect(from.position, from.referenceNumber).toBeDefined();
      expect(to.position, to.referenceNumber).toBeDefined();
      const d = km(from.position!, to.position!);
      const what = `${route.id} leg ${i} ${from.name} → ${to.name}: ${Math.round(d)} km in ${leg.hours.join('-')} h`;
      if (d < 50) {
        // Across one crossing or within a city: a few hours at most.
        expect(leg.hours[1], what).toBeLessThanOrEqual(3);
      } else {
        const [min, max] = SPEED[leg.mode];
        expect(d / leg.hours[1], what).toBeGreaterThanOrEqual(min);
        expect(d / leg.hours[0], what).toBeLessThanOrEqual(max);
      }
    });
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s ends in a country with a CATS node, the goods bound for the country of destination',
    (_, route) => {
      // Every declared office (departure, transit, destination) is in a pilot country.
      for (const s of route.stops) {
        const office = officeByReference.get(s.office)!;
        if (s.role !== 'PASS') expect(countryByCode.get(office.country)!.pilot, `${s.role} ${s.office}`).toBe(true);
      }
      for (const c of route.countriesOfRouting) expect(countryByCode.get(c)!.pilot, c).toBe(true);
      // A movement ending at a border office hands the goods on: they are bound for a country beyond it.
      const destination = officeByReference.get(route.stops.at(-1)!.office)!;
      if (destination.kind === 'road-border' || destination.kind === 'rail-border')
        expect(route.countryOfDestination, route.id).not.toBe(destination.country);
    },
  );

  it('send goods for China and Afghanistan to consignees there, not to the exit country', () => {
    const byId = new Map(routes.map((r) => [r.id, r]));
    expect(byId.get('UZ-KG-EAST')!.countryOfDestination).toBe('CN');
    expect(byId.get('PK-ATT-TORKHAM')!.countryOfDestination).toBe('AF');
    expect(byId.get('PK-ATT-CHAMAN')!.countryOfDestination).toBe('AF');
  });

  it('have unique ids and start in every pilot country', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => r.countriesOfRouting[0])).size).toBe(PILOT.length);
  });
});

describe('commodities', () => {
  it('carry HS 2022 subheadings with a source, unit masses and prices', () => {
    for (const c of commodities) {
      expect(c.subheadings.length).toBeGreaterThan(0);
      for (const s of c.subheadings) {
        expect(s.hs, c.id).toMatch(/^[0-9]{6}$/);
        expect(isValidHsChapter(s.hs), `${c.id} ${s.hs}`).toBe(true);
        expect(withdrawnInHs2022.has(s.hs), `${c.id} ${s.hs} is an HS ${HS_EDITION} subheading`).toBe(false);
        expect(s.description.length).toBeGreaterThan(3);
      }
      expect(c.container ?? c.trailer ?? c.wagon, c.id).toBeDefined();
      expect(c.usdPerTonne[0]).toBeGreaterThan(0);
      expect(c.usdPerTonne[1]).toBeGreaterThanOrEqual(c.usdPerTonne[0]);
      expect(c.packaging.type).toMatch(/^[A-Z0-9]{2}$/);
      expect(c.source).toMatch(/\[(S\d+|E)\]/);
    }
  });
});

describe('traffic shape', () => {
  it('closes the Kyrgyz–Chinese crossings on Chinese holidays and dips weekends', () => {
    for (const year of CALENDAR_YEARS) {
      const events = calendar(year);
      const irkeshtam = routes.find((r) => r.id === 'R5-KG-UZ')!;
      expect(dayFactor(irkeshtam, `${year}-10-02`, events)).toBe(0);
      const khorgos = routes.find((r) => r.id === 'R6-KZ')!;
      expect(dayFactor(khorgos, `${year}-10-02`, events)).toBeGreaterThan(0);
    }
    const events = calendar(2026);
    const road = routes.find((r) => r.id === 'R6-KZ')!;
    // 2026-10-13 is a Tuesday, 2026-10-18 a Sunday.
    expect(dayFactor(road, '2026-10-18', events) / dayFactor(road, '2026-10-13', events)).toBeCloseTo(0.5);
    expect(() => calendar(2031)).toThrow(RangeError);
  });
});
