// How many CTDs a scenario can submit at most in a run, so that `stress` generates a data
// set whose guarantees cover every one of them: a run that outgrows its data set relodges
// CTDs under fresh LRNs against guarantees already reserved, and meets GUARANTEE_INSUFFICIENT.

/** Upper bound of the CTDs a rate scenario submits over `seconds` (its shape as in scenarios/*.js). */
export function plannedSubmissions(
  scenario: string,
  rate: number,
  seconds: number,
  env: Record<string, string> = {},
): number {
  const num = (key: string, fallback: number) => {
    const v = Number(env[key]);
    return env[key] !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const duration = seconds;
  switch (scenario) {
    case 'breakpoint': {
      // A linear ramp from START_RATE to MAX_RATE over the run.
      const start = num('START_RATE', 10);
      const max = Math.max(start, num('MAX_RATE', 5000));
      return Math.ceil(((start + max) / 2) * duration);
    }
    case 'spike': {
      // 70 % at the base rate, 20 % at SPIKE_FACTOR × it, two 5 % ramps between.
      const base = num('RATE', rate);
      const factor = num('SPIKE_FACTOR', 10);
      return Math.ceil(base * duration * (0.75 + 0.25 * factor));
    }
    default:
      // ctd-peak ramps up to the rate and soak holds it: never above rate × duration.
      return Math.ceil(num('RATE', rate) * duration);
  }
}
