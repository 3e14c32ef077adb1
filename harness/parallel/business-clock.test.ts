// Business time runs `speed` times faster than the wall clock from the replay's start.
import { expect, it } from 'vitest';
import { BusinessClock } from './business-clock.ts';

const T0 = Date.parse('2026-10-13T08:00:00Z');

it('maps wall-clock time to business time and back at its speed', () => {
  const clock = new BusinessClock(T0, 1_000_000, 3600);
  // One wall-clock second is one business hour.
  expect(clock.business(1_001_000)).toBe(T0 + 3_600_000);
  expect(clock.real(T0 + 7_200_000)).toBe(1_002_000);
  expect(clock.business(clock.real(T0 + 123_456_000))).toBe(T0 + 123_456_000);
});

it('refuses a speed that is not a positive number', () => {
  for (const speed of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
    expect(() => new BusinessClock(T0, 0, speed)).toThrow(RangeError);
});
