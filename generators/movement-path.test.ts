import { describe, expect, it } from 'vitest';
import { routes } from './corridor/routes.ts';
import { Dataset } from './dataset.ts';
import { alternativeOffice, incidentSites, MovementPathKinds, PATH_SHARES } from './movement-path.ts';
import { officeByReference } from '../reference/spec/reference-data/offices.ts';

const options = {
  seed: 'paths',
  movements: 10_000,
  profile: 'peak-day',
  defects: 0.02,
  countries: ['KZ', 'AZ', 'GE', 'UZ', 'KG', 'PK'],
  year: 2026,
} as const;
const records = () => [...new Dataset(options).movements()].map((m) => m.record);

describe('movement paths', () => {
  it('labels every valid movement with a path, none a defective one, the same for the same seed', () => {
    const first = records();
    expect(first.filter((r) => r.defect).every((r) => r.path === null)).toBe(true);
    expect(first.filter((r) => !r.defect).every((r) => MovementPathKinds.includes(r.path!.kind))).toBe(true);
    expect(records().map((r) => r.path)).toEqual(first.map((r) => r.path));
  });

  it('sends about the stated share of movements down each unhappy path, each with what it needs', () => {
    const valid = records().filter((r) => r.path);
    const count = (kind: string) => valid.filter((r) => r.path!.kind === kind).length;
    const unhappy = valid.length - count('as-declared');
    // corridor.md's ~2-5 % anomalies; paths a route cannot take fall back to as-declared.
    expect(unhappy / valid.length).toBeGreaterThan(0.02);
    expect(unhappy / valid.length).toBeLessThan(0.05);
    for (const { kind, share } of PATH_SHARES.filter((p) => !['incident', 'diverted-transit'].includes(p.kind))) {
      // Binomial: within five standard deviations of the share.
      const sd = Math.sqrt(valid.length * share * (1 - share));
      expect(Math.abs(count(kind) - valid.length * share), kind).toBeLessThan(5 * sd + 1);
    }
    for (const r of valid.filter((v) => v.path!.kind === 'diverted-transit')) {
      const declared = r.ctd.offices.transit;
      const office = officeByReference.get(r.path!.office!)!;
      expect(declared).not.toContain(office.referenceNumber);
      expect(declared.map((o) => officeByReference.get(o)!.country)).toContain(office.country);
    }
    for (const r of valid.filter((v) => v.path!.kind === 'diverted-destination')) {
      expect(r.path!.office).not.toBe(r.ctd.offices.destination);
      expect(r.path!.office!.slice(0, 2)).toBe(r.ctd.offices.destination.slice(0, 2));
    }
    const incidents = valid.filter((v) => v.path!.kind === 'incident');
    expect(incidents.length).toBeGreaterThan(0);
    for (const r of incidents) {
      const route = routes.find((x) => x.id === r.route)!;
      expect(incidentSites(route).map((s) => s.office)).toContain(r.path!.incident!.office);
    }
  });

  it('finds incident sites on ferry legs and rail entries from China, and none on a road-only route', () => {
    const withFerry = routes.find((r) => r.legs.some((l) => l.mode === 'sea'))!;
    expect(incidentSites(withFerry).some((s) => s.mode === 'sea')).toBe(true);
    const fromChinaByRail = routes.find((r) => r.countryOfDispatch === 'CN' && r.legs[0]?.mode === 'rail');
    if (fromChinaByRail) expect(incidentSites(fromChinaByRail).some((s) => s.mode === 'rail')).toBe(true);
    const roadOnly = routes.find((r) => r.countryOfDispatch !== 'CN' && r.legs.every((l) => l.mode === 'road'))!;
    expect(incidentSites(roadOnly)).toEqual([]);
  });

  it('diverts to the nearest other crossing of the same kind in the same country', () => {
    // Red Bridge (road, GE–AZ) closed: the next Georgian road crossing, not the Black Sea coast.
    expect(alternativeOffice('GE069002', 'TRA', 'road-border')).toBe('GE069003');
    expect(alternativeOffice('KZ510200', 'TRA', 'rail-border')).toBe('KZ510300');
    expect(alternativeOffice('XX000000', 'TRA')).toBeUndefined();
  });
});
