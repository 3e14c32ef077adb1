// The full profile's rate comes from the corridor traffic model: 100 × the projected peak hour of the country's routes.
import { expect, it } from 'vitest';
import { TrafficModel } from '../../generators/traffic.ts';
import { projectedPeak } from './load-step.ts';
import { fullLoad } from './profiles.ts';
import { departingRoutes } from './region.ts';

it('loads at a multiple of the busiest projected hour of the routes departing from the country', () => {
  const peak = new TrafficModel(departingRoutes('KZ'), new Date().getUTCFullYear()).yearPeak().ctdsPerSecond;
  expect(peak).toBeGreaterThan(0);
  expect(projectedPeak('KZ')).toBe(peak);
  expect(fullLoad('KZ').ratePerSecond).toBeCloseTo(100 * peak, 9);
  expect(fullLoad('KZ', 10, 30)).toMatchObject({ durationSeconds: 30, faultAtSeconds: 10, faultForSeconds: 5 });
});

it('covers only the routes that depart from the country', () => {
  expect(departingRoutes('GE').every((r) => r.stops[0]!.office.startsWith('GE'))).toBe(true);
  expect(departingRoutes('GE').length).toBeGreaterThan(0);
});
