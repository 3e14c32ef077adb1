// Duration strings and arrival-rate schedules for scenario options.

/**
 * Seconds in a k6 duration string ('90s', '2m', '1m30s', '1h', '500ms'; a bare number is milliseconds, as in k6) or a number of seconds.
 * @param {string | number} duration
 */
export function seconds(duration) {
  if (typeof duration === 'number') return duration;
  const text = String(duration).trim();
  if (/^[0-9.]+$/.test(text)) return Number(text) / 1000;
  let total = 0;
  let rest = text;
  /** @type {Record<string, number>} */
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const re = /^([0-9.]+)(ms|h|m|s)/;
  while (rest.length) {
    const m = re.exec(rest);
    if (!m) throw new Error(`not a duration: '${duration}' (use e.g. 30s, 2m, 1m30s)`);
    total += Number(m[1]) * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

/**
 * A duration string k6 accepts, in whole milliseconds.
 * @param {number} secs
 */
export function duration(secs) {
  return `${Math.max(1, Math.round(secs * 1000))}ms`;
}

/**
 * Iterations an arrival-rate schedule plans: the area under its stages (per-second rates).
 * @param {number} startRate
 * @param {{ target: number, duration: string | number }[]} stages
 */
export function plannedIterations(startRate, stages) {
  let total = 0;
  let from = startRate;
  for (const s of stages) {
    total += ((from + s.target) / 2) * seconds(s.duration);
    from = s.target;
  }
  return Math.round(total);
}

/**
 * A positive number from the environment, or the fallback; rejects junk loudly.
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {number} fallback
 */
export function envNumber(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return n;
}
