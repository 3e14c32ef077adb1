// The load and fault step's settings: the full profile certifies, the quick one keeps test runs short.
import { projectedPeak, type LoadOptions } from './load-step.ts';

/** 3 movements/s for 8 s, ICE cut 2 s in for 2 s, a p99 bound loose enough for a shared test machine. */
export const QUICK_LOAD: LoadOptions = {
  ratePerSecond: 3,
  durationSeconds: 8,
  faultAtSeconds: 2,
  faultForSeconds: 2,
  drainSeconds: 20,
  sloP99Ms: 5_000,
};

/** Default: `peakMultiple` × the projected peak hour of the country's routes for 60 s, ICE cut a third in. */
export function fullLoad(country: string, peakMultiple = 100, durationSeconds = 60): LoadOptions {
  return {
    ratePerSecond: Math.max(0.1, projectedPeak(country) * peakMultiple),
    durationSeconds,
    faultAtSeconds: durationSeconds / 3,
    faultForSeconds: Math.min(10, durationSeconds / 6),
    drainSeconds: 60,
    sloP99Ms: 500,
  };
}
