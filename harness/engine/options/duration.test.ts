import { describe, expect, it } from 'vitest';
import { DurationError, parseDuration } from './duration.ts';

// k6's rules: lib/types ParseExtendedDuration (strings) and GetDurationValue (numbers).
describe('parseDuration', () => {
  it.each([
    ['10', 10],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['0', 0],
    [250, 250],
    [0.5, 0.5],
  ])('reads the number %j as milliseconds', (value, ms) => expect(parseDuration(value)).toBe(ms));

  it.each([
    ['300ms', 300],
    ['1.5s', 1500],
    ['.5s', 500],
    ['5.s', 5000],
    ['1m30s', 90_000],
    ['1h2m3s', 3_723_000],
    ['3s1h', 3_603_000],
    ['1s1s', 2000],
    ['1.5h', 5_400_000],
    ['10us', 0.01],
    ['10µs', 0.01],
    ['10μs', 0.01],
    ['5ns', 0.000005],
    ['+2s', 2000],
    ['-0s', 0],
  ])('reads the Go duration %j', (text, ms) => expect(parseDuration(text)).toBeCloseTo(ms, 9));

  it.each([
    ['1d', 86_400_000],
    ['0d', 0],
    ['2d', 172_800_000],
    ['1d12h', 129_600_000],
    ['1d1h1m1s', 90_061_000],
  ])('reads days %j', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each([
    '',
    ' 10s',
    '10s ',
    'abc',
    '1x',
    '10 s',
    '5 minutes',
    '1.5d',
    'd',
    'd1h',
    '1d-1h',
    '1d1x',
    's',
    '1e',
    '1h-2m',
    '10S',
    '3000000h',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    undefined,
    true,
    {},
  ])('refuses %j', (value) => expect(() => parseDuration(value)).toThrow(DurationError));

  it.each(['-1', '-1s', '-1d', -1])('refuses the negative duration %j', (value) =>
    expect(() => parseDuration(value, 'gracefulStop')).toThrow(/gracefulStop: .* is negative/),
  );

  it('names what it parses in its message', () =>
    expect(() => parseDuration('1 minute', 'scenarios.a.duration')).toThrow(
      `scenarios.a.duration: "1 minute" is not a duration`,
    ));
});
