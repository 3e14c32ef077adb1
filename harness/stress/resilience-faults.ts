// The fault schedule `cats-stress stress --scenario resilience` applies unless
// `--faults` replaces it: ICE killed, a node killed, a node cut off from ICE, one
// country's database paused, spread over the run so that each heals and its
// backlog drains before the next, and the last well before the load stops.

/** Default length of a resilience run. */
export const RESILIENCE_DURATION = '3m';

const at = (seconds: number) => `${Math.max(1, Math.round(seconds))}s`;
const pick = (countries: string[], preferred: string, fallback: number) =>
  countries.includes(preferred) ? preferred : (countries[Math.min(fallback, countries.length - 1)] ?? preferred);

/**
 * The default schedule for a run of `durationSeconds` over `countries`: the corridor's spine
 * where the run has it (AZ killed, GE cut from ICE, KZ's database paused), other countries
 * otherwise. Every fault keeps the default recovery limit (backlog drained within 60 s).
 */
export function resilienceFaults(countries: string[], durationSeconds: number): string {
  const d = durationSeconds;
  const killed = pick(countries, 'AZ', 1);
  const cut = pick(countries, 'GE', countries.length - 1);
  const paused = pick(countries, 'KZ', 0);
  return [
    `kill:ice@${at(d * 0.12)}`,
    `kill:node/${killed}@${at(d * 0.27)}`,
    `cut:${cut}-ice@${at(d * 0.42)}+${at(Math.min(20, d * 0.12))}`,
    `pause:db/${paused}@${at(d * 0.62)}+${at(Math.min(10, d * 0.06))}`,
  ].join(',');
}
