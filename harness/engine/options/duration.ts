// k6 durations: '1m30s', '500ms', '2h', '1.5s', or a number of milliseconds.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, us: 0.001, µs: 0.001 };
const PART = /(\d+(?:\.\d+)?)(ms|us|µs|s|m|h|d)/gy;

export class DurationError extends Error {}

/** Parses a k6 duration into milliseconds. */
export function parseDuration(value: unknown, what = 'duration'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string' || value.trim() === '')
    throw new DurationError(`${what}: expected a duration like '30s' or '1m30s', got ${JSON.stringify(value)}`);
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let ms = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    ms += Number(m[1]) * UNITS[m[2]];
    consumed = PART.lastIndex;
  }
  if (consumed !== text.length)
    throw new DurationError(`${what}: '${value}' is not a duration (use e.g. '30s', '1m30s', '500ms')`);
  return ms;
}
