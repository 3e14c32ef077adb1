// The project's one duration parser, with k6's rules (lib/types ParseExtendedDuration, GetDurationValue):
// a number, or a string that is a number, is milliseconds ('10' is 10 ms); otherwise a Go duration
// ('1h2m3s', '1.5s', '300ms', '10us', '10µs', '5ns'), optionally after whole days ('2d', '1d12h').

export class DurationError extends Error {}

const NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
// Go's time.ParseDuration: [sign] then one or more <decimal><unit>; '.5s' and '5.s' are decimals too.
const GO_DURATION = /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const GO_PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
// Go's strconv.ParseFloat for a plain decimal or exponent number (no whitespace).
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const MAX_NS = 2 ** 63 - 1; // time.Duration is an int64 of nanoseconds

function goDurationNs(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let ns = 0;
  for (const m of text.matchAll(GO_PART)) ns += Number(m[1]) * NS[m[2]];
  return text.startsWith('-') ? -ns : ns;
}

function stringMs(text: string): number | undefined {
  if (NUMBER.test(text)) return Number(text);
  const d = text.indexOf('d');
  if (d < 0) {
    const ns = goDurationNs(text);
    return ns === undefined ? undefined : ns / 1e6;
  }
  if (!/^[-+]?\d+$/.test(text.slice(0, d))) return undefined;
  const days = Number(text.slice(0, d));
  let restNs = 0;
  if (d + 1 < text.length) {
    const ns = goDurationNs(text.slice(d + 1));
    if (ns === undefined || ns < 0) return undefined;
    restNs = ns;
  }
  return days * 86_400_000 + (text.startsWith('-') ? -restNs : restNs) / 1e6;
}

/**
 * Parses a k6 duration into milliseconds. Negative durations are refused: nothing in the project waits
 * for a negative time.
 */
export function parseDuration(value: unknown, what = 'duration'): number {
  let ms: number | undefined;
  if (typeof value === 'number') ms = Number.isFinite(value) ? value : undefined;
  else if (typeof value === 'string') ms = stringMs(value);
  if (ms === undefined || Math.abs(ms) * 1e6 > MAX_NS)
    throw new DurationError(
      `${what}: ${JSON.stringify(value)} is not a duration (use e.g. '30s', '1m30s', '500ms', or a number of milliseconds)`,
    );
  if (ms < 0) throw new DurationError(`${what}: ${JSON.stringify(value)} is negative; a duration must be 0 or more`);
  return ms;
}
