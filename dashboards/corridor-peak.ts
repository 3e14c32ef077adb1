// The corridor's projected busiest hour, from the generators' traffic model, so
// the Capacity dashboard's default headroom baseline is the same projection the
// data sets and the ctd-peak scenario use.
import { routes } from '../generators/corridor/routes.ts';
import { PILOT_COUNTRIES } from '../generators/dataset.ts';
import { TrafficModel, type PeakHour } from '../generators/traffic.ts';

/** Year of the projection written into the committed dashboards (a fixed year keeps the build reproducible). */
export const PROJECTION_YEAR = 2026;

const computed = new Map<number, PeakHour & { year: number }>();

/** The busiest hour of `year` over the pilot countries' routes (a year of hourly rates: computed once). */
export function projectedPeakHour(year = PROJECTION_YEAR): PeakHour & { year: number } {
  const known = computed.get(year);
  if (known) return known;
  const pilot = new Set<string>(PILOT_COUNTRIES);
  const model = new TrafficModel(
    routes.filter((r) => pilot.has(r.countriesOfRouting[0]!)),
    year,
  );
  const peak = { year, ...model.yearPeak() };
  computed.set(year, peak);
  return peak;
}
