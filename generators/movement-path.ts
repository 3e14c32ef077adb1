// The path a movement will take after it is released: most run as declared; a few
// meet the corridor's unhappy paths (discrepancies at destination, a late or a lost
// arrival, a diversion to another crossing or destination, an incident en route).
// The label is drawn per movement, deterministic per seed, so a scenario can play
// each movement's path and the report can count them.
//
// Shares follow corridor.md §9 ("add ~2-5 % anomalies: seal broken, guarantee
// exceeded, route change, holiday closure" [E]); the split between them is stated
// here as an assumption. A path a route cannot take (no other crossing in the
// country, no ferry or gauge-change leg for an incident) falls back to as-declared.
import { officeByReference, offices, type Mode, type Office } from '../reference/spec/reference-data/offices.ts';
import type { Route } from './corridor/routes.ts';
import type { Random } from './random.ts';

export const MovementPathKinds = [
  'as-declared',
  /** Non-conform control results, resolved by an officer. */
  'discrepancies-resolved',
  /** Non-conform control results sent to recovery. */
  'discrepancies-recovery',
  /** Arrives after its time limit, before departure opens an enquiry. */
  'late-arrival',
  /** Not arrived by the limit: the enquiry is answered by the arrival. */
  'enquiry-arrival',
  /** Never arrives: the enquiry ends in recovery. */
  'enquiry-recovery',
  /** Presented at an office of transit that was not declared. */
  'diverted-transit',
  /** Arrives at an office of destination that was not declared. */
  'diverted-destination',
  /** An incident en route, recorded where it happens. */
  'incident',
  /** Invalidated by customs at departure after release, before it arrives. */
  'invalidated',
] as const;
export type MovementPathKind = (typeof MovementPathKinds)[number];

export const IncidentTypes = ['transhipment', 'transport-change', 'seal-broken', 'accident'] as const;
export type IncidentType = (typeof IncidentTypes)[number];

export interface MovementPath {
  kind: MovementPathKind;
  /** The office the movement is diverted to (diversions). */
  office?: string;
  /** Where the incident happens and what it is (incidents). */
  incident?: { type: IncidentType; country: string; office: string };
}

/** Share of released movements taking each unhappy path, and why. */
export const PATH_SHARES: readonly { kind: Exclude<MovementPathKind, 'as-declared'>; share: number; source: string }[] =
  [
    {
      kind: 'discrepancies-resolved',
      share: 0.008,
      source: 'corridor.md §9 anomalies ~2-5 % [E]; 1 % discrepancies, 4 in 5 resolved [E]',
    },
    { kind: 'discrepancies-recovery', share: 0.002, source: 'as above: 1 in 5 discrepancies unresolved [E]' },
    {
      kind: 'late-arrival',
      share: 0.006,
      source:
        'corridor.md §4 dwell tails (p95 ≈ 3 × median) and §7 Caspian ferry waits of days [S92][S93]; 0.6 % past the limit [E]',
    },
    { kind: 'enquiry-arrival', share: 0.003, source: 'as above, late enough for the enquiry: 0.3 % [E]' },
    { kind: 'enquiry-recovery', share: 0.001, source: 'never arrives: 0.1 % [E]' },
    {
      kind: 'diverted-transit',
      share: 0.006,
      source: 'corridor.md §7 winter: Upper Lars closures push trucks onto Red Bridge [S18]; route change 0.6 % [E]',
    },
    {
      kind: 'diverted-destination',
      share: 0.002,
      source: 'corridor.md §9 route change; 0.2 % to another office of destination [E]',
    },
    {
      kind: 'incident',
      share: 0.012,
      source:
        'corridor.md §9 seal broken; gauge change at Dostyk/Altynkol [S7] and Caspian ferry legs [S92]: 1.2 % of movements on such routes [E]',
    },
    {
      kind: 'invalidated',
      share: 0.001,
      source: 'declaration released in error (wrong guarantee, goods not loaded) and invalidated by customs: 0.1 % [E]',
    },
  ];

/** The office kind a movement of `mode` is presented at when it crosses a border. */
const BORDER_KIND: Record<Mode, Office['kind']> = { road: 'road-border', rail: 'rail-border', sea: 'sea-port' };

/** Where the route changes transport means: its ferry legs' ports of loading, a rail entry from China (gauge change). */
export function incidentSites(route: Route): { office: string; mode: Mode }[] {
  const sites: { office: string; mode: Mode }[] = [];
  route.legs.forEach((leg, i) => {
    if (leg.mode === 'sea') sites.push({ office: route.stops[i]!.office, mode: 'sea' });
  });
  const first = route.stops[0]!.office;
  if (
    route.countryOfDispatch === 'CN' &&
    route.legs[0]?.mode === 'rail' &&
    officeByReference.get(first)?.kind === 'rail-border'
  )
    sites.push({ office: first, mode: 'rail' });
  return sites;
}

/** Great-circle distance, km. */
function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/**
 * The office a movement turns to instead of `declared`: the nearest other office of the
 * same country, kind and role (a closure sends trucks to the next crossing, not across
 * the country); the first such office where positions are unknown.
 */
export function alternativeOffice(declared: string, role: 'TRA' | 'DES', kind?: Office['kind']): string | undefined {
  const at = officeByReference.get(declared);
  if (!at) return undefined;
  const others = offices.filter(
    (o) =>
      o.country === at.country &&
      o.referenceNumber !== declared &&
      o.roles.includes(role) &&
      (!kind || o.kind === kind),
  );
  const from = at.position;
  if (from)
    others.sort(
      (a, b) => (a.position ? km(from, a.position) : Infinity) - (b.position ? km(from, b.position) : Infinity),
    );
  return others[0]?.referenceNumber;
}

/** Draws the path of one released movement on `route`. */
export function drawPath(route: Route, random: Random): MovementPath {
  let u = random.next();
  let kind: MovementPathKind = 'as-declared';
  for (const p of PATH_SHARES) {
    if (u < p.share) {
      kind = p.kind;
      break;
    }
    u -= p.share;
  }
  return pathOfKind(route, kind, random) ?? { kind: 'as-declared' };
}

/** The path of `kind` a movement on `route` takes; undefined when the route cannot take it. */
export function pathOfKind(route: Route, kind: MovementPathKind, random: Random): MovementPath | undefined {
  switch (kind) {
    case 'diverted-transit': {
      const i = route.stops.findIndex((s) => s.role === 'TRA');
      if (i < 0) return undefined;
      const office = alternativeOffice(route.stops[i]!.office, 'TRA', BORDER_KIND[route.legs[i - 1]!.mode]);
      return office ? { kind, office } : undefined;
    }
    case 'diverted-destination': {
      const last = route.stops[route.stops.length - 1]!;
      const office = alternativeOffice(last.office, 'DES', officeByReference.get(last.office)?.kind);
      return office ? { kind, office } : undefined;
    }
    case 'incident': {
      const sites = incidentSites(route);
      if (sites.length === 0) return undefined;
      const site = random.pick(sites);
      const type = random.pick(IncidentTypes);
      return { kind, incident: { type, country: officeByReference.get(site.office)!.country, office: site.office } };
    }
    default:
      return { kind };
  }
}
